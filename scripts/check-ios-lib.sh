#!/usr/bin/env bash
# Checks the xcframework built by scripts/build-ios.sh (the zig way, <target>/ios/Qorgan.xcframework)
# without Apple's tools: Info.plist well-formed and pointing at files that exist; every archive
# member a Mach-O object of the listed architecture built for iOS (LC_BUILD_VERSION platform IOS,
# IOSSIMULATOR for a simulator slice) with minos no newer than 15.0; every uniffi_*/ffi_*
# function of QorganFFI.h defined in the archive; the undefined imports listed and looked up in
# zig's libSystem.tbd (macOS's, a proxy for iOS). Then the same checks on xcframeworks made wrong
# on purpose, which must fail. Installs llvm-nm (Debian's llvm) if missing; zig comes from
# scripts/lib/toolchains.sh.
#
#   scripts/check-ios-lib.sh                 <target>/ios/Qorgan.xcframework
#   scripts/check-ios-lib.sh PATH.xcframework
#
# Last line: "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd -P)
minos=15.0 # IPHONEOS_DEPLOYMENT_TARGET in scripts/build-ios.sh, iOS 15 in ios/Package.swift

fail_now() { echo "FAIL  $*"; echo "0 passed, 1 failed"; exit 1; }

# shellcheck source=scripts/lib/toolchains.sh
. scripts/lib/toolchains.sh
command -v python3 >/dev/null 2>&1 || _qorgan_apt_install python3 || fail_now "no python3"
nm=$(ensure_llvm_nm) || fail_now "no llvm-nm (apt-get install llvm)"
zig=$(ensure_zig 2>/dev/null) || zig=""
tbd=""
[ -z "$zig" ] || tbd="${zig%/zig}/lib/libc/darwin/libSystem.tbd"
[ -f "$tbd" ] || { echo "note  no zig libSystem.tbd: imports are listed, not looked up"; tbd=""; }

target="${CARGO_TARGET_DIR:-$repo/target}"
xcf="${1:-$target/ios/Qorgan.xcframework}"
[ -d "$xcf" ] || fail_now "no $xcf: run scripts/build-ios.sh first"
check=(python3 scripts/lib/check_ios_lib.py "$nm" "$xcf" "$minos" "$tbd")
rc=0
out=$("${check[@]}") || rc=$?
sed '$d' <<<"$out"
last=$(tail -n 1 <<<"$out")
if [[ "$last" =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed ]]; then
    p=${BASH_REMATCH[1]} f=${BASH_REMATCH[2]}
else
    echo "$last"
    echo "FAIL  scripts/lib/check_ios_lib.py did not finish"
    p=0 f=1
fi

# The checks themselves, on xcframeworks made wrong on purpose (needs zig and llvm-ar):
#   1. a library of a macOS object (platform MACOS) that defines none of the header's functions and
#      imports a symbol libSystem does not have, and an object for iOS 17 (newer than 15.0);
#   2. an Info.plist cut short (not well-formed);
#   3. an Info.plist whose LibraryPath names a file that is not there.
negative() {
    local bad hdr ar
    ar=$(command -v llvm-ar || true)
    if [ -z "$zig" ] || [ -z "$ar" ]; then
        echo "FAIL  cannot make the wrong-on-purpose xcframeworks (need zig and llvm-ar)"
        f=$((f + 1))
        return
    fi
    hdr="$xcf/ios-arm64/Headers"
    [ -d "$hdr" ] || hdr="$(dirname "$(find "$xcf" -name QorganFFI.h | head -n 1)")"
    bad=$(mktemp -d)
    # shellcheck disable=SC2064 # expand now
    trap "rm -rf '$bad'" RETURN
    printf 'extern int qorgan_no_such_import(void);\nint not_uniffi(void) { return qorgan_no_such_import(); }\n' >"$bad/x.c"
    printf 'int qorgan_needs_ios17(void) { return 17; }\n' >"$bad/y.c"
    if ! "$zig" cc -target aarch64-macos.13.0 -c "$bad/x.c" -o "$bad/x.o" 2>"$bad/cc.log" ||
        ! "$zig" cc -target aarch64-ios.17.0 -c "$bad/y.c" -o "$bad/y.o" 2>>"$bad/cc.log"; then
        echo "FAIL  could not compile the wrong-on-purpose object: $(head -3 "$bad/cc.log")"
        f=$((f + 1))
        return
    fi
    local n
    for n in 1 2 3; do
        mkdir -p "$bad/$n.xcframework/ios-arm64"
        cp -r "$hdr" "$bad/$n.xcframework/ios-arm64/Headers"
        "$ar" rcs "$bad/$n.xcframework/ios-arm64/libqorgan_ffi.a" "$bad/x.o" "$bad/y.o"
        cp "$xcf/Info.plist" "$bad/$n.xcframework/Info.plist"
    done
    head -c 200 "$xcf/Info.plist" >"$bad/2.xcframework/Info.plist"
    sed -i 's#<string>libqorgan_ffi.a</string>#<string>libmissing.a</string>#' "$bad/3.xcframework/Info.plist"
    local want out1 out2 out3 missed=()
    out1=$(python3 scripts/lib/check_ios_lib.py "$nm" "$bad/1.xcframework" "$minos" "$tbd" || true)
    out2=$(python3 scripts/lib/check_ios_lib.py "$nm" "$bad/2.xcframework" "$minos" "$tbd" || true)
    out3=$(python3 scripts/lib/check_ios_lib.py "$nm" "$bad/3.xcframework" "$minos" "$tbd" || true)
    for want in "Mach-O objects for IOS" "newer than $minos" "own object" "defines all"; do
        grep -q "^FAIL .*$want" <<<"$out1" || missed+=("$want")
    done
    if [ -n "$tbd" ]; then grep -q "^FAIL .*exported by libSystem" <<<"$out1" || missed+=("libSystem"); fi
    grep -q "^FAIL .*well-formed" <<<"$out2" || missed+=("plist well-formed")
    grep -q "^FAIL .*LibraryPath/BinaryPath/HeadersPath exist" <<<"$out3" || missed+=("plist paths")
    if [ "${#missed[@]}" -eq 0 ]; then
        echo "ok    the checks fail xcframeworks made wrong on purpose (a macOS object, an iOS 17 one, no exports, a foreign import; a cut plist; a missing library)"
        p=$((p + 1))
    else
        echo "FAIL  the checks passed xcframeworks made wrong on purpose: ${missed[*]}"
        f=$((f + 1))
    fi
}
negative
echo "$p passed, $f failed"
[ "$rc" -eq 0 ] && [ "$f" -eq 0 ]
