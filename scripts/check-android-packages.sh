#!/usr/bin/env bash
# Checks the Android packages that scripts/package-android.sh built by hand (<target>/android):
#   - qorgan-checker.apk: `apksigner verify --verbose` (v2 and v3 signatures), `aapt dump badging`
#     (package kz.qorgan.checker, the launchable activity, native-code for the three ABIs, minSdk
#     24, the label), `zipalign -c -p 4`, native libraries stored at 16 KB boundaries,
#     lib/<abi>/ byte-identical to jniLibs/ and to JNA's own AAR, the classes in classes*.dex
#     (`dexdump`: the checker activity, the library, the bindings, JNA, kotlin-stdlib; no androidx);
#   - qorgan.aar: its entries, jni/<abi>/ byte-identical to jniLibs/, proguard.txt =
#     consumer-rules.pro, the manifest, classes.jar holding every file of the Kotlin library and
#     the bindings and nothing else;
#   - qorgan.pom: JNA (@aar, the Gradle build's version) and kotlin-stdlib as dependencies;
#   - and that the alignment check fails a zip made wrong on purpose.
# Installs the Debian packages it needs (apksigner, aapt, zipalign, dexdump) when missing.
#
#   scripts/check-android-packages.sh
#
# Last line: "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd -P)

# shellcheck source=scripts/lib/phone_lib.sh
. scripts/lib/phone_lib.sh
# shellcheck source=scripts/lib/toolchains.sh
. scripts/lib/toolchains.sh
fail() {
    echo "check-android-packages: $*"
    echo "0 passed, 1 failed"
    exit 1
}
for tool in apksigner:apksigner aapt:aapt zipalign:zipalign dexdump:dexdump python3:python3; do
    _qorgan_need "${tool%%:*}" "${tool#*:}" || fail "could not install ${tool%%:*} (Debian package ${tool#*:})"
done
jna_version=$(qorgan_android_jna_version)
[ -n "$jna_version" ] || fail "no JNA version in android/qorgan/build.gradle.kts"
jna_aar=$(ensure_jna_aar "$jna_version") || fail "could not fetch JNA $jna_version's AAR"

target="${CARGO_TARGET_DIR:-$repo/target}"
python3 scripts/lib/check_android_packages.py "$target/android" "$QORGAN_PHONE_LIB_FILE" "$jna_aar" "$jna_version" "$repo"
