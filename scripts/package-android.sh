#!/usr/bin/env bash
# Packages Qorgan for Android by hand, without the Android SDK or Gradle (what this project's CI
# runs and checks; the Gradle build in android/ is for people with the SDK and is not run here):
#
#   <target>/android/qorgan.aar           the library: classes.jar (android/qorgan/src/main/kotlin,
#                                         all of it, + bindings/kotlin-android), jni/<abi>/
#                                         libqorgan_ffi.so, AndroidManifest.xml, proguard.txt
#                                         (consumer-rules.pro), R.txt (empty: no resources)
#   <target>/android/qorgan.pom           its POM, as Gradle's maven-publish would write it: an AAR
#                                         embeds no dependency, so JNA (@aar, the version of
#                                         android/qorgan/build.gradle.kts) and kotlin-stdlib are
#                                         declared there
#   <target>/android/qorgan-checker.apk   the checker app (android/checker), signed with a debug key
#
# <target> is $CARGO_TARGET_DIR when set, else target/. The native libraries come from
# `scripts/build-android.sh --native` (<target>/android/jniLibs); `scripts/build-android.sh --aar`
# runs that and then this script. Check the results with scripts/check-android-packages.sh.
#
#   scripts/package-android.sh          the AAR, its POM and the APK
#   scripts/package-android.sh --aar    the AAR and its POM only
#
# How (each step timed on stderr):
#   - kotlinc -Werror against Robolectric's android-all jar (API 34, the real framework classes;
#     java.* is not in it, so that comes from the JDK, which has more than Android's libcore);
#     the one class of androidx.annotation the bindings use comes from a compile-only stand-in
#     (scripts/lib/android-stubs), packaged nowhere;
#   - aapt2 compile + link of the app's resources and manifest against the platform's framework
#     resources (Debian's android-framework-res, API 29);
#   - D8 (com.android.tools:r8 from Maven Central) --release --min-api 24 --lib android-all over
#     the app's classes, the library's, kotlin-stdlib and JNA's;
#   - the APK's zip written by scripts/lib/android_zip.py: native libraries stored uncompressed at
#     16 KB boundaries (see there why; Debian's zipalign has no 16 KB option, so it only checks,
#     `zipalign -c -p 4`), JNA's libjnidispatch.so per ABI taken from JNA's own AAR;
#   - apksigner (v2 + v3; minSdk 24 needs no v1) with a debug key made once by keytool in
#     ~/.cache/qorgan (QORGAN_CACHE).
# Debian packages (aapt, apksigner, zipalign, android-framework-res, python3) are installed when
# missing; Kotlin, android-all, JNA's AAR and R8 are cached in ~/.cache/qorgan.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd -P)

aar_only=0
case "${1:-}" in
"") ;;
--aar) aar_only=1 ;;
*) # --help, or an option it does not know: the header above
    sed -n '2,37p' "$0" | sed 's/^# \{0,1\}//'
    case "$1" in -h | --help) exit 0 ;; *) exit 2 ;; esac
    ;;
esac

die() {
    printf 'package-android: %s\n' "$*" >&2
    exit 1
}
say() { printf 'package-android: %s\n' "$*" >&2; }
t0=$SECONDS
timed() { # WHAT: log how long the step since the last call took
    say "$1 ($((SECONDS - t0)) s)"
    t0=$SECONDS
}

# shellcheck source=scripts/lib/phone_lib.sh
. scripts/lib/phone_lib.sh
# shellcheck source=scripts/lib/toolchains.sh
. scripts/lib/toolchains.sh

lib_file=$QORGAN_PHONE_LIB_FILE
abis=(arm64-v8a armeabi-v7a x86_64)
target="${CARGO_TARGET_DIR:-$repo/target}"
out="$target/android"
jnilibs="$out/jniLibs"
work="$out/package"
for a in "${abis[@]}"; do
    [ -f "$jnilibs/$a/$lib_file" ] || die "no $jnilibs/$a/$lib_file: build it first with scripts/build-android.sh --native (or --aar, which runs this script after it)"
done

# Versions, read where the Gradle build keeps them so that both builds agree.
gradle_value() { # FILE KEY: the value of `KEY = value` (quotes dropped)
    sed -n "s/^ *$2 *= *\"\{0,1\}\([^\"]*\)\"\{0,1\} *$/\1/p" "$1" | head -n 1
}
lib_gradle=android/qorgan/build.gradle.kts
app_gradle=android/checker/build.gradle.kts
jna_version=$(qorgan_android_jna_version)
lib_min_sdk=$(gradle_value "$lib_gradle" minSdk)
lib_package=$(gradle_value "$lib_gradle" namespace)
app_package=$(gradle_value "$app_gradle" applicationId)
app_min_sdk=$(gradle_value "$app_gradle" minSdk)
app_target_sdk=$(gradle_value "$app_gradle" targetSdk)
app_version_code=$(gradle_value "$app_gradle" versionCode)
app_version_name=$(gradle_value "$app_gradle" versionName)
version=$(sed -n '/^\[workspace.package\]/,/^\[/s/^version *= *"\(.*\)"/\1/p' Cargo.toml)
for v in jna_version lib_min_sdk lib_package app_package app_min_sdk app_target_sdk app_version_code app_version_name version; do
    [ -n "${!v}" ] || die "could not read $v from the Gradle files or Cargo.toml"
done

# ---- tools -----------------------------------------------------------------------------------

java=$(ensure_java) || die "no Java"
kotlinc=$(ensure_kotlinc) || die "no kotlinc"
kotlin_lib=$(kotlin_lib_dir) || die "no Kotlin lib/ directory"
stdlib="$kotlin_lib/kotlin-stdlib.jar"
[ -f "$stdlib" ] || die "no $stdlib"
kotlin_version=$("$kotlinc" -version 2>&1 | sed -n 's/.*kotlinc-jvm \([0-9][0-9A-Za-z.-]*\).*/\1/p' | head -n 1)
[ -n "$kotlin_version" ] || die "could not tell the version of $kotlinc"
android_all=$(ensure_android_all_jar) || die "could not fetch Robolectric's android-all"
jna_aar=$(ensure_jna_aar "$jna_version") || die "could not fetch JNA $jna_version's AAR"
command -v python3 >/dev/null 2>&1 || _qorgan_apt_install python3 || die "python3 is needed"
zipper=(python3 scripts/lib/android_zip.py)
if [ "$aar_only" = 0 ]; then
    r8=$(ensure_r8_jar) || die "could not fetch R8 (D8)"
    for tool in apksigner:apksigner zipalign:zipalign keytool:default-jdk-headless; do
        _qorgan_need "${tool%%:*}" "${tool#*:}" || die "could not install ${tool%%:*} (Debian package ${tool#*:})"
    done
    framework_res=$(ensure_android_framework_res) || die "could not install aapt2 and android-framework-res"
fi
timed "tools ready: Kotlin $kotlin_version, $(basename "$android_all"), JNA $jna_version"

# Nothing of an earlier run stays behind to be checked in place of this one's (--aar: no old APK).
rm -rf "$work"
rm -f "$out/qorgan.aar" "$out/qorgan.pom" "$out/qorgan-checker.apk"
mkdir -p "$work"
# JNA's AAR: classes.jar (its Java side, for Android) and jni/<abi>/libjnidispatch.so.
mkdir -p "$work/jna"
(cd "$work/jna" && python3 -m zipfile -e "$jna_aar" .) || die "could not unpack $jna_aar"
jna_classes="$work/jna/classes.jar"
[ -f "$jna_classes" ] || die "no classes.jar in $jna_aar"

kotlin_compile() { # NAME CLASSPATH SOURCES...: into $work/NAME (a directory of classes)
    local name="$1" cp="$2"
    shift 2
    if ! "$kotlinc" -Werror -jvm-target 17 -module-name "$name" -cp "$cp" -d "$work/$name" "$@" \
        >"$work/$name.log" 2>&1; then
        cat "$work/$name.log" >&2
        die "kotlinc failed for $name"
    fi
    cat "$work/$name.log" >&2
}

# ---- the AAR ---------------------------------------------------------------------------------

mapfile -t stub_srcs < <(find scripts/lib/android-stubs -name '*.kt' | LC_ALL=C sort)
kotlin_compile stubs "$android_all" "${stub_srcs[@]}"
mapfile -t lib_srcs < <(find android/qorgan/src/main/kotlin bindings/kotlin-android -name '*.kt' | LC_ALL=C sort)
kotlin_compile qorgan "$android_all:$jna_classes:$work/stubs" "${lib_srcs[@]}"
timed "compiled the library (${#lib_srcs[@]} files)"

aar_dir="$work/aar"
mkdir -p "$aar_dir"
"${zipper[@]}" "$aar_dir/classes.jar" "/=$work/qorgan" || die "could not write classes.jar"
python3 scripts/lib/android_manifest.py android/qorgan/src/main/AndroidManifest.xml "$aar_dir/AndroidManifest.xml" \
    "$lib_package" --min-sdk "$lib_min_sdk" || die "could not write the AAR's manifest"
cp android/qorgan/consumer-rules.pro "$aar_dir/proguard.txt"
: >"$aar_dir/R.txt" # the library has no resources
# What the Android Gradle plugin writes into every AAR (read by the consuming build).
printf '%s\n' aarFormatVersion=1.0 aarMetadataVersion=1.0 minCompileSdk=1 minCompileSdkExtension=0 \
    minAndroidGradlePluginVersion=1.0.0 >"$aar_dir/aar-metadata.properties"
jni_entries=()
for a in "${abis[@]}"; do jni_entries+=("jni/$a/$lib_file=$jnilibs/$a/$lib_file"); done
"${zipper[@]}" "$out/qorgan.aar" \
    "AndroidManifest.xml=$aar_dir/AndroidManifest.xml" "classes.jar=$aar_dir/classes.jar" \
    "proguard.txt=$aar_dir/proguard.txt" "R.txt=$aar_dir/R.txt" \
    "META-INF/com/android/build/gradle/aar-metadata.properties=$aar_dir/aar-metadata.properties" \
    "${jni_entries[@]}" || die "could not write qorgan.aar"

# The POM of kz.qorgan:qorgan, as maven-publish writes it for the Gradle build's dependencies:
# `implementation` ones in the runtime scope. androidx.annotation is compileOnly there (CLASS
# retention, nothing needs it at run time).
cat >"$out/qorgan.pom" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
    xsi:schemaLocation="http://maven.apache.org/POM/4.0.0 https://maven.apache.org/xsd/maven-4.0.0.xsd">
  <modelVersion>4.0.0</modelVersion>
  <groupId>$lib_package</groupId>
  <artifactId>qorgan</artifactId>
  <version>$version</version>
  <packaging>aar</packaging>
  <dependencies>
    <dependency>
      <groupId>net.java.dev.jna</groupId>
      <artifactId>jna</artifactId>
      <version>$jna_version</version>
      <type>aar</type>
      <scope>runtime</scope>
    </dependency>
    <dependency>
      <groupId>org.jetbrains.kotlin</groupId>
      <artifactId>kotlin-stdlib</artifactId>
      <version>$kotlin_version</version>
      <scope>runtime</scope>
    </dependency>
  </dependencies>
</project>
EOF
timed "wrote $out/qorgan.aar ($(wc -c <"$out/qorgan.aar") bytes) and qorgan.pom"
[ "$aar_only" = 0 ] || exit 0

# ---- the checker APK -------------------------------------------------------------------------

app=android/checker/src/main
# Resources and manifest. The manifest gets what the Gradle plugin's merger adds: the package
# (applicationId) and extractNativeLibs="false", the plugin's default since minSdk 23: the native
# libraries stay in the APK, uncompressed and page-aligned, and are mapped from there.
python3 scripts/lib/android_manifest.py "$app/AndroidManifest.xml" "$work/checker-manifest.xml" "$app_package" \
    --application extractNativeLibs=false || die "could not write the checker's manifest"
res_args=()
if [ -d "$app/res" ]; then
    aapt2 compile --dir "$app/res" -o "$work/checker-res.zip" || die "aapt2 compile failed"
    res_args=("$work/checker-res.zip")
fi
rm -rf "$work/checker-gen" "$work/checker-r"
aapt2 link -o "$work/checker-base.apk" -I "$framework_res" --manifest "$work/checker-manifest.xml" \
    --min-sdk-version "$app_min_sdk" --target-sdk-version "$app_target_sdk" \
    --version-code "$app_version_code" --version-name "$app_version_name" \
    --java "$work/checker-gen" \
    --output-text-symbols "$work/checker-R.txt" "${res_args[@]}" || die "aapt2 link failed"
timed "aapt2: resources and manifest"

# The app's R class (what the Gradle plugin generates), then the app's Kotlin against it.
compile_r_classes "$work/checker-gen" "$work/checker-r" || die "javac failed for R"
mapfile -t app_srcs < <(find "$app/kotlin" -name '*.kt' | LC_ALL=C sort)
kotlin_compile checker "$android_all:$work/qorgan:$jna_classes:$work/checker-r" "${app_srcs[@]}"
cp -r "$work/checker-r/." "$work/checker/"
timed "compiled the checker (${#app_srcs[@]} files and R)"

"${zipper[@]}" "$work/checker.jar" "/=$work/checker" || die "could not jar the checker's classes"
mkdir -p "$work/dex"
"$java" -cp "$r8" com.android.tools.r8.D8 --release --min-api "$app_min_sdk" --lib "$android_all" \
    --output "$work/dex" "$work/checker.jar" "$aar_dir/classes.jar" "$stdlib" "$jna_classes" \
    >"$work/d8.log" 2>&1 || { cat "$work/d8.log" >&2; die "D8 failed"; }
cat "$work/d8.log" >&2
mapfile -t dex_files < <(find "$work/dex" -name 'classes*.dex' -printf '%f\n' | LC_ALL=C sort)
[ "${#dex_files[@]}" -gt 0 ] || die "D8 wrote no classes.dex"
timed "D8: ${dex_files[*]}"

apk_entries=()
for d in "${dex_files[@]}"; do apk_entries+=("$d=$work/dex/$d"); done
for a in "${abis[@]}"; do
    so="$work/jna/jni/$a/libjnidispatch.so"
    [ -f "$so" ] || die "JNA $jna_version's AAR has no jni/$a/libjnidispatch.so"
    apk_entries+=("lib/$a/$lib_file=$jnilibs/$a/$lib_file" "lib/$a/libjnidispatch.so=$so")
done
"${zipper[@]}" --apk --base "$work/checker-base.apk" "$work/checker-unsigned.apk" "${apk_entries[@]}" ||
    die "could not write the unsigned APK"
zipalign -c -p 4 "$work/checker-unsigned.apk" || die "zipalign -c -p 4: the unsigned APK is not aligned"

# The debug key, made once per machine like the SDK's ~/.android/debug.keystore (same names and
# passwords, which are public: this key signs nothing that is published).
keystore="$(qorgan_cache_dir)/android-debug.keystore"
if [ ! -f "$keystore" ]; then
    keytool -genkeypair -keystore "$keystore.$$.tmp" -storetype PKCS12 -storepass android -keypass android \
        -alias androiddebugkey -keyalg RSA -keysize 2048 -validity 10000 -dname "CN=Android Debug,O=Android,C=US" \
        >&2 || die "keytool could not make the debug key"
    mv "$keystore.$$.tmp" "$keystore"
fi
apksigner sign --ks "$keystore" --ks-pass pass:android --key-pass pass:android --ks-key-alias androiddebugkey \
    --min-sdk-version "$app_min_sdk" --v1-signing-enabled false --v2-signing-enabled true \
    --v3-signing-enabled true --v4-signing-enabled false \
    --out "$out/qorgan-checker.apk" "$work/checker-unsigned.apk" || die "apksigner sign failed"
"${zipper[@]}" --check "$out/qorgan-checker.apk" ||
    die "apksigner did not keep the native libraries' alignment"
timed "wrote $out/qorgan-checker.apk ($(wc -c <"$out/qorgan-checker.apk") bytes), signed with $keystore"
