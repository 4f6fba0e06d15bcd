// Versions of the build tools, in one place. AGP 9 compiles Kotlin itself ("built-in Kotlin"):
// do not apply org.jetbrains.kotlin.android.
plugins {
    id("com.android.library") version "9.1.1" apply false
    id("com.android.application") version "9.1.1" apply false
}
