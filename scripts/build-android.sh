#!/usr/bin/env bash
# Builds the Qorgan Android library (AAR):
#   1. the engine for arm64-v8a, armeabi-v7a and x86_64 with cargo-ndk 4 (API 24, profile `mobile`,
#      16 KB page alignment) into target/android/jniLibs/<abi>/libqorgan_ffi.so;
#   2. the Kotlin bindings (scripts/generate-bindings.sh: bindings/kotlin-android is what the AAR
#      compiles);
#   3. `gradle :qorgan:assembleRelease` in android/ → android/qorgan/build/outputs/aar/qorgan-release.aar.
#
#   scripts/build-android.sh              everything
#   scripts/build-android.sh --native     step 1 only
#
# Needs: the Android NDK (ANDROID_NDK_HOME; r28+ recommended), cargo-ndk 4.x, the three Rust
# targets, the Android SDK (ANDROID_HOME or android/local.properties) and Gradle 9 (android/gradlew
# or `gradle` on PATH). It was written from the tools' documentation and has NOT been run in this
# project's CI, whose machines have no NDK, SDK or Google Maven access.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd -P)

native_only=0
case "${1:-}" in
"") ;;
--native) native_only=1 ;;
-h | --help)
    sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'
    exit 0
    ;;
*)
    echo "unknown option: $1 (try --help)" >&2
    exit 2
    ;;
esac

die() {
    printf 'build-android: %s\n' "$*" >&2
    exit 1
}
say() { printf 'build-android: %s\n' "$*" >&2; }

abis=(arm64-v8a armeabi-v7a x86_64)
triples=(aarch64-linux-android armv7-linux-androideabi x86_64-linux-android)
api=24
target="${CARGO_TARGET_DIR:-$repo/target}"
jnilibs="$target/android/jniLibs"

# ---- prerequisites, each with the command that fixes it --------------------------------------

if [ -z "${ANDROID_NDK_HOME:-}" ]; then
    die "ANDROID_NDK_HOME is not set. Install the NDK (r28 or newer) with Android Studio's SDK Manager
  or: sdkmanager \"ndk;28.2.13676358\"
  then: export ANDROID_NDK_HOME=\$ANDROID_HOME/ndk/28.2.13676358"
fi
[ -f "$ANDROID_NDK_HOME/source.properties" ] ||
    die "ANDROID_NDK_HOME=$ANDROID_NDK_HOME is not an NDK (no source.properties there)"
ndk_version=$(sed -n 's/^Pkg.Revision *= *//p' "$ANDROID_NDK_HOME/source.properties")
ndk_major=${ndk_version%%.*}

command -v cargo-ndk >/dev/null 2>&1 ||
    die "cargo-ndk is not installed: cargo install cargo-ndk --version '^4' (or: cargo binstall cargo-ndk)"
ndk_tool_version=$(cargo ndk --version 2>/dev/null | awk '{print $2}')
case "$ndk_tool_version" in
4.*) ;;
*) die "cargo-ndk $ndk_tool_version found; this script uses cargo-ndk 4 (-t/-P/-o): cargo install cargo-ndk --version '^4' --force" ;;
esac

if command -v rustup >/dev/null 2>&1; then
    installed=$(rustup target list --installed)
    missing=()
    for t in "${triples[@]}"; do
        grep -qx "$t" <<<"$installed" || missing+=("$t")
    done
    [ "${#missing[@]}" -eq 0 ] || die "Rust targets missing: rustup target add ${missing[*]}"
fi

say "NDK $ndk_version ($ANDROID_NDK_HOME), cargo-ndk $ndk_tool_version"

# ---- 1. the engine ---------------------------------------------------------------------------

# Google Play requires 16 KB-aligned native libraries for apps targeting Android 15+
# (developer.android.com/guide/practices/page-sizes). NDK r28+ links that way by default; older
# NDKs need the flag, and it is harmless with newer ones. RUSTFLAGS with --target (cargo-ndk passes
# one) applies to the Android artifacts only, not to build scripts.
export RUSTFLAGS="${RUSTFLAGS:+$RUSTFLAGS }-C link-arg=-Wl,-z,max-page-size=16384"
rm -rf "$jnilibs"
mkdir -p "$jnilibs"
target_args=()
for a in "${abis[@]}"; do target_args+=(-t "$a"); done
# `cargo rustc --crate-type cdylib`, not `cargo build`: qorgan's crate types also include "lib"
# (the rlib for the CLI and tests), and when rustc emits an rlib in the same run cargo silently
# drops the profile's fat LTO for every output (rust-lang/cargo#9672, rust-lang/rust#51009):
# the library would be about 0.5 MB larger. --no-default-features: no live probe (rustls), since
# QorganChecker makes its handshakes with Android's own TLS stack (0.7 MB less).
say "cargo ndk ${target_args[*]} --platform $api -o $jnilibs rustc -p qorgan-ffi --lib --profile mobile --no-default-features --crate-type cdylib"
cargo ndk "${target_args[@]}" --platform "$api" -o "$jnilibs" rustc -p qorgan-ffi --lib --profile mobile --no-default-features --crate-type cdylib

for a in "${abis[@]}"; do
    so="$jnilibs/$a/libqorgan_ffi.so"
    if [ ! -f "$so" ]; then
        # cargo-ndk copies what `cargo build` reports; take the library from the target dir.
        case "$a" in
        arm64-v8a) triple=aarch64-linux-android ;;
        armeabi-v7a) triple=armv7-linux-androideabi ;;
        x86_64) triple=x86_64-linux-android ;;
        esac
        mkdir -p "$jnilibs/$a"
        cp "${CARGO_TARGET_DIR:-target}/$triple/mobile/libqorgan_ffi.so" "$so" 2>/dev/null || true
    fi
    [ -f "$so" ] || die "cargo-ndk produced no $so"
    say "  $a: $(wc -c <"$so") bytes"
done

# Check the alignment of the 64-bit libraries (the ones the 16 KB requirement is about).
readelf=$(find "$ANDROID_NDK_HOME/toolchains/llvm/prebuilt" -maxdepth 3 -name llvm-readelf -type f 2>/dev/null | head -n 1 || true)
if [ -n "$readelf" ]; then
    for a in arm64-v8a x86_64; do
        bad=$("$readelf" -lW "$jnilibs/$a/libqorgan_ffi.so" | awk '$1 == "LOAD" && $NF != "0x4000" { print $NF }')
        [ -z "$bad" ] || die "$a/libqorgan_ffi.so has LOAD segments aligned to $bad, not 0x4000 (16 KB) (NDK $ndk_major)"
    done
    say "  64-bit libraries are 16 KB aligned"
else
    say "  llvm-readelf not found in the NDK; 16 KB alignment not checked"
fi

[ "$native_only" = 0 ] || exit 0

# ---- 2. the bindings ---------------------------------------------------------------------------

# Library-mode generation reads the engine's metadata, which is the same for every architecture,
# so the host build generates the Android flavour too (UniFFI manual, "Cross platform").
before=$(git status --porcelain -- bindings 2>/dev/null || true)
scripts/generate-bindings.sh
after=$(git status --porcelain -- bindings 2>/dev/null || true)
[ "$before" = "$after" ] || say "bindings/ changed: commit the regenerated bindings together with the Rust change"

# ---- 3. the AAR ------------------------------------------------------------------------------

if [ -z "${ANDROID_HOME:-${ANDROID_SDK_ROOT:-}}" ] && ! grep -qs '^sdk.dir=' android/local.properties; then
    die "no Android SDK: export ANDROID_HOME=<sdk> (or write sdk.dir=<sdk> to android/local.properties)"
fi
if [ -x android/gradlew ]; then
    gradle=(./gradlew)
elif command -v gradle >/dev/null 2>&1; then
    gradle=(gradle)
else
    die "no Gradle: install Gradle 9.x, or run \`gradle wrapper\` once in android/ to create android/gradlew"
fi
(cd android && "${gradle[@]}" --no-daemon :qorgan:assembleRelease)
aar=android/qorgan/build/outputs/aar/qorgan-release.aar
[ -f "$aar" ] || die "Gradle finished but $aar is missing"
say "built $aar ($(wc -c <"$aar") bytes)"
