#!/usr/bin/env bash
# Builds and runs the Swift tests: the generated bindings (bindings/swift) and the platform-neutral
# part of the iOS wrapper (ios/Sources/Qorgan, everything outside `#if canImport(Security)`),
# against the host build of the engine (target/debug/libqorgan_ffi.so).
#
#   scripts/test-swift.sh            build everything, run all tests
#   scripts/test-swift.sh WORDS      run only the tests whose name contains WORDS
#   QORGAN_SWIFT_NO_CARGO=1 scripts/test-swift.sh   skip `cargo build` (use target/debug as it is)
#   QORGAN_SWIFT_BINDINGS=fresh scripts/test-swift.sh  when bindings/swift is stale, test bindings
#                                    regenerated from the library instead of failing
#
# Swift comes from scripts/lib/toolchains.sh: swiftc on PATH if there is one (a Mac with Xcode, a
# Linux box with swift.org's toolchain), else Swift 6.0.3 from a cached Debian trixie root
# (~/.cache/qorgan/trixie-root; built on first use, which needs root and a Debian mirror).
#
# Steps, each in target/swift-tests/<build>/ (under $CARGO_TARGET_DIR when set; a fresh dir per
# run, so no stale module cache):
#   1. cargo build -p qorgan-ffi                       -> target/debug/libqorgan_ffi.so
#      and check that bindings/swift is what that library generates (else: stale, stop)
#   2. swiftc bindings/swift/QorganCore.swift          -> libQorganCore.so + QorganCore.swiftmodule
#   3. swiftc ios/Sources/Qorgan/*.swift (-warnings-as-errors, Swift 5 and 6 language modes)
#                                                      -> libQorgan.so + Qorgan.swiftmodule
#   4. swiftc ios/Tests/QorganTests/*.swift            -> qorgan-swift-tests; run it
# The last line of the output is the runner's "N passed, N failed"; the exit status is non-zero
# when a test failed or a step did not build.
#
# The tests start their own peers: `openssl s_server` on 127.0.0.1 for the Checker's probes (the
# root's openssl, a dependency of ca-certificates; QORGAN_TEST_OPENSSL to use another) and an
# HTTP server inside the test process for the report uploader (URLSession from
# FoundationNetworking). Nothing leaves the machine.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd -P)
filter=${1:-}

# shellcheck source=scripts/lib/toolchains.sh
. scripts/lib/toolchains.sh

# Whatever happens, the last line of stdout is "N passed, N failed" (a build failure counts as one
# failed test), so that callers can parse it.
finished=0
trap 'rc=$?; if [ "$finished" = 0 ]; then log "stopped before the tests ran (exit $rc)"; echo "0 passed, 1 failed"; fi' EXIT
log() { printf '[test-swift] %s\n' "$*" >&2; }
t0=$(date +%s)
stamp() { printf '%ss' "$(($(date +%s) - t0))"; }

if [ "${QORGAN_SWIFT_NO_CARGO:-0}" = 1 ]; then
    log "QORGAN_SWIFT_NO_CARGO=1: using the library already in target/debug"
else
    log "cargo build -p qorgan-ffi"
    cargo build --quiet -p qorgan-ffi --lib
fi
target="${CARGO_TARGET_DIR:-$repo/target}"
lib_dir="$target/debug"
[ -f "$lib_dir/libqorgan_ffi.so" ] || [ -f "$lib_dir/libqorgan_ffi.dylib" ] || {
    log "no libqorgan_ffi.so/.dylib in $lib_dir after cargo build"
    exit 1
}

root=$(ensure_swift_root)
log "Swift: ${root:-host swiftc} ($(stamp))"

work_base="$target/swift-tests"
mkdir -p "$work_base"
work=$(mktemp -d "$work_base/build.XXXXXX")
# keep only the last few build dirs
find "$work_base" -mindepth 1 -maxdepth 1 -type d -name 'build.*' ! -path "$work" -printf '%T@ %p\n' 2>/dev/null |
    sort -rn | tail -n +4 | cut -d' ' -f2- | xargs -r rm -rf
# The committed bindings must match the library: UniFFI's checksums cover function signatures,
# not record fields or enum cases, so a stale QorganCore.swift loads fine and then misreads
# records (UniffiInternalError.unexpectedEnumCase, bufferOverflow, ...). Regenerate them from the
# library just built (library mode, seconds) and compare.
bindings="$repo/bindings/swift"
if [ "${QORGAN_SWIFT_NO_CARGO:-0}" != 1 ]; then
    cargo build --quiet -p uniffi-bindgen
fi
swiftgen="$lib_dir/uniffi-bindgen-swift"
lib="$lib_dir/libqorgan_ffi.so"
[ -f "$lib" ] || lib="$lib_dir/libqorgan_ffi.dylib"
if [ -x "$swiftgen" ]; then
    fresh="$work/bindings"
    mkdir -p "$fresh"
    "$swiftgen" "$lib" "$fresh" --swift-sources >/dev/null
    "$swiftgen" "$lib" "$fresh" --headers >/dev/null
    "$swiftgen" "$lib" "$fresh" --modulemap --module-name QorganFFI --modulemap-filename module.modulemap >/dev/null
    if ! diff -r "$fresh" "$bindings" >"$work/bindings.diff" 2>&1; then
        if [ "${QORGAN_SWIFT_BINDINGS:-committed}" = fresh ]; then
            log "bindings/swift differs from the library; QORGAN_SWIFT_BINDINGS=fresh: testing the regenerated ones"
            bindings="$fresh"
        else
            head -n 20 "$work/bindings.diff" >&2
            log "bindings/swift is stale for $lib: run scripts/generate-bindings.sh (or set QORGAN_SWIFT_BINDINGS=fresh to test the regenerated bindings)"
            exit 1
        fi
    fi
else
    log "no $swiftgen: cannot check that bindings/swift matches the library"
fi
modulemap="$bindings/module.modulemap"
mc="$work/module-cache"
common=(-module-cache-path "$mc" -Xcc "-fmodule-map-file=$modulemap" -I "$work" -L "$work" -L "$lib_dir")
# The runtime linker finds libqorgan_ffi.so and the Swift libraries built here (inside the root too:
# the checkout is bound at the same path).
export QORGAN_SWIFT_LD_LIBRARY_PATH="$work:$lib_dir${QORGAN_SWIFT_LD_LIBRARY_PATH:+:$QORGAN_SWIFT_LD_LIBRARY_PATH}"

# The work dir lies outside the checkout when CARGO_TARGET_DIR does: bind the checkout too (the
# sources, the bindings and the test certificates are read from it).
export QORGAN_SWIFT_BINDS="$repo${QORGAN_SWIFT_BINDS:+:$QORGAN_SWIFT_BINDS}"

swiftc_in() { swift_run "$root" "$work" swiftc "$@"; }

log "QorganCore: compiling the generated bindings ($(stamp))"
swiftc_in -module-name QorganCore -parse-as-library -emit-library -emit-module \
    -emit-module-path "$work/QorganCore.swiftmodule" -o "$work/libQorganCore.so" \
    "${common[@]}" -lqorgan_ffi "$bindings/QorganCore.swift"

mapfile -t sources < <(find "$repo/ios/Sources/Qorgan" -name '*.swift' | LC_ALL=C sort)
[ "${#sources[@]}" -gt 0 ] || { log "no Swift sources under ios/Sources/Qorgan"; exit 1; }
log "Qorgan: checking ${#sources[@]} files in Swift 6 language mode ($(stamp))"
swiftc_in -module-name Qorgan -parse-as-library -swift-version 6 -warnings-as-errors -typecheck \
    "${common[@]}" "${sources[@]}"
log "Qorgan: compiling (Swift 5 mode, as Package.swift's tools 5.9 builds it) ($(stamp))"
swiftc_in -module-name Qorgan -parse-as-library -swift-version 5 -warnings-as-errors \
    -emit-library -emit-module -emit-module-path "$work/Qorgan.swiftmodule" -o "$work/libQorgan.so" \
    "${common[@]}" -lQorganCore -lqorgan_ffi "${sources[@]}"

mapfile -t tests < <(find "$repo/ios/Tests/QorganTests" -name '*.swift' | LC_ALL=C sort)
log "tests: compiling ${#tests[@]} files ($(stamp))"
swiftc_in -module-name QorganTestRunner -swift-version 5 -warnings-as-errors \
    -o "$work/qorgan-swift-tests" "${common[@]}" -lQorgan -lQorganCore -lqorgan_ffi "${tests[@]}"

# A second opinion on one pin: openssl's SHA-256 of ISRG Root X1's SubjectPublicKeyInfo.
openssl_pin=""
if command -v openssl >/dev/null 2>&1; then
    openssl_pin=$(openssl x509 -in rust-core/engine/tests/data/real-chains/limbo-online/stackoverflow.com.root.pem \
        -noout -pubkey 2>/dev/null | openssl pkey -pubin -outform der 2>/dev/null |
        openssl dgst -sha256 -binary | openssl base64 -A) || openssl_pin=""
fi

log "running ($(stamp))"
out="$work/test-output.txt"
set +e
swift_run "$root" "$work" env RUST_BACKTRACE="${QORGAN_SWIFT_RUST_BACKTRACE:-0}" QORGAN_REPO="$repo" QORGAN_TEST_OPENSSL_PIN="$openssl_pin" \
    "$work/qorgan-swift-tests" ${filter:+"$filter"} >"$out" 2>&1
rc=$?
set -e
summary=$(tail -n 1 "$out")
if [[ "$summary" =~ ^[0-9]+\ passed,\ [0-9]+\ failed$ ]]; then
    head -n -1 "$out"
else
    # the runner died before its summary (a crash, a fatalError in generated code)
    cat "$out"
    log "the test runner stopped without a summary (exit $rc)"
    summary="$(grep -c '^PASS ' "$out") passed, $(($(grep -c '^FAIL ' "$out") + 1)) failed"
    [ "$rc" -ne 0 ] || rc=1
fi
log "done in $(stamp) (exit $rc; build dir $work)"
finished=1
echo "$summary"
exit "$rc"
