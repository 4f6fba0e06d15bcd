#!/usr/bin/env bash
# Checks the Android libraries built by scripts/build-android.sh --native the way Android loads
# them: ELF machine per ABI, 16 KB-aligned LOAD segments, SONAME, NEEDED only Bionic's libc/libdl/
# libm/liblog, no text relocations, every `external fun` of the Kotlin bindings and the JNI entry
# points exported, none of UniFFI's metadata statics exported, and every import present in
# Bionic's symbol maps at minSdk 24 for the architecture (platform/android-bionic). Installs
# readelf (binutils) if missing.
#
#   scripts/check-android-libs.sh              arm64-v8a armeabi-v7a x86_64
#   scripts/check-android-libs.sh x86_64       some ABIs only
#
# Last line: "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd -P)

# The library file the phone library crate produces (set in one place).
# shellcheck source=scripts/lib/phone_lib.sh
. scripts/lib/phone_lib.sh
lib_file=$QORGAN_PHONE_LIB_FILE
api=24

# shellcheck source=scripts/lib/toolchains.sh
. scripts/lib/toolchains.sh
readelf=$(ensure_readelf) || { echo "no readelf (apt-get install binutils)"; echo "0 passed, 1 failed"; exit 1; }
command -v python3 >/dev/null 2>&1 || _qorgan_apt_install python3 || { echo "no python3"; echo "0 passed, 1 failed"; exit 1; }

target="${CARGO_TARGET_DIR:-$repo/target}"
check=(python3 scripts/lib/check_android_libs.py "$readelf")
rc=0
mkdir -p "$target/android"
"${check[@]}" "$target/android/jniLibs" "$lib_file" "$api" "$repo/platform/android-bionic" "$repo" "$@" \
    >"$target/android/check.out" || rc=$?
sed '$d' "$target/android/check.out"
last=$(tail -n 1 "$target/android/check.out")
if [[ "$last" =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed ]]; then
    p=${BASH_REMATCH[1]} f=${BASH_REMATCH[2]}
else
    echo "$last"
    echo "FAIL  scripts/lib/check_android_libs.py did not finish"
    p=0 f=1
fi

# The checks themselves, on a library made wrong on purpose with the arm64 sysroot's compiler
# (when scripts/build-android.sh made one, and linked by it directly, not by the sysroot's linker):
# 4 KB pages, no SONAME, none of the expected exports, an import from API 26 (catopen), a pointer
# table's relocations not packed. Each of those checks must fail on it.
cc="$target/android/sysroot/arm64-v8a/bin/cc"
if [ -x "$cc" ]; then
    bad=$(mktemp -d)
    mkdir -p "$bad/arm64-v8a"
    printf 'extern void* catopen(const char*, int);\nvoid* Java_x(void) { return catopen("x", 0); }\nstatic int y;\nint* table[] = {&y, &y};\n' >"$bad/bad.c"
    if "$cc" -shared -nostdlib -fPIC -O1 -Wl,-z,max-page-size=4096 "$bad/bad.c" \
        "$target/android/sysroot/arm64-v8a/lib/libc.so" -o "$bad/arm64-v8a/$lib_file" 2>"$bad/cc.log"; then
        out=$("${check[@]}" "$bad" "$lib_file" "$api" "$repo/platform/android-bionic" "$repo" arm64-v8a || true)
        missed=()
        for want in "aligned to 16 KB" "SONAME is" "external fun" "JNI entry points" "imports exist in Bionic" \
            "relocations packed"; do
            grep -q "^FAIL .*$want" <<<"$out" || missed+=("$want")
        done
        if [ "${#missed[@]}" -eq 0 ]; then
            echo "ok    the checks fail a library made wrong on purpose (alignment, SONAME, exports, an API 26 import, unpacked relocations)"
            p=$((p + 1))
        else
            echo "FAIL  the checks passed a library made wrong on purpose: ${missed[*]}"
            f=$((f + 1))
        fi
    else
        echo "FAIL  could not link the wrong-on-purpose library: $(head -3 "$bad/cc.log")"
        f=$((f + 1))
    fi
    rm -rf "$bad"
fi
echo "$p passed, $f failed"
[ "$rc" -eq 0 ] && [ "$f" -eq 0 ]
