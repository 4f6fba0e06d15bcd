#!/usr/bin/env bash
# Install (or find) everything the Kotlin and Swift binding tests need, cached outside the checkout
# (default ~/.cache/qorgan, override with QORGAN_CACHE). Safe to re-run: a second run takes seconds.
#
#   scripts/install-toolchains.sh                # everything
#   scripts/install-toolchains.sh --no-swift     # skip the Swift root (saves ~3 GB)
#   scripts/install-toolchains.sh --no-kotlin    # skip Kotlin/JNA/OkHttp
#   scripts/install-toolchains.sh --no-android   # skip zig, the Rust Android targets, the APK tools
#   scripts/install-toolchains.sh --no-ios       # skip the Rust iOS target and llvm-nm
#   scripts/install-toolchains.sh --verify       # also run `kotlinc -version` and `swiftc --version`
#   eval "$(scripts/install-toolchains.sh)"      # stdout is KEY='value' lines, usable by CI
#
# On Debian 12 this needs root (apt-get, debootstrap); on a machine that already has kotlinc/swiftc
# on PATH (macOS with Xcode, Android Studio, SDKMAN) those are used and nothing is installed for them.
# Knobs: see scripts/lib/toolchains.sh.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
# shellcheck source=scripts/lib/toolchains.sh
. "$here/lib/toolchains.sh"

do_kotlin=1 do_swift=1 do_android=1 do_ios=1 verify=0
for arg in "$@"; do
    case "$arg" in
    --no-swift) do_swift=0 ;;
    --no-kotlin) do_kotlin=0 ;;
    --no-android) do_android=0 ;;
    --no-ios) do_ios=0 ;;
    --verify) verify=1 ;;
    -h | --help)
        sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'
        exit 0
        ;;
    *)
        echo "unknown option: $arg (try --help)" >&2
        exit 2
        ;;
    esac
done

say() { printf '%s\n' "$*" >&2; }
# KEY='value' on stdout (eval-able); the human-readable summary goes to stderr.
out() { printf "%s='%s'\n" "$1" "${2//\'/\'\\\'\'}"; say "  $1 = ${2:-<host toolchain>}"; }

start=$SECONDS
cache=$(qorgan_cache_dir)
say "qorgan toolchains (cache: $cache)"
out QORGAN_CACHE "$cache"

if [ "$do_kotlin" = 1 ]; then
    java=$(ensure_java)
    kotlinc=$(ensure_kotlinc)
    kotlin_lib=$(kotlin_lib_dir)
    jna=$(ensure_jna)
    maven_cp=$(ensure_maven_jars)
    out QORGAN_JAVA "$java"
    out QORGAN_KOTLINC "$kotlinc"
    out QORGAN_KOTLIN_LIB "$kotlin_lib"
    out QORGAN_JNA_JAR "$jna"
    out QORGAN_MAVEN_CLASSPATH "$maven_cp"
    if [ "$verify" = 1 ]; then
        "$java" -version 2>&1 | head -n 1 >&2
        "$kotlinc" -version 2>&1 | grep -i kotlin >&2 || true
    fi
fi

if [ "$do_swift" = 1 ]; then
    swift_root=$(ensure_swift_root)
    out QORGAN_SWIFT_ROOT "$swift_root"
    if [ "$verify" = 1 ]; then
        swift_run "$swift_root" "$here" swiftc --version >&2
    fi
fi

if [ "$do_android" = 1 ]; then
    # scripts/build-android.sh without an NDK: zig links against a sysroot it generates.
    zig=$(ensure_zig)
    ensure_rust_targets aarch64-linux-android armv7-linux-androideabi x86_64-linux-android
    readelf=$(ensure_readelf)
    # scripts/package-android.sh and check-android-packages.sh: Debian's Android build tools and
    # framework resources, R8 (D8), JNA's AAR and Robolectric's android-all (~150 MB in all).
    _qorgan_apt_install aapt apksigner zipalign android-framework-res dexdump
    ensure_r8_jar >/dev/null
    ensure_jna_aar "$QORGAN_JNA_VERSION" >/dev/null
    ensure_android_all_jar >/dev/null
    out QORGAN_ZIG "$zig"
    out QORGAN_READELF "$readelf"
    if [ "$verify" = 1 ]; then
        say "zig $("$zig" version)"
    fi
fi

if [ "$do_ios" = 1 ]; then
    # scripts/build-ios.sh without Xcode: zig compiles ring's C for iOS; check-ios-lib.sh reads
    # the archive with llvm-nm. (aarch64-apple-ios-sim and x86_64-apple-ios are not installable
    # on these machines: build-ios.sh skips the simulator slices.)
    zig=$(ensure_zig)
    ensure_rust_targets aarch64-apple-ios
    llvm_nm=$(ensure_llvm_nm)
    out QORGAN_ZIG "$zig"
    out QORGAN_LLVM_NM "$llvm_nm"
fi

say "done in $((SECONDS - start)) s"
