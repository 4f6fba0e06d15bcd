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

JVM_TESTS_NAME=test-kotlin
# shellcheck source=scripts/lib/jvm_tests.sh
. scripts/lib/jvm_tests.sh
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

# 1. The engine as the phones build it (scripts/lib/jvm_tests.sh).
build_phone_library "$target/jvm-phone"

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
# shellcheck source=scripts/lib/kotlin_compile.sh
. scripts/lib/kotlin_compile.sh
compile() { kotlin_compile "$@"; }
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
run_jvm_tests \
    -Dqorgan.repo="$repo" \
    -Djna.library.path="$libdir" \
    -cp "$stdlib:$work/tests.jar:$work/main.jar:$work/bindings.jar:$jna:$maven_cp" \
    kz.qorgan.TestRunnerKt "$@"
