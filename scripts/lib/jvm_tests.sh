# shellcheck shell=bash
#
# scripts/lib/jvm_tests.sh -- what scripts/test-kotlin.sh and scripts/test-android.sh share: the
# "N passed, N failed" last line when the tests never ran, die/step with the script's name, the
# phone library both load, and the JVM run under a time limit. Source it after `set -euo pipefail`
# with JVM_TESTS_NAME set (test-kotlin, test-android).

summary_printed=0
# shellcheck disable=SC2317 # invoked by the EXIT trap
_jvm_tests_finish() {
    local rc=$?
    if [ "$summary_printed" = 0 ]; then
        # Build or compile failed before the tests ran: say so in the agreed last-line format.
        echo "0 passed, 1 failed"
    fi
    exit "$rc"
}
trap _jvm_tests_finish EXIT
die() {
    echo "$JVM_TESTS_NAME: $*" >&2
    exit 1
}
step_start=$SECONDS
step() { echo "$JVM_TESTS_NAME: $* (+$((SECONDS - step_start)) s)" >&2; }

# build_phone_library TARGET_DIR -- the engine as the phones build it, as the cdylib JNA loads:
# without the live probe (no rustls; the checker makes its handshakes with the platform's TLS and
# calls judgeHandshake). In a target directory of its own: a cdylib built with other features in
# the same directory would overwrite debug/libqorgan_ffi.so, and the Swift tests load the desktop
# build. Sets libdir (the directory of the library).
build_phone_library() {
    CARGO_TARGET_DIR="$1" cargo build --quiet -p qorgan-ffi --lib --no-default-features ||
        die "cargo build -p qorgan-ffi --no-default-features failed"
    libdir="$1/debug"
    [ -f "$libdir/libqorgan_ffi.so" ] || [ -f "$libdir/libqorgan_ffi.dylib" ] || die "no libqorgan_ffi.so/.dylib in $libdir"
    step "cargo build -p qorgan-ffi --no-default-features (the phone library)"
}

# run_jvm_tests JAVA_ARGS... -- runs java (whose runner prints the summary line itself) within
# QORGAN_TEST_TIMEOUT seconds (default 600) and exits with its status. $java is the caller's.
# shellcheck disable=SC2154
run_jvm_tests() {
    local rc
    step "running tests"
    summary_printed=1
    set +e
    timeout --kill-after=10 "${QORGAN_TEST_TIMEOUT:-600}" "$java" "$@" 2>&1
    rc=$?
    set -e
    if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
        echo "$JVM_TESTS_NAME: the JVM run exceeded ${QORGAN_TEST_TIMEOUT:-600} s" >&2
        echo "0 passed, 1 failed"
    fi
    exit "$rc"
}
