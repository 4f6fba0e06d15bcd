// A compile-only stand-in for androidx.annotation.RequiresApi (androidx.annotation:annotation is on
// Google's Maven only), written for this project from that annotation's public signature. The
// android-flavour UniFFI bindings use it; it has CLASS retention, so nothing needs it at run time.
// scripts/package-android.sh compiles against it and packages none of it (the Gradle build takes
// the real one, compileOnly).
package androidx.annotation

@MustBeDocumented
@Retention(AnnotationRetention.BINARY)
@Target(
    AnnotationTarget.CLASS,
    AnnotationTarget.FUNCTION,
    AnnotationTarget.PROPERTY_GETTER,
    AnnotationTarget.PROPERTY_SETTER,
    AnnotationTarget.CONSTRUCTOR,
    AnnotationTarget.FIELD,
    AnnotationTarget.FILE,
)
annotation class RequiresApi(val value: Int = 1, val api: Int = 1)
