#!/usr/bin/env bash
# JVM benchmark (not a test): the extra cost per handshake of QorganTrustManager's check through
# UniFFI + JNA (after the platform validated: the validated chain to DER, analyzeValidated, the
# decision), cold (the engine every time) and warm (the verdict cache), beside OkHttp 5's own
# CertificatePinner.check(hostname, certificates) with a matching pin set and an OkHttp-style
# check written with the JDK alone, on real chains (rust-core/engine/tests/data/real-chains/limbo-online:
# google.com, amazon.com), all in one JVM. Prints a table; writes target/bench/jvm.json.
#
#   scripts/bench-jvm.sh           full run (about a minute of measuring after the builds)
#   scripts/bench-jvm.sh quick     shorter warm-up and fewer samples (a smoke run; noisier)
#
# The engine is built in release mode (`cargo build --release -p qorgan`): a debug engine would
# measure Rust's debug code, not the FFI. The Kotlin is compiled into target/bench-jvm/ (cached
# by input hash; jars that scripts/test-kotlin.sh already compiled from the same inputs are
# reused). Knobs: those of scripts/lib/toolchains.sh, and QORGAN_BENCH_JAVA_OPTS (default
# "-Xms512m -Xmx512m").
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd -P)

die() {
    echo "bench-jvm: $*" >&2
    exit 1
}
step() { echo "bench-jvm: $*" >&2; }

# shellcheck source=scripts/lib/toolchains.sh
. scripts/lib/toolchains.sh

target="${CARGO_TARGET_DIR:-$repo/target}"
work="$target/bench-jvm"
tests_work="$target/kotlin-tests"
mkdir -p "$work" "$target/bench"

java=$(ensure_java) || die "no Java (see scripts/install-toolchains.sh)"
kotlinc=$(ensure_kotlinc) || die "no kotlinc (see scripts/install-toolchains.sh)"
kotlin_lib=$(kotlin_lib_dir) || die "no Kotlin lib/ directory"
jna=$(ensure_jna) || die "no JNA jar"
maven_cp=$(ensure_maven_jars) || die "could not get OkHttp from Maven Central"
maven_cp=$(tr ':' '\n' <<<"$maven_cp" | grep -v '/kotlin-stdlib[^/]*\.jar$' | paste -sd: -)
stdlib="$kotlin_lib/kotlin-stdlib.jar"

cargo build --quiet --release -p qorgan-ffi || die "cargo build --release -p qorgan-ffi failed"
libdir="$target/release"
[ -f "$libdir/libqorgan_ffi.so" ] || [ -f "$libdir/libqorgan_ffi.dylib" ] || die "no libqorgan_ffi.so/.dylib in $libdir"
step "engine built (release)"

# Compile exactly as scripts/test-kotlin.sh does (same keys), so its jars can be reused.
kotlinc_version=$("$kotlinc" -version 2>&1 | grep -o 'kotlinc-jvm [0-9.A-Za-z-]*' | head -n 1 || true)
hash_of() {
    { printf '%s\n' "$kotlinc_version" "$key_extra"; for f in "$@"; do printf '%s\n' "$f"; cat "$f"; done; } |
        sha256sum | cut -d' ' -f1
}
compile() { # NAME CLASSPATH SOURCES... → $work/NAME.jar
    local name="$1" cp="$2" jar="$work/$1.jar" key friend=()
    shift 2
    [ -z "${friend_jar:-}" ] || friend=("-Xfriend-paths=$friend_jar")
    key=$(hash_of "$@")
    if [ -f "$jar" ] && [ "$(cat "$jar.key" 2>/dev/null)" = "$key" ]; then
        step "$name.jar is up to date"
    elif [ -f "$tests_work/$name.jar" ] && [ "$(cat "$tests_work/$name.jar.key" 2>/dev/null)" = "$key" ]; then
        cp "$tests_work/$name.jar" "$jar"
        printf '%s\n' "$key" >"$jar.key"
        step "$name.jar reused from $tests_work"
    else
        rm -f "$jar" "$jar.key"
        step "compiling $name.jar ($# files; minutes on a small machine)"
        if ! "$kotlinc" -Werror -jvm-target 17 "${friend[@]}" -cp "$cp" -d "$jar" "$@" >"$work/$name.log" 2>&1; then
            cat "$work/$name.log" >&2
            die "kotlinc failed for $name"
        fi
        printf '%s\n' "$key" >"$jar.key"
    fi
    printf '%s\n' "$key" >"$work/$name.built"
}
mapfile -t binding_srcs < <(find bindings/kotlin-jvm -name '*.kt' | LC_ALL=C sort)
mapfile -t main_srcs < <(find android/qorgan/src/main/kotlin -name '*.kt' -not -path '*/kz/qorgan/android/*' | LC_ALL=C sort)
mapfile -t bench_srcs < <(find android/qorgan/src/bench/kotlin -name '*.kt' | LC_ALL=C sort)
key_extra="jna=$jna"
compile bindings "$jna" "${binding_srcs[@]}"
key_extra="bindings=$(cat "$work/bindings.built")"
compile main "$work/bindings.jar:$jna" "${main_srcs[@]}"
key_extra="main=$(cat "$work/main.built") maven=$maven_cp friend"
friend_jar="$work/main.jar" compile bench "$work/main.jar:$work/bindings.jar:$jna:$maven_cp" "${bench_srcs[@]}"

step "measuring (one JVM)"
# shellcheck disable=SC2086 # word splitting of the options is intended
"$java" ${QORGAN_BENCH_JAVA_OPTS:--Xms512m -Xmx512m} \
    -Dqorgan.repo="$repo" \
    -Djna.library.path="$libdir" \
    -cp "$stdlib:$work/bench.jar:$work/main.jar:$work/bindings.jar:$jna:$maven_cp" \
    kz.qorgan.JvmBenchKt "$target/bench/jvm.json" "${1:-full}"
