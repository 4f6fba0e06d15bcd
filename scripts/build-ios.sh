#!/usr/bin/env bash
# Builds the iOS/macOS package inputs on a Mac with Xcode:
#
#   ios/QorganFFI.xcframework            the Rust engine as static libraries for
#                                         iOS devices (arm64), the iOS simulator (arm64 + x86_64)
#                                         and macOS (arm64 + x86_64), with QorganFFI.h and a
#                                         module map (module QorganFFI, links Security)
#   ios/Sources/QorganCore/QorganCore.swift  the generated Swift, copied from bindings/swift
#
# Then `cd ios && swift build` (or add ios/ to an Xcode project as a local package), and
# `swift run QorganTestRunner` runs the Swift tests on the Mac.
#
# NOT RUN IN THIS PROJECT'S CI: it needs macOS, Xcode (xcodebuild, lipo) and the Apple rustup
# targets, none of which exist on the Linux build machines. The platform-neutral Swift is tested
# there by scripts/test-swift.sh instead.
#
# Environment (optional):
#   QORGAN_IOS_PROFILE=mobile          cargo profile (Cargo.toml [profile.mobile]: opt "s", fat LTO)
#   QORGAN_IOS_NO_MACOS=1              skip the macOS slices (faster; no `swift run` on the Mac)
#   QORGAN_IOS_SKIP_BINDINGS_CHECK=1   do not check that bindings/ matches the Rust code
#   QORGAN_IOS_APP_EXTENSION=1         link with -application_extension (for app extensions)
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd -P)

die() { printf 'build-ios.sh: %s\n' "$*" >&2; exit 1; }
log() { printf '[build-ios] %s\n' "$*" >&2; }

if [ "$(uname -s)" != Darwin ]; then
    die "this builds Apple binaries and needs macOS with Xcode (xcodebuild, lipo); this machine runs $(uname -s).
On Linux, scripts/test-swift.sh compiles and tests the platform-neutral Swift against the host library."
fi
for tool in xcodebuild lipo cargo rustup; do
    command -v "$tool" >/dev/null 2>&1 || die "'$tool' not found (install Xcode, its command line tools, and rustup)"
done
xcodebuild -version >/dev/null 2>&1 ||
    die "xcodebuild does not run: select a full Xcode with 'sudo xcode-select -s /Applications/Xcode.app'"

profile=${QORGAN_IOS_PROFILE:-mobile}
device=aarch64-apple-ios
simulators=(aarch64-apple-ios-sim x86_64-apple-ios)
macos=(aarch64-apple-darwin x86_64-apple-darwin)
[ "${QORGAN_IOS_NO_MACOS:-0}" = 1 ] && macos=()
targets=("$device" "${simulators[@]}" "${macos[@]}")

# Deployment targets matching ios/Package.swift (platforms: iOS 15, macOS 12); the C parts of
# ring are compiled for them too (cc-rs reads these variables).
export IPHONEOS_DEPLOYMENT_TARGET=15.0
export MACOSX_DEPLOYMENT_TARGET=12.0
if [ "${QORGAN_IOS_APP_EXTENSION:-0}" = 1 ]; then
    export RUSTFLAGS="${RUSTFLAGS:-} -C link-arg=-Wl,-application_extension"
fi

# 1. The generated Swift must describe the code being built: UniFFI checks function checksums at
#    load time, but not record layouts, so stale bindings fail at run time, not here.
if [ "${QORGAN_IOS_SKIP_BINDINGS_CHECK:-0}" != 1 ]; then
    log "checking bindings/ against the Rust code"
    scripts/generate-bindings.sh --check ||
        die "bindings/ is stale: run scripts/generate-bindings.sh, review and commit, then run this again"
fi

# 2. The engine for every Apple target, as a static library.
tdir="${CARGO_TARGET_DIR:-target}"
log "rustup target add ${targets[*]}"
rustup target add "${targets[@]}" >&2
for t in "${targets[@]}"; do
    # `cargo rustc --crate-type staticlib`: with the rlib in the same run, cargo silently drops
    # the profile's LTO (rust-lang/cargo#9672), as build-android.sh explains. No live probe
    # (rustls): on Apple platforms QorganChecker makes its handshakes with Network.framework.
    log "cargo rustc -p qorgan-ffi --lib --profile $profile --target $t --no-default-features --crate-type staticlib"
    cargo rustc -p qorgan-ffi --lib --profile "$profile" --target "$t" --no-default-features --crate-type staticlib
    [ -f "$tdir/$t/$profile/libqorgan_ffi.a" ] || die "no $tdir/$t/$profile/libqorgan_ffi.a after the build"
done

build="$repo/ios/build"
rm -rf "$build"
mkdir -p "$build/ios-simulator" "$build/macos" "$build/headers"

# 3. One fat library per platform (an xcframework holds one library per platform variant).
args=()
for t in "${simulators[@]}"; do args+=("$tdir/$t/$profile/libqorgan_ffi.a"); done
lipo -create "${args[@]}" -output "$build/ios-simulator/libqorgan_ffi.a"
if [ "${#macos[@]}" -gt 0 ]; then
    args=()
    for t in "${macos[@]}"; do args+=("$tdir/$t/$profile/libqorgan_ffi.a"); done
    lipo -create "${args[@]}" -output "$build/macos/libqorgan_ffi.a"
fi

# 4. The C header and a module map whose module is what QorganCore.swift imports (QorganFFI),
#    linking Security. Generated from the host build of the same code (UniFFI metadata does not
#    depend on the target), with the workspace's pinned uniffi-bindgen-swift.
log "generating QorganFFI.h and module.modulemap"
cargo build --quiet -p qorgan-ffi --lib
cargo build --quiet -p uniffi-bindgen
host_lib="$tdir/debug/libqorgan_ffi.dylib"
[ -f "$host_lib" ] || host_lib="$tdir/debug/libqorgan_ffi.so"
swiftgen="$tdir/debug/uniffi-bindgen-swift"
"$swiftgen" "$host_lib" "$build/headers" --headers
"$swiftgen" "$host_lib" "$build/headers" --modulemap --module-name QorganFFI \
    --modulemap-filename module.modulemap --link-frameworks Security
if [ ! -f "$build/headers/QorganFFI.h" ] || [ ! -f "$build/headers/module.modulemap" ]; then
    die "uniffi-bindgen-swift did not write QorganFFI.h and module.modulemap to $build/headers"
fi

# 5. The xcframework.
xcf="$repo/ios/QorganFFI.xcframework"
rm -rf "$xcf"
args=(-library "$tdir/$device/$profile/libqorgan_ffi.a" -headers "$build/headers"
      -library "$build/ios-simulator/libqorgan_ffi.a" -headers "$build/headers")
if [ "${#macos[@]}" -gt 0 ]; then
    args+=(-library "$build/macos/libqorgan_ffi.a" -headers "$build/headers")
fi
log "xcodebuild -create-xcframework -> ios/QorganFFI.xcframework"
xcodebuild -create-xcframework "${args[@]}" -output "$xcf" >&2

# 6. The generated Swift, from the one committed copy.
cp bindings/swift/QorganCore.swift ios/Sources/QorganCore/QorganCore.swift

log "done: ios/QorganFFI.xcframework ($(du -sh "$xcf" | cut -f1)), ios/Sources/QorganCore/QorganCore.swift"
log "next: cd ios && swift build && swift run QorganTestRunner"
