#!/usr/bin/env bash
# Builds the Rust engine for iOS as a static library and packs it into an xcframework.
#
# Two ways, chosen by what the machine has:
#
#   - With Xcode (macOS, xcodebuild and lipo on PATH): the device (arm64), the simulators (arm64 +
#     x86_64) and macOS (arm64 + x86_64), packed by `xcodebuild -create-xcframework` into
#       ios/QorganFFI.xcframework               (what ios/Package.swift's binary target uses)
#       ios/Sources/QorganCore/QorganCore.swift  (the generated Swift, copied from bindings/swift)
#     Then `cd ios && swift build` and `swift run QorganTestRunner` on the Mac.
#     Written from Apple's documentation; NOT run in this project's CI (no Mac there).
#
#   - Without Xcode (Linux; verified, and what CI runs): zig as the C compiler for ring's C and
#     assembly (scripts/lib/toolchains.sh ensure_zig, the same zig as build-android.sh), the
#     device library only, and the xcframework assembled by hand, as xcodebuild lays it out:
#       <target>/ios/Qorgan.xcframework/Info.plist
#       <target>/ios/Qorgan.xcframework/ios-arm64/libqorgan_ffi.a
#       <target>/ios/Qorgan.xcframework/ios-arm64/Headers/{QorganFFI.h,module.modulemap}
#     (<target> is $CARGO_TARGET_DIR, else target/). The simulator slices are built when rustup
#     can install their targets; on these machines it cannot (aarch64-apple-ios-sim and
#     x86_64-apple-ios: the rust-std download fails), so they are skipped with a message.
#     Nothing can be linked or run here (no iOS SDK, no Apple swiftc): check the result with
#     scripts/check-ios-lib.sh (Mach-O platform and minos, exports against QorganFFI.h, imports,
#     Info.plist).
#
#   scripts/build-ios.sh            the way the machine allows
#   scripts/build-ios.sh --zig      force the zig way (on a Mac too)
#   scripts/build-ios.sh --prune    (zig way) delete each triple's build directory once its
#                                   library is copied: CI, short of disk
# Exit status 3: a tool could not be installed (zig, the Rust target).
#
# Environment (optional):
#   QORGAN_IOS_PROFILE=mobile          cargo profile (Cargo.toml [profile.mobile]: opt "z", fat LTO)
#   QORGAN_IOS_NO_MACOS=1              (Xcode) skip the macOS slices
#   QORGAN_IOS_SKIP_BINDINGS_CHECK=1   do not check that bindings/ matches the Rust code
#   QORGAN_IOS_APP_EXTENSION=1         (Xcode) link with -application_extension
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd -P)

die() { printf 'build-ios.sh: %s\n' "$*" >&2; exit 1; }
# A tool that cannot be had (zig, the Rust target): exit 3, which scripts/test.sh reports as a skip.
die_tool() { printf 'build-ios.sh: %s\n' "$*" >&2; exit 3; }
log() { printf '[build-ios] %s\n' "$*" >&2; }

mode=auto
prune=0
while [ $# -gt 0 ]; do
    case "$1" in
    --zig) mode=zig ;;
    --xcode) mode=xcode ;;
    --prune) prune=1 ;;
    -h | --help)
        sed -n '2,36p' "$0" | sed 's/^# \{0,1\}//'
        exit 0
        ;;
    *) die "unknown option: $1 (try --help)" ;;
    esac
    shift
done
if [ "$mode" = auto ]; then
    if [ "$(uname -s)" = Darwin ] && command -v xcodebuild >/dev/null 2>&1; then mode=xcode; else mode=zig; fi
fi

# shellcheck source=scripts/lib/phone_lib.sh
. scripts/lib/phone_lib.sh
package=$QORGAN_PHONE_PACKAGE
profile=${QORGAN_IOS_PROFILE:-mobile}
tdir="${CARGO_TARGET_DIR:-$repo/target}"
device=aarch64-apple-ios
# The deployment target matching ios/Package.swift (platforms: iOS 15, macOS 12); the C parts of
# ring are compiled for it too (cc-rs reads these variables), and rustc writes it as the minos.
export IPHONEOS_DEPLOYMENT_TARGET=15.0

# `cargo rustc --crate-type staticlib`: with the rlib in the same run, cargo silently drops the
# profile's LTO (rust-lang/cargo#9672), as build-android.sh explains. No live probe (rustls): on
# Apple platforms QorganChecker makes its handshakes with Network.framework.
cargo_args=(rustc -p "$package" --lib --profile "$profile" --no-default-features --crate-type staticlib)
# The flags of every phone library (scripts/lib/phone-rustflags: source paths in panic locations
# without the builder's home directory). With --target they apply to the iOS artifacts only.
export RUSTFLAGS="${RUSTFLAGS:+$RUSTFLAGS }$(scripts/lib/phone-rustflags)"

# 1. The generated Swift must describe the code being built: UniFFI checks function checksums at
#    load time, but not record layouts, so stale bindings fail at run time, not here.
if [ "${QORGAN_IOS_SKIP_BINDINGS_CHECK:-0}" != 1 ]; then
    log "checking bindings/ against the Rust code"
    scripts/generate-bindings.sh --check ||
        die "bindings/ is stale: run scripts/generate-bindings.sh, review and commit, then run this again"
fi

# The C header and a module map whose module is what QorganCore.swift imports (QorganFFI),
# linking Security. Generated from the host build of the same code (UniFFI metadata does not
# depend on the target), with the workspace's pinned uniffi-bindgen-swift.
make_headers() {
    local out="$1" host_lib swiftgen
    log "generating QorganFFI.h and module.modulemap"
    cargo build --quiet -p "$package" --lib
    cargo build --quiet -p uniffi-bindgen
    host_lib="$tdir/debug/libqorgan_ffi.dylib"
    [ -f "$host_lib" ] || host_lib="$tdir/debug/libqorgan_ffi.so"
    swiftgen="$tdir/debug/uniffi-bindgen-swift"
    mkdir -p "$out"
    "$swiftgen" "$host_lib" "$out" --headers >/dev/null
    "$swiftgen" "$host_lib" "$out" --modulemap --module-name QorganFFI \
        --modulemap-filename module.modulemap --link-frameworks Security >/dev/null
    if [ ! -f "$out/QorganFFI.h" ] || [ ! -f "$out/module.modulemap" ]; then
        die "uniffi-bindgen-swift did not write QorganFFI.h and module.modulemap to $out"
    fi
}

# ---- with Xcode ----------------------------------------------------------------------------------

build_xcode() {
    local simulators=(aarch64-apple-ios-sim x86_64-apple-ios)
    local macos=(aarch64-apple-darwin x86_64-apple-darwin)
    [ "${QORGAN_IOS_NO_MACOS:-0}" = 1 ] && macos=()
    local targets=("$device" "${simulators[@]}" "${macos[@]}") t args build xcf
    for tool in xcodebuild lipo cargo rustup; do
        command -v "$tool" >/dev/null 2>&1 || die "'$tool' not found (install Xcode, its command line tools, and rustup)"
    done
    xcodebuild -version >/dev/null 2>&1 ||
        die "xcodebuild does not run: select a full Xcode with 'sudo xcode-select -s /Applications/Xcode.app'"
    export MACOSX_DEPLOYMENT_TARGET=12.0
    if [ "${QORGAN_IOS_APP_EXTENSION:-0}" = 1 ]; then
        export RUSTFLAGS="$RUSTFLAGS -C link-arg=-Wl,-application_extension"
    fi

    log "rustup target add ${targets[*]}"
    rustup target add "${targets[@]}" >&2
    for t in "${targets[@]}"; do
        log "cargo ${cargo_args[*]} --target $t"
        cargo "${cargo_args[@]}" --target "$t"
        [ -f "$tdir/$t/$profile/libqorgan_ffi.a" ] || die "no $tdir/$t/$profile/libqorgan_ffi.a after the build"
    done

    build="$repo/ios/build"
    rm -rf "$build"
    mkdir -p "$build/ios-simulator" "$build/macos" "$build/headers"

    # One fat library per platform (an xcframework holds one library per platform variant).
    args=()
    for t in "${simulators[@]}"; do args+=("$tdir/$t/$profile/libqorgan_ffi.a"); done
    lipo -create "${args[@]}" -output "$build/ios-simulator/libqorgan_ffi.a"
    if [ "${#macos[@]}" -gt 0 ]; then
        args=()
        for t in "${macos[@]}"; do args+=("$tdir/$t/$profile/libqorgan_ffi.a"); done
        lipo -create "${args[@]}" -output "$build/macos/libqorgan_ffi.a"
    fi

    make_headers "$build/headers"

    xcf="$repo/ios/QorganFFI.xcframework"
    rm -rf "$xcf"
    args=(-library "$tdir/$device/$profile/libqorgan_ffi.a" -headers "$build/headers"
        -library "$build/ios-simulator/libqorgan_ffi.a" -headers "$build/headers")
    if [ "${#macos[@]}" -gt 0 ]; then
        args+=(-library "$build/macos/libqorgan_ffi.a" -headers "$build/headers")
    fi
    log "xcodebuild -create-xcframework -> ios/QorganFFI.xcframework"
    xcodebuild -create-xcframework "${args[@]}" -output "$xcf" >&2

    # The generated Swift, from the one committed copy.
    cp bindings/swift/QorganCore.swift ios/Sources/QorganCore/QorganCore.swift

    log "done: ios/QorganFFI.xcframework ($(du -sh "$xcf" | cut -f1)), ios/Sources/QorganCore/QorganCore.swift"
    log "next: cd ios && swift build && swift run QorganTestRunner"
}

# ---- without Xcode: zig ------------------------------------------------------------------------

# zig_cc_wrapper ZIG OUT: a C compiler for cc-rs, one for every triple: the zig target comes
# from QORGAN_IOS_ZIG_TARGET (architecture, OS, minimum version, ABI). cc-rs adds the Apple
# toolchain's arguments, which zig does not take (-arch X, -isysroot X, --target=...): dropped.
zig_cc_wrapper() {
    local zig="$1" out="$2"
    mkdir -p "$(dirname "$out")"
    cat >"$out" <<EOF
#!/usr/bin/env bash
# Generated by scripts/build-ios.sh: zig cc as the iOS C compiler of cc-rs (ring's C and asm).
args=()
while [ \$# -gt 0 ]; do
    case "\$1" in
    -arch | -isysroot | -target | --target) shift ;;
    --target=* | -mios-simulator-version-min=* | -miphoneos-version-min=*) ;;
    *) args+=("\$1") ;;
    esac
    shift
done
exec "$zig" cc -target "\${QORGAN_IOS_ZIG_TARGET:?set by scripts/build-ios.sh}" \\
    -isystem "${zig%/zig}/lib/libc/include/any-darwin-any" "\${args[@]}"
EOF
    chmod +x "$out"
}

# triple → "<xcframework arch> <zig target> <platform variant>"
zig_triple_info() {
    local v=$IPHONEOS_DEPLOYMENT_TARGET
    case "$1" in
    aarch64-apple-ios) echo "arm64 aarch64-ios.$v device" ;;
    aarch64-apple-ios-sim) echo "arm64 aarch64-ios.$v-simulator simulator" ;;
    x86_64-apple-ios) echo "x86_64 x86_64-ios.$v-simulator simulator" ;;
    *) return 1 ;;
    esac
}

build_zig() {
    local zig t info zig_target env_t tool sdk a start built=() skipped=() sim=() out xcf ident
    # shellcheck source=scripts/lib/toolchains.sh
    . scripts/lib/toolchains.sh
    zig=$(ensure_zig) || die_tool "could not install zig (scripts/lib/toolchains.sh ensure_zig)"
    log "zig $("$zig" version) ($zig); iOS $IPHONEOS_DEPLOYMENT_TARGET"
    ensure_rust_targets "$device" || die_tool "could not add the Rust target $device"
    local triples=("$device")
    for t in aarch64-apple-ios-sim x86_64-apple-ios; do
        if ensure_rust_targets "$t" 2>/dev/null; then
            triples+=("$t")
        else
            skipped+=("$t")
            log "skipped $t (simulator): 'rustup target add $t' fails on this machine (the rust-std download fails)"
        fi
    done
    # cc-rs looks for the SDK with xcrun unless SDKROOT is set; zig brings its own headers, so an
    # empty directory will do.
    sdk="$tdir/ios/toolchain/sdk"
    mkdir -p "$sdk"
    tool="$tdir/ios/toolchain/cc"
    zig_cc_wrapper "$zig" "$tool"
    for t in "${triples[@]}"; do
        info=$(zig_triple_info "$t")
        read -r a zig_target _ <<<"$info"
        env_t=${t//-/_}
        start=$SECONDS
        log "$t: cargo ${cargo_args[*]} --target $t"
        env "CC_$env_t=$tool" QORGAN_IOS_ZIG_TARGET="$zig_target" SDKROOT="$sdk" cargo "${cargo_args[@]}" --target "$t"
        [ -f "$tdir/$t/$profile/libqorgan_ffi.a" ] || die "no $tdir/$t/$profile/libqorgan_ffi.a after the build"
        out="$tdir/ios/lib/$t/libqorgan_ffi.a"
        mkdir -p "$(dirname "$out")"
        cp "$tdir/$t/$profile/libqorgan_ffi.a" "$out"
        log "$t: built in $((SECONDS - start)) s"
        if [ "$prune" = 1 ]; then rm -rf "${tdir:?}/$t"; fi
        built+=("$t")
    done

    xcf="$tdir/ios/Qorgan.xcframework"
    rm -rf "$xcf"
    # The slices: ios-arm64 (device); ios-<archs>-simulator, one library for all simulator
    # architectures (two need llvm-lipo, from LLVM newer than Debian's 14, which crashes on Rust's
    # embedded bitcode).
    local entries=()
    mkdir -p "$xcf/ios-arm64"
    cp "$tdir/ios/lib/$device/libqorgan_ffi.a" "$xcf/ios-arm64/libqorgan_ffi.a"
    make_headers "$xcf/ios-arm64/Headers"
    entries+=("ios-arm64|arm64|")
    for t in "${built[@]}"; do [ "$t" = "$device" ] || sim+=("$t"); done
    if [ "${#sim[@]}" -gt 0 ]; then
        local archs=() lib_args=()
        for t in "${sim[@]}"; do
            read -r a _ <<<"$(zig_triple_info "$t")"
            archs+=("$a")
            lib_args+=("$tdir/ios/lib/$t/libqorgan_ffi.a")
        done
        ident="ios-$(IFS=_; echo "${archs[*]}")-simulator"
        mkdir -p "$xcf/$ident"
        if [ "${#sim[@]}" -eq 1 ]; then
            cp "${lib_args[0]}" "$xcf/$ident/libqorgan_ffi.a"
        else
            local lipo="" c v
            for c in llvm-lipo-22 llvm-lipo; do
                command -v "$c" >/dev/null 2>&1 || continue
                v=$("$c" --version 2>/dev/null | sed -n 's/.*LLVM version \([0-9]*\).*/\1/p' | head -n 1)
                if [ "${v:-0}" -gt 14 ]; then lipo=$c; break; fi
            done
            [ -n "$lipo" ] || die "two simulator slices need an llvm-lipo newer than LLVM 14 (apt-get install llvm-22)"
            "$lipo" -create "${lib_args[@]}" -output "$xcf/$ident/libqorgan_ffi.a"
        fi
        cp -r "$xcf/ios-arm64/Headers" "$xcf/$ident/Headers"
        entries+=("$ident|$(IFS=,; echo "${archs[*]}")|simulator")
    fi
    write_xcframework_plist "$xcf/Info.plist" "${entries[@]}"

    local lib="$xcf/ios-arm64/libqorgan_ffi.a" stripped
    stripped=""
    if command -v llvm-strip >/dev/null 2>&1; then
        llvm-strip -S "$lib" -o "$tdir/ios/libqorgan_ffi.stripped.a" 2>/dev/null &&
            stripped=", $(wc -c <"$tdir/ios/libqorgan_ffi.stripped.a") bytes after llvm-strip -S"
    fi
    log "ios-arm64: $(wc -c <"$lib") bytes$stripped ($lib)"
    [ "${#skipped[@]}" -eq 0 ] || log "skipped: ${skipped[*]} (no Rust standard library for them here)"
    log "done: $xcf (Info.plist written by hand: no xcodebuild here)"
    log "check it with: scripts/check-ios-lib.sh"
}

# write_xcframework_plist FILE "ident|arch,arch|variant"... -- the Info.plist as
# `xcodebuild -create-xcframework` (Xcode 15+) writes it for static libraries with headers.
write_xcframework_plist() {
    local file="$1" e ident archs variant a
    shift
    {
        cat <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
	<key>AvailableLibraries</key>
	<array>
EOF
        for e in "$@"; do
            IFS='|' read -r ident archs variant <<<"$e"
            printf '\t\t<dict>\n'
            printf '\t\t\t<key>BinaryPath</key>\n\t\t\t<string>libqorgan_ffi.a</string>\n'
            printf '\t\t\t<key>HeadersPath</key>\n\t\t\t<string>Headers</string>\n'
            printf '\t\t\t<key>LibraryIdentifier</key>\n\t\t\t<string>%s</string>\n' "$ident"
            printf '\t\t\t<key>LibraryPath</key>\n\t\t\t<string>libqorgan_ffi.a</string>\n'
            printf '\t\t\t<key>SupportedArchitectures</key>\n\t\t\t<array>\n'
            for a in ${archs//,/ }; do printf '\t\t\t\t<string>%s</string>\n' "$a"; done
            printf '\t\t\t</array>\n'
            printf '\t\t\t<key>SupportedPlatform</key>\n\t\t\t<string>ios</string>\n'
            if [ -n "$variant" ]; then
                printf '\t\t\t<key>SupportedPlatformVariant</key>\n\t\t\t<string>%s</string>\n' "$variant"
            fi
            printf '\t\t</dict>\n'
        done
        cat <<'EOF'
	</array>
	<key>CFBundlePackageType</key>
	<string>XFWK</string>
	<key>XCFrameworkFormatVersion</key>
	<string>1.0</string>
</dict>
</plist>
EOF
    } >"$file"
}

case "$mode" in
xcode) build_xcode ;;
zig) build_zig ;;
esac
