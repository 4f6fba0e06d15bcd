# shellcheck shell=bash
# The phone library, in one place for scripts/build-android.sh and scripts/check-android-libs.sh:
# the cargo package that builds it, and the file it produces for Android (what the Kotlin
# bindings load: lib<cdylib_name>.so; check-android-libs.sh checks that they agree).
QORGAN_PHONE_PACKAGE=qorgan-ffi
QORGAN_PHONE_LIB_FILE=libqorgan_ffi.so

# The JNA version the Android library depends on, where the Gradle build declares it
# (android/qorgan/build.gradle.kts, `net.java.dev.jna:jna:<version>@aar`): the hand-built packages
# and their check use the same (scripts/package-android.sh, scripts/check-android-packages.sh).
# Run from the repository's root.
qorgan_android_jna_version() {
    sed -n 's/.*"net\.java\.dev\.jna:jna:\([0-9.]*\)@aar".*/\1/p' android/qorgan/build.gradle.kts | head -n 1
}
