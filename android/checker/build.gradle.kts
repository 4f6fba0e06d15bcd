// The standalone checker app: one button, then the certificates installed on the phone, the
// sites checked grouped by certificate authority, and what to do; in kk/ru/en.
// This Gradle build is not run in this project's CI (no Android SDK there); CI builds the same app
// by hand (scripts/package-android.sh → target/android/qorgan-checker.apk, which reads
// applicationId, minSdk, targetSdk and the version from this file) and checks it
// (scripts/check-android-packages.sh). See android/README.md.
plugins {
    id("com.android.application")
}

android {
    namespace = "kz.qorgan.checker"
    compileSdk = 36

    defaultConfig {
        applicationId = "kz.qorgan.checker"
        minSdk = 24
        targetSdk = 36
        versionCode = 1
        versionName = "0.1"
    }

    compileOptions {
        sourceCompatibility = JavaVersion.VERSION_17
        targetCompatibility = JavaVersion.VERSION_17
    }
}

dependencies {
    implementation(project(":qorgan"))
}
