#!/usr/bin/env bash
# The Android-only Kotlin on the Android framework: compiles all of android/qorgan/src/main/kotlin
# (QorganAndroid included), the android-flavour bindings (bindings/kotlin-android) and the app
# (android/checker or android/sample, whichever exists) against the real Android API
# (Robolectric's android-all, API 34) with -Werror, then runs the Robolectric tests of
# android/qorgan/src/robolectricTest on the JVM against the host phone library (as
# scripts/test-kotlin.sh builds it):
#   - the trust manager through android.net.http.X509TrustManagerExtensions over the test CA
#     (open-source Conscrypt stands in for the platform's, which has no natives here);
#   - QorganAndroid.pinPolicy from compiled res/xml Network Security Config files;
#   - Android's own NSC parser (XmlConfigSource) against Qorgan's reader, file by file: every NSC
#     file of the repository's tests (the fuzzers' corpus too, where aapt2 compiles it) plus the
#     cases of src/robolectricTest/res/xml.
#
#   scripts/test-android.sh                build, compile (cached under target/android-tests), run all
#   scripts/test-android.sh Differential   run only the tests whose class or name contains the word
#
# The last line is always "N passed, N failed"; the exit status is non-zero on any failure
# (a build or compile failure counts as one failed test).
#
# Needs (installed when missing, cached under ~/.cache/qorgan): a JDK 17+, kotlinc, Maven (for
# Robolectric 4.17, android-all and android-all-instrumented for API 34, about 400 MB, and
# Conscrypt 2.6.2 from Maven Central), Debian's aapt2 and android-framework-res (apt).
# Knobs: QORGAN_TEST_TIMEOUT=SECONDS (whole JVM run, default 600), those of scripts/lib/toolchains.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd -P)

JVM_TESTS_NAME=test-android
# shellcheck source=scripts/lib/jvm_tests.sh
. scripts/lib/jvm_tests.sh
# shellcheck source=scripts/lib/toolchains.sh
. scripts/lib/toolchains.sh
# shellcheck source=scripts/lib/kotlin_compile.sh
. scripts/lib/kotlin_compile.sh

target="${CARGO_TARGET_DIR:-$repo/target}"
work="$target/android-tests"
mkdir -p "$work"

# Robolectric's SDK 34 jars: android-all (the test classpath) and android-all-instrumented (what
# the sandbox loads, found offline in its own directory). The jars of SDK 36 and later need Java 21.
robolectric_version=4.17
android_all_instrumented="$QORGAN_ANDROID_ALL_VERSION-i7"

java=$(ensure_java) || die "no Java (see scripts/install-toolchains.sh)"
jar_tool="$(dirname "$(readlink -f "$java")")/jar"
[ -x "$jar_tool" ] || die "no jar tool next to $java (a JDK, not a JRE, is needed)"
kotlinc=$(ensure_kotlinc) || die "no kotlinc (see scripts/install-toolchains.sh)"
kotlin_lib=$(kotlin_lib_dir) || die "no Kotlin lib/ directory"
stdlib="$kotlin_lib/kotlin-stdlib.jar"
[ -f "$stdlib" ] || die "$stdlib not found"
jna=$(ensure_jna) || die "no JNA jar"
android_jar=$(ensure_android_all_jar) || die "could not fetch Robolectric's android-all"
instrumented_dir=$(_qorgan_maven_fetch "android-all-instrumented-$android_all_instrumented" \
    "org.robolectric:android-all-instrumented:$android_all_instrumented") ||
    die "could not fetch Robolectric's android-all-instrumented"
robolectric_dir=$(_qorgan_maven_fetch "robolectric-$robolectric_version" \
    "org.robolectric:robolectric:$robolectric_version" junit:junit:4.13.2 \
    org.conscrypt:conscrypt-openjdk-uber:2.6.2) || die "could not fetch Robolectric from Maven Central"
framework_res=$(ensure_android_framework_res) || die "could not install Debian's aapt2 and android-framework-res"
# Two of Robolectric's dependencies (androidx.test monitor, espresso-idling-resource) are AARs.
aar_jars="$work/aar-jars"
mkdir -p "$aar_jars"
for aar in "$robolectric_dir"/*.aar; do
    out="$aar_jars/$(basename "$aar" .aar).jar"
    [ -f "$out" ] && continue
    tmp=$(mktemp -d "$work/aar.XXXXXX")
    (cd "$tmp" && "$jar_tool" xf "$aar" classes.jar) || die "no classes.jar in $aar"
    mv "$tmp/classes.jar" "$out"
    rm -rf "$tmp"
done
robolectric_cp="$(_qorgan_join_jars "$robolectric_dir"):$(_qorgan_join_jars "$aar_jars")"
step "toolchains ready"

# 1. The engine as the phones build it, in the same target directory as scripts/test-kotlin.sh.
build_phone_library "$target/jvm-phone"

# 2. Resources: the cases of src/robolectricTest/res plus every Network Security Config document
#    of the repository's tests (the res/xml files, with the res/raw files beside them, and the pin
#    policy fuzzers' corpus), compiled by aapt2 and linked against framework-res.apk into one
#    resource APK that Robolectric loads as the app's. A repository file aapt2 refuses (most of
#    the fuzzers' corpus is not well-formed XML) is left out: Android's build refuses it too.
test_src=android/qorgan/src/robolectricTest
res_gen="$work/res-gen"
rm -rf "$res_gen"
mkdir -p "$res_gen/xml" "$res_gen/raw"
candidates="$work/nsc-candidates.tsv" # resource name, then the repository path
: >"$candidates"
# The documents git tracks (`git add` a new one), not the sources and docs quoting one.
mapfile -d '' -t nsc_files < <(git grep -lz '<network-security-config' -- rust-core android \
    ':!*.rs' ':!*.kt' ':!*.swift' ':!*.md' ":!$test_src")
[ "${#nsc_files[@]}" -gt 0 ] || die "no Network Security Config file found under rust-core/ and android/ (git grep)"
while read -r hash f; do
    # Named by content: a file copied to two places (a fuzz seed) is one resource, listed twice.
    name="repo_${hash:0:12}"
    cp "$f" "$res_gen/xml/$name.xml"
    printf '%s\t%s\n' "$name" "$f" >>"$candidates"
    raw="$(dirname "$(dirname "$f")")/raw"
    if [ "$(basename "$(dirname "$f")")" = xml ] && [ -d "$raw" ]; then
        cp "$raw"/* "$res_gen/raw/"
    fi
done < <(sha256sum -- "${nsc_files[@]}" | LC_ALL=C sort -k2)
[ -s "$candidates" ] || die "no Network Security Config file found under rust-core/ and android/"
# The checker app's resources too (its strings in three languages): its screens are tested here.
app_res=android/checker/src/main/res
[ -d "$app_res" ] || app_res=""
mapfile -t res_files < <(find "$test_src/res" "$res_gen" ${app_res:+"$app_res"} -mindepth 2 -type f | LC_ALL=C sort)
resources_apk="$work/resources.apk"
index="$work/nsc-files.tsv" # every res/xml file the tests get: resource name, then the repository path
kotlin_compile_init
key_extra="aapt2=$(aapt2 version 2>&1 | head -n 1) framework=$(sha256sum "$framework_res" | cut -c1-16)"
res_key=$(kotlin_hash_of "$test_src/AndroidManifest.xml" "$candidates" "${res_files[@]}")
if [ ! -f "$resources_apk" ] || [ "$(cat "$resources_apk.key" 2>/dev/null)" != "$res_key" ]; then
    rm -rf "$work/res-flat" "$resources_apk"
    mkdir -p "$work/res-flat"
    refused=()
    for f in "${res_files[@]}"; do
        if ! aapt2 compile -o "$work/res-flat" "$f" >"$work/aapt2.log" 2>&1; then
            case "$f" in
            "$res_gen"/xml/*) refused+=("$(basename "$f" .xml)") ;;
            *) cat "$work/aapt2.log" >&2; die "aapt2 compile $f failed" ;;
            esac
        fi
    done
    # R for the tests' package and, with the same ids, for the checker app's (as the Gradle
    # plugin makes a library's R when it merges resources).
    rm -rf "$work/r-gen" "$work/r-classes"
    aapt2 link -o "$resources_apk" -I "$framework_res" --manifest "$test_src/AndroidManifest.xml" \
        --java "$work/r-gen" --extra-packages kz.qorgan.checker \
        "$work"/res-flat/*.flat >"$work/aapt2.log" 2>&1 || { cat "$work/aapt2.log" >&2; die "aapt2 link failed"; }
    compile_r_classes "$work/r-gen" "$work/r-classes" || die "javac failed for R"
    { awk -F'\t' 'NR == FNR { refused[$0]; next } !($1 in refused)' <(printf '%s\n' "${refused[@]}") "$candidates"
      for f in "$test_src"/res/xml/*.xml; do printf '%s\t%s\n' "$(basename "$f" .xml)" "$f"; done
    } >"$index"
    printf '%s\n' "$res_key" >"$resources_apk.key"
    step "compiled ${#res_files[@]} resource files into $resources_apk (aapt2 refused ${#refused[@]} of the repository's"\
        "$(wc -l <"$candidates") NSC documents, as Android's build would)"
fi
# What Robolectric reads to find them (com/android/tools/test_config.properties on the
# classpath), Robolectric's SDK, and the list of the repository's NSC files.
config="$work/config"
rm -rf "$config"
mkdir -p "$config/com/android/tools" "$config/kz/qorgan/android"
cat >"$config/com/android/tools/test_config.properties" <<EOF
android_resource_apk=$resources_apk
android_merged_manifest=$repo/$test_src/AndroidManifest.xml
android_custom_package=kz.qorgan.robolectric
EOF
echo "sdk=34" >"$config/robolectric.properties"
cp "$index" "$config/kz/qorgan/android/nsc-files.tsv"

# 3. Compile against android-all with -Werror: the android-flavour bindings (with a stand-in for
#    androidx.annotation.RequiresApi, which is only on Google's Maven), the whole library, the
#    app, the tests.
mapfile -t binding_srcs < <(find bindings/kotlin-android -name '*.kt' | LC_ALL=C sort)
[ "${#binding_srcs[@]}" -gt 0 ] || die "no .kt files under bindings/kotlin-android"
mapfile -t main_srcs < <(find android/qorgan/src/main/kotlin -name '*.kt' | LC_ALL=C sort)
mapfile -t test_srcs < <(find "$test_src/kotlin" -name '*.kt' | LC_ALL=C sort)
android_cp="$jna:$android_jar"
key_extra="android=$android_jar jna=$jna"
kotlin_compile bindings-android "$android_cp" "${binding_srcs[@]}" "$test_src/stubs/RequiresApi.kt"
key_extra="bindings=$(cat "$work/bindings-android.built")"
kotlin_compile main-android "$work/bindings-android.jar:$android_cp" "${main_srcs[@]}"
app=""
for d in android/checker android/sample; do
    if [ -d "$d/src/main/kotlin" ]; then app=$d; break; fi
done
if [ -n "$app" ]; then
    mapfile -t app_srcs < <(find "$app/src/main/kotlin" -name '*.kt' | LC_ALL=C sort)
    key_extra="main=$(cat "$work/main-android.built")"
    kotlin_compile app "$work/r-classes:$work/main-android.jar:$work/bindings-android.jar:$android_cp" "${app_srcs[@]}"
else
    step "no android/checker or android/sample: the app is not compiled"
fi
key_extra="main=$(cat "$work/main-android.built") robolectric=$robolectric_cp friend"
[ -f "$work/app.jar" ] || die "the checker app was not compiled (its screens are tested)"
key_extra="$key_extra app=$(cat "$work/app.built")"
friend_jar="$work/main-android.jar" kotlin_compile robolectric-tests \
    "$work/app.jar:$work/r-classes:$work/main-android.jar:$work/bindings-android.jar:$android_cp:$robolectric_cp" "${test_srcs[@]}"

# 4. Run in Robolectric's sandbox, offline, against the phone library.
run_jvm_tests \
    --add-exports java.base/jdk.internal.ref=ALL-UNNAMED \
    -Duser.timezone=UTC \
    -Drobolectric.offline=true \
    -Drobolectric.dependency.dir="$instrumented_dir" \
    -Drobolectric.logging.enabled=false \
    -Dqorgan.repo="$repo" \
    -Djna.library.path="$libdir" \
    -Djava.library.path="$libdir" \
    -cp "$config:$stdlib:$work/robolectric-tests.jar:$work/app.jar:$work/r-classes:$work/main-android.jar:$work/bindings-android.jar:$robolectric_cp:$jna:$android_jar" \
    kz.qorgan.android.RobolectricMainKt "$@"
