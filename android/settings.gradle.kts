// Qorgan's Android library (AAR). Built by scripts/build-android.sh, which first builds the native
// engine for each ABI and regenerates the Kotlin bindings; `gradle :qorgan:assembleRelease` alone
// packages whatever those steps produced last.
pluginManagement {
    repositories {
        google()
        mavenCentral()
        gradlePluginPortal()
    }
}

dependencyResolutionManagement {
    repositoriesMode.set(RepositoriesMode.FAIL_ON_PROJECT_REPOS)
    repositories {
        google()
        mavenCentral()
    }
}

rootProject.name = "qorgan-android"
include(":qorgan")
// The checker app (android/checker); built by hand in scripts/ where there is no SDK.
include(":checker")
