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
        // The Kotlin half of rustls-platform-verifier (the engine's Qorgan.probe uses Android's own
        // verifier through it) is published only in the rustls project's Git repository. Nothing
        // else may resolve from there.
        exclusiveContent {
            forRepository {
                maven("https://github.com/rustls/rustls-platform-verifier/raw/maven-archive/android-release-support/maven/") {
                    name = "rustlsPlatformVerifier"
                }
            }
            filter { includeModule("org.rustls", "rustls-platform-verifier") }
        }
    }
}

rootProject.name = "qorgan-android"
include(":qorgan")
// A minimal app around QorganChecker (android/sample); never published.
include(":sample")
