# shellcheck shell=bash
#
# scripts/lib/kotlin_compile.sh -- kotlinc with -Werror into jars that are reused while their
# inputs do not change. Shared by scripts/test-kotlin.sh and scripts/test-android.sh.
#
# The caller defines `die` and `step` (its own log prefix) and sets, before calling:
#   work        directory of the jars (NAME.jar, NAME.jar.key, NAME.log, NAME.built)
#   kotlinc     the compiler
#   key_extra   anything else that must change the key (the classpath's versions, ...)
#   friend_jar  (optional) a jar whose `internal` declarations the sources may use (tests)
#
#   kotlin_hash_of FILE...                     a key over these files, the compiler and $key_extra
#   kotlin_compile NAME CLASSPATH SOURCES...   → $work/NAME.jar; $work/NAME.built holds its key,
#                                                for the key_extra of what depends on it
# shellcheck disable=SC2154 # work, kotlinc and key_extra are the caller's

# The compiler's version line, part of every key: read once, in the calling shell (kotlinc takes
# seconds to start), by kotlin_compile or by a first explicit call.
kotlin_compile_init() {
    [ -n "${_QORGAN_KOTLINC_VERSION:-}" ] ||
        _QORGAN_KOTLINC_VERSION=$("$kotlinc" -version 2>&1 | grep -o 'kotlinc-jvm [0-9.A-Za-z-]*' | head -n 1 || true)
}

# FILE... → sha256 of names and contents, plus the compiler and $key_extra
kotlin_hash_of() {
    kotlin_compile_init
    { printf '%s\n' "$_QORGAN_KOTLINC_VERSION" "$key_extra"; for f in "$@"; do printf '%s\n' "$f"; cat "$f"; done; } |
        sha256sum | cut -d' ' -f1
}

kotlin_compile() {
    local name="$1" cp="$2" jar="$work/$1.jar" key friend=()
    shift 2
    kotlin_compile_init
    [ -z "${friend_jar:-}" ] || friend=("-Xfriend-paths=$friend_jar")
    key=$(kotlin_hash_of "$@")
    if [ -f "$jar" ] && [ "$(cat "$jar.key" 2>/dev/null)" = "$key" ]; then
        step "$name.jar is up to date"
    else
        rm -f "$jar" "$jar.key"
        if ! "$kotlinc" -Werror -jvm-target 17 "${friend[@]}" -cp "$cp" -d "$jar" "$@" >"$work/$name.log" 2>&1; then
            cat "$work/$name.log" >&2
            if [[ "$name" = bindings* ]] && grep -q 'val message: String' "$work/$name.log"; then
                echo "the generated bindings do not compile because an error variant has a field named" \
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
