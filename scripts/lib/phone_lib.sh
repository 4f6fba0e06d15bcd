# shellcheck shell=bash
# The phone library, in one place for scripts/build-android.sh and scripts/check-android-libs.sh:
# the cargo package that builds it, and the file it produces for Android (what the Kotlin
# bindings load: lib<cdylib_name>.so; check-android-libs.sh checks that they agree).
QORGAN_PHONE_PACKAGE=qorgan-ffi
QORGAN_PHONE_LIB_FILE=libqorgan_ffi.so
