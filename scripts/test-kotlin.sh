#!/usr/bin/env bash
# Kotlin tests on a real JVM: the plain-JVM part of the Android library (android/qorgan/src/main/
# kotlin, without its kz/qorgan/android/ folder) over the generated JVM bindings and the real
# engine, with real TLS handshakes on 127.0.0.1 (JDK SSLServerSocket and mockwebserver3) and real
# clients (HttpsURLConnection and OkHttp 5).
#
#   scripts/test-kotlin.sh               build, compile (cached under target/kotlin-tests), run all
#   scripts/test-kotlin.sh superfish     run only the tests whose name contains "superfish"
#
# The last line is always "N passed, N failed"; the exit status is non-zero on any failure
# (a build or compile failure counts as one failed test).
#
# Knobs (environment):
#   QORGAN_KOTLIN_BINDINGS=DIR    compile these JVM bindings instead of bindings/kotlin-jvm
#   QORGAN_KOTLIN_BINDINGS=fresh  generate JVM bindings from the current Rust into target/ and use them
#   QORGAN_SKIP_BINDINGS_CHECK=1  do not check that bindings/kotlin-jvm matches the Rust code
#   QORGAN_TEST_TIMEOUT=SECONDS   limit for the whole JVM run (default 600)
#   QORGAN_COMPILE_ANDROID=1      also compile android/.../kz/qorgan/android/ (the checker app: package-android.sh)
#                                 against Robolectric's android-all jar (API 34 stubs, ~140 MB from
#                                 Maven Central, cached); compiled, not run
#   plus those of scripts/lib/toolchains.sh (QORGAN_KOTLINC, QORGAN_JNA_JAR, QORGAN_CACHE, ...)
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd -P)

summary_printed=0
# shellcheck disable=SC2317 # invoked by the EXIT trap
finish() {
    local rc=$?
    if [ "$summary_printed" = 0 ]; then
        # Build or compile failed before the tests ran: say so in the agreed last-line format.
        echo "0 passed, 1 failed"
    fi
    exit "$rc"
}
trap finish EXIT
die() {
    echo "test-kotlin: $*" >&2
    exit 1
}
step_start=$SECONDS
step() { echo "test-kotlin: $* (+$((SECONDS - step_start)) s)" >&2; }

# shellcheck source=scripts/lib/toolchains.sh
. scripts/lib/toolchains.sh

target="${CARGO_TARGET_DIR:-$repo/target}"
work="$target/kotlin-tests"
mkdir -p "$work"

java=$(ensure_java) || die "no Java (see scripts/install-toolchains.sh)"
kotlinc=$(ensure_kotlinc) || die "no kotlinc (see scripts/install-toolchains.sh)"
kotlin_lib=$(kotlin_lib_dir) || die "no Kotlin lib/ directory"
jna=$(ensure_jna) || die "no JNA jar"
maven_cp=$(ensure_maven_jars) || die "could not get OkHttp/mockwebserver3 from Maven Central"
# kotlinc's own stdlib goes first; drop the (older) one OkHttp pulls in.
maven_cp=$(tr ':' '\n' <<<"$maven_cp" | grep -v '/kotlin-stdlib[^/]*\.jar$' | paste -sd: -)
stdlib="$kotlin_lib/kotlin-stdlib.jar"
[ -f "$stdlib" ] || die "$stdlib not found"
step "toolchains ready"

# 1. The engine as the phones build it, as the cdylib JNA loads: without the live probe (no
#    rustls; the checker makes its handshakes with the JVM's TLS and calls judgeHandshake). In a
#    target directory of its own: a cdylib built with other features in the same directory
#    would overwrite target/debug/libqorgan_ffi.so, and the Swift tests load the desktop build.
phone_target="$target/jvm-phone"
CARGO_TARGET_DIR="$phone_target" cargo build --quiet -p qorgan-ffi --lib --no-default-features ||
    die "cargo build -p qorgan-ffi --no-default-features failed"
libdir="$phone_target/debug"
[ -f "$libdir/libqorgan_ffi.so" ] || [ -f "$libdir/libqorgan_ffi.dylib" ] || die "no libqorgan_ffi.so/.dylib in $libdir"
step "cargo build -p qorgan-ffi --no-default-features (the phone library)"

# 2. The bindings to compile. Bindings that do not match the library decode garbage at run time
#    (UniFFI's checksums cover function signatures, not record layouts), so check first.
gen_jvm_bindings() { # OUTDIR
    cargo build --quiet -p uniffi-bindgen || die "cargo build -p uniffi-bindgen failed"
    local lib="$libdir/libqorgan_ffi.so"
    [ -f "$lib" ] || lib="$libdir/libqorgan_ffi.dylib"
    rm -rf "$1"
    "$target/debug/uniffi-bindgen" generate "$lib" --language kotlin --no-format --out-dir "$1" >/dev/null ||
        die "uniffi-bindgen failed"
}
bindings="${QORGAN_KOTLIN_BINDINGS:-bindings/kotlin-jvm}"
if [ "$bindings" = fresh ]; then
    bindings="$work/bindings-fresh"
    gen_jvm_bindings "$bindings"
    step "generated JVM bindings from the current Rust into $bindings"
elif [ -z "${QORGAN_KOTLIN_BINDINGS:-}" ] && [ "${QORGAN_SKIP_BINDINGS_CHECK:-0}" != 1 ]; then
    gen_jvm_bindings "$work/bindings-check"
    if ! diff -r "$work/bindings-check" bindings/kotlin-jvm >/dev/null 2>&1; then
        die "bindings/kotlin-jvm does not match the Rust code: run scripts/generate-bindings.sh (or set
QORGAN_KOTLIN_BINDINGS=fresh to test against bindings generated into target/)"
    fi
    step "bindings/kotlin-jvm is up to date"
fi
[ -d "$bindings" ] || die "no bindings directory $bindings"

# 3. Compile: bindings, library, tests, each cached by a hash of its inputs.
kotlinc_version=$("$kotlinc" -version 2>&1 | grep -o 'kotlinc-jvm [0-9.A-Za-z-]*' | head -n 1 || true)
hash_of() { # FILE... → sha256 of names and contents, plus the compiler and the extra key in $key_extra
    { printf '%s\n' "$kotlinc_version" "$key_extra"; for f in "$@"; do printf '%s\n' "$f"; cat "$f"; done; } |
        sha256sum | cut -d' ' -f1
}
compile() { # NAME CLASSPATH SOURCES... → $work/NAME.jar (reused when the inputs did not change)
    # $friend_jar (optional): a jar whose `internal` declarations these sources may use (tests).
    local name="$1" cp="$2" jar="$work/$1.jar" key friend=()
    shift 2
    [ -z "${friend_jar:-}" ] || friend=("-Xfriend-paths=$friend_jar")
    key=$(hash_of "$@")
    if [ -f "$jar" ] && [ "$(cat "$jar.key" 2>/dev/null)" = "$key" ]; then
        step "$name.jar is up to date"
    else
        rm -f "$jar" "$jar.key"
        if ! "$kotlinc" -Werror -jvm-target 17 "${friend[@]}" -cp "$cp" -d "$jar" "$@" >"$work/$name.log" 2>&1; then
            cat "$work/$name.log" >&2
            if [ "$name" = bindings ] && grep -q 'val message: String' "$work/$name.log"; then
                echo "test-kotlin: the generated bindings do not compile because an error variant has a field named" \
                    "'message', which clashes with Throwable.message (mozilla/uniffi-rs#1434, #2938): rename that" \
                    "field in rust-core/ffi/src/api.rs (QorganError) and regenerate bindings/." >&2
            fi
            die "kotlinc failed for $name"
        fi
        cat "$work/$name.log" >&2
        printf '%s\n' "$key" >"$jar.key"
        step "compiled $name.jar ($# files)"
    fi
    printf '%s\n' "$key" >"$work/$name.built"
}
mapfile -t binding_srcs < <(find "$bindings" -name '*.kt' | LC_ALL=C sort)
[ "${#binding_srcs[@]}" -gt 0 ] || die "no .kt files under $bindings"
mapfile -t main_srcs < <(find android/qorgan/src/main/kotlin -name '*.kt' -not -path '*/kz/qorgan/android/*' | LC_ALL=C sort)
mapfile -t test_srcs < <(find android/qorgan/src/test/kotlin -name '*.kt' | LC_ALL=C sort)

key_extra="jna=$jna"
compile bindings "$jna" "${binding_srcs[@]}"
key_extra="bindings=$(cat "$work/bindings.built")"
compile main "$work/bindings.jar:$jna" "${main_srcs[@]}"
key_extra="main=$(cat "$work/main.built") maven=$maven_cp friend"
friend_jar="$work/main.jar" compile tests "$work/main.jar:$work/bindings.jar:$jna:$maven_cp" "${test_srcs[@]}"

# 3b. Optionally, the Android-only sources: compiled (not run) against Robolectric's android-all.
if [ "${QORGAN_COMPILE_ANDROID:-0}" = 1 ]; then
    android_jar=$(ensure_android_all_jar) || die "could not fetch Robolectric's android-all"
    mapfile -t android_srcs < <(find android/qorgan/src/main/kotlin/kz/qorgan/android -name '*.kt' | LC_ALL=C sort)
    key_extra="main=$(cat "$work/main.built") android=$android_jar"
    compile android-stubs "$work/main.jar:$work/bindings.jar:$jna:$android_jar" "${android_srcs[@]}"
    # The checker app needs its R class (aapt2): scripts/package-android.sh compiles it, with -Werror.
fi

# 4. Run on the JVM against the freshly built cdylib.
step "running tests"
summary_printed=1 # from here on the runner prints the summary line itself
set +e
timeout --kill-after=10 "${QORGAN_TEST_TIMEOUT:-600}" "$java" \
    -Dqorgan.repo="$repo" \
    -Djna.library.path="$libdir" \
    -cp "$stdlib:$work/tests.jar:$work/main.jar:$work/bindings.jar:$jna:$maven_cp" \
    kz.qorgan.TestRunnerKt "$@" 2>&1
rc=$?
set -e
if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
    echo "test-kotlin: the JVM run exceeded ${QORGAN_TEST_TIMEOUT:-600} s" >&2
    echo "0 passed, 1 failed"
fi
exit "$rc"
