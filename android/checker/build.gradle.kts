// The standalone checker app: one button, then the certificates installed on the phone, the
// sites checked grouped by certificate authority, and what to do; in kk/ru/en.
// Not built in this project's CI (no Android SDK there); its Kotlin is compile-checked against
// android-all stubs by `QORGAN_COMPILE_ANDROID=1 scripts/test-kotlin.sh`. See android/README.md.
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
