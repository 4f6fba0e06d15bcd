#!/usr/bin/env bash
# Builds the Qorgan Android library:
#   1. the engine for arm64-v8a, armeabi-v7a and x86_64 (minSdk 24, profile `mobile`, 16 KB page
#      alignment) into target/android/jniLibs/<abi>/libqorgan_ffi.so (under $CARGO_TARGET_DIR when set);
#   2. the Kotlin bindings (scripts/generate-bindings.sh: bindings/kotlin-android is what the AAR
#      compiles);
#   3. `gradle :qorgan:assembleRelease` in android/ → android/qorgan/build/outputs/aar/qorgan-release.aar.
#
#   scripts/build-android.sh                   everything (steps 2-3 need the Android SDK and Gradle)
#   scripts/build-android.sh --native          step 1 only
#   scripts/build-android.sh --aar             step 1, then the AAR and its POM by hand, without
#                                              the SDK or Gradle (scripts/package-android.sh --aar):
#                                              target/android/qorgan.aar, qorgan.pom
#   scripts/build-android.sh --apk             as --aar, plus the checker app, signed with a debug
#                                              key: target/android/qorgan-checker.apk (verified
#                                              here and in CI: scripts/check-android-packages.sh)
#   scripts/build-android.sh --native --abi arm64-v8a   step 1 for one ABI (repeat --abi for more)
#   scripts/build-android.sh --zig | --ndk     force how step 1 links (default: the NDK when
#                                              ANDROID_NDK_HOME is set, else zig)
#   scripts/build-android.sh --check-default-features [--abi ...]
#                                              only `cargo check` the crate with its default
#                                              features (the live probe) for the ABIs (zig path):
#                                              every feature set offered must compile for Android
#   --prune                                    (zig path) delete each triple's build directory once
#                                              its library is copied or checked: CI, short of disk
#
# Step 1 has two ways:
#   - with the Android NDK (ANDROID_NDK_HOME, r28+) and cargo-ndk 4: written from the tools'
#     documentation, NOT run in this project's CI (no NDK there);
#   - without an NDK (verified, and what CI runs): zig as C compiler and linker, against a sysroot
#     made from Bionic's symbol maps, headers and crt sources kept in platform/android-bionic
#     (scripts/lib/android_sysroot.sh), generated into <target>/android/sysroot/<abi>. zig and the
#     Rust targets are installed into ~/.cache/qorgan by scripts/lib/toolchains.sh.
# Steps 2-3 need the Android SDK (ANDROID_HOME or android/local.properties) and Gradle 9
# (android/gradlew or `gradle` on PATH), which this project's CI does not have either; --aar and
# --apk package the committed bindings/kotlin-android instead (check-android-libs.sh checks that
# the engine exports what they call). Check what step 1 built with scripts/check-android-libs.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd -P)

# The cargo package that is the phone library, and the file it produces (set in one place).
# shellcheck source=scripts/lib/phone_lib.sh
. scripts/lib/phone_lib.sh
package=$QORGAN_PHONE_PACKAGE
lib_file=$QORGAN_PHONE_LIB_FILE

native_only=0
hand_pack=()
mode=auto
prune=0
sel_abis=()
while [ $# -gt 0 ]; do
    case "$1" in
    --native) native_only=1 ;;
    --aar) hand_pack=(--aar) ;;
    --apk) hand_pack=(--apk) ;;
    --check-default-features) mode=check ;;
    --prune) prune=1 ;;
    --zig) mode=zig ;;
    --ndk) mode=ndk ;;
    --abi)
        [ $# -ge 2 ] || { echo "--abi needs a value" >&2; exit 2; }
        sel_abis+=("$2")
        shift
        ;;
    -h | --help)
        sed -n '2,37p' "$0" | sed 's/^# \{0,1\}//'
        exit 0
        ;;
    *)
        echo "unknown option: $1 (try --help)" >&2
        exit 2
        ;;
    esac
    shift
done

die() {
    printf 'build-android: %s\n' "$*" >&2
    exit 1
}
say() { printf 'build-android: %s\n' "$*" >&2; }

# shellcheck source=scripts/lib/toolchains.sh
. scripts/lib/toolchains.sh
# shellcheck source=scripts/lib/android_sysroot.sh
. scripts/lib/android_sysroot.sh

all_abis=(arm64-v8a armeabi-v7a x86_64)
if [ "${#sel_abis[@]}" -eq 0 ]; then
    abis=("${all_abis[@]}")
else
    abis=("${sel_abis[@]}")
fi
triples=()
for a in "${abis[@]}"; do
    info=$(android_abi_info "$a") || exit 2
    triples+=("${info%% *}")
done
api=24
target="${CARGO_TARGET_DIR:-$repo/target}"
jnilibs="$target/android/jniLibs"

if [ "$mode" = auto ]; then
    if [ -n "${ANDROID_NDK_HOME:-}" ]; then mode=ndk; else mode=zig; fi
fi

# Google Play requires 16 KB-aligned native libraries for apps targeting Android 15+
# (developer.android.com/guide/practices/page-sizes). NDK r28+ links that way by default; older
# NDKs need the flag, and it is harmless with newer ones. RUSTFLAGS with --target applies to the
# Android artifacts only, not to build scripts. rustc gives a cdylib no DT_SONAME; Android's
# loader identifies a library by it (and logs a warning for one without), as the NDK's build
# systems set it.
# scripts/lib/phone-rustflags: the crates' source paths in panic locations without the
# builder's home directory.
export RUSTFLAGS="${RUSTFLAGS:+$RUSTFLAGS }$("$repo/scripts/lib/phone-rustflags") -C link-arg=-Wl,-z,max-page-size=16384 -C link-arg=-Wl,-soname,$lib_file"

# `cargo rustc --crate-type cdylib`, not `cargo build`: the crate's types also include "lib"
# (the rlib for the CLI and tests), and when rustc emits an rlib in the same run cargo silently
# drops the profile's fat LTO for every output (rust-lang/cargo#9672, rust-lang/rust#51009):
# the library would be about 0.5 MB larger. --no-default-features: no live probe (rustls), since
# QorganChecker makes its handshakes with Android's own TLS stack (0.7 MB less).
cargo_args=(rustc -p "$package" --lib --profile mobile --no-default-features --crate-type cdylib)
# The library is linked through scripts/lib/phone-linker, which runs the real linker (named by
# QORGAN_PHONE_LINKER) without exporting UniFFI's metadata statics: only the binding generator
# reads them, from the host build (36 KB).
link_args=(-- -C "linker=$repo/scripts/lib/phone-linker")

if [ "$mode" != check ]; then
    mkdir -p "$jnilibs"
    for a in "${abis[@]}"; do rm -f "$jnilibs/$a/$lib_file"; done
fi

# ---- 1a. with the NDK (cargo-ndk) ----------------------------------------------------------------

build_ndk() {
    if [ -z "${ANDROID_NDK_HOME:-}" ]; then
        die "ANDROID_NDK_HOME is not set. Install the NDK (r28 or newer) with Android Studio's SDK Manager
  or: sdkmanager \"ndk;28.2.13676358\"
  then: export ANDROID_NDK_HOME=\$ANDROID_HOME/ndk/28.2.13676358
  (or build without an NDK: scripts/build-android.sh --zig)"
    fi
    [ -f "$ANDROID_NDK_HOME/source.properties" ] ||
        die "ANDROID_NDK_HOME=$ANDROID_NDK_HOME is not an NDK (no source.properties there)"
    local ndk_version ndk_tool_version t
    ndk_version=$(sed -n 's/^Pkg.Revision *= *//p' "$ANDROID_NDK_HOME/source.properties")
    command -v cargo-ndk >/dev/null 2>&1 ||
        die "cargo-ndk is not installed: cargo install cargo-ndk --version '^4' (or: cargo binstall cargo-ndk)"
    ndk_tool_version=$(cargo ndk --version 2>/dev/null | awk '{print $2}')
    case "$ndk_tool_version" in
    4.*) ;;
    *) die "cargo-ndk $ndk_tool_version found; this script uses cargo-ndk 4 (-t/-P/-o): cargo install cargo-ndk --version '^4' --force" ;;
    esac
    ensure_rust_targets "${triples[@]}" || die "could not add the Rust targets ${triples[*]}"
    say "NDK $ndk_version ($ANDROID_NDK_HOME), cargo-ndk $ndk_tool_version"
    # One ABI per run, so that scripts/lib/phone-linker runs the NDK's clang for that ABI
    # (toolchains/llvm/prebuilt/<host>/bin/<triple><api>-clang, as in the NDK's layout).
    local host_tag clang_triple
    case "$(uname -s)" in
    Darwin) host_tag=darwin-x86_64 ;;
    *) host_tag=linux-x86_64 ;;
    esac
    for a in "${abis[@]}"; do
        case "$a" in
        armeabi-v7a) clang_triple=armv7a-linux-androideabi ;;
        *) clang_triple=$(android_abi_info "$a" | awk '{print $1}') ;;
        esac
        t=$(android_abi_info "$a" | awk '{print $1}')
        # --config rather than rustc's -C linker after `--`: cargo-ndk adds its own arguments.
        local link_config="target.$t.linker=\"$repo/scripts/lib/phone-linker\""
        say "cargo ndk -t $a --platform $api -o $jnilibs ${cargo_args[*]} --config $link_config"
        QORGAN_PHONE_LINKER="$ANDROID_NDK_HOME/toolchains/llvm/prebuilt/$host_tag/bin/$clang_triple$api-clang" \
            cargo ndk -t "$a" --platform "$api" -o "$jnilibs" "${cargo_args[@]}" --config "$link_config"
    done
    # cargo-ndk copies what `cargo build` reports; with `cargo rustc` take it from the target dir.
    local i
    for i in "${!abis[@]}"; do
        t="${triples[$i]}"
        a="${abis[$i]}"
        if [ ! -f "$jnilibs/$a/$lib_file" ]; then
            mkdir -p "$jnilibs/$a"
            cp "$target/$t/mobile/$lib_file" "$jnilibs/$a/$lib_file" 2>/dev/null || true
        fi
    done
}

# ---- 1b. without an NDK: zig and a sysroot generated from platform/android-bionic ---------------

build_zig() {
    # QORGAN_BIONIC_DIR: another copy of Bionic (a full AOSP checkout, to refresh the subset kept
    # here; see platform/android-bionic/README.md).
    local check_only="${1:-0}"
    local zig bionic="${QORGAN_BIONIC_DIR:-$repo/platform/android-bionic}" i a t sysroot env_t start
    [ -d "$bionic/libc" ] || die "$bionic is missing (it is part of the repository)"
    command -v python3 >/dev/null 2>&1 || _qorgan_apt_install python3 || die "python3 is needed"
    zig=$(ensure_zig) || die "could not install zig (scripts/lib/toolchains.sh ensure_zig)"
    ensure_rust_targets "${triples[@]}" || die "could not add the Rust targets ${triples[*]}"
    say "zig $("$zig" version) ($zig), sysroots from platform/android-bionic at API $api"
    for i in "${!abis[@]}"; do
        a="${abis[$i]}"
        t="${triples[$i]}"
        sysroot="$target/android/sysroot/$a"
        android_sysroot "$a" "$api" "$zig" "$bionic" "$sysroot" || die "could not make the $a sysroot"
        env_t=$(tr 'a-z-' 'A-Z_' <<<"$t")
        start=$SECONDS
        local tool_env=("CC_${t//-/_}=$sysroot/bin/cc" "AR_${t//-/_}=$sysroot/bin/ar"
            "CARGO_TARGET_${env_t}_LINKER=$sysroot/bin/linker")
        if [ "$check_only" = 1 ]; then
            say "$a: cargo check -p $package --lib --target $t (default features)"
            env "${tool_env[@]}" cargo check -p "$package" --lib --target "$t"
            say "$a: checked in $((SECONDS - start)) s"
            [ "$prune" = 0 ] || rm -rf "${target:?}/$t/debug"
            continue
        fi
        say "$a: cargo ${cargo_args[*]} --target $t ${link_args[*]}"
        env "${tool_env[@]}" "QORGAN_PHONE_LINKER=$sysroot/bin/linker" \
            cargo "${cargo_args[@]}" --target "$t" "${link_args[@]}"
        mkdir -p "$jnilibs/$a"
        cp "$target/$t/mobile/$lib_file" "$jnilibs/$a/$lib_file"
        [ "$prune" = 0 ] || rm -rf "${target:?}/$t/mobile"
        say "$a: built in $((SECONDS - start)) s"
    done
}

case "$mode" in
ndk) build_ndk ;;
zig) build_zig ;;
check)
    build_zig 1
    exit 0
    ;;
esac

for a in "${abis[@]}"; do
    so="$jnilibs/$a/$lib_file"
    [ -f "$so" ] || die "no $so was produced"
    say "  $a: $(wc -c <"$so") bytes ($so)"
done
say "check them with: scripts/check-android-libs.sh"

[ "$native_only" = 0 ] || exit 0
if [ "${#hand_pack[@]}" -gt 0 ]; then
    [ "${#abis[@]}" -eq "${#all_abis[@]}" ] || die "${hand_pack[0]} packages all of ${all_abis[*]}: drop --abi"
    if [ "${hand_pack[0]}" = --aar ]; then scripts/package-android.sh --aar; else scripts/package-android.sh; fi
    exit 0
fi

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
