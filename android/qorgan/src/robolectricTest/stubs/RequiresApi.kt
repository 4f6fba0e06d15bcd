// A stand-in for androidx.annotation.RequiresApi (androidx.annotation:annotation, published only
// on Google's Maven), so that scripts/test-android.sh can compile the android-flavour bindings
// against android-all. Compile-time only (class retention, as the real one); the Gradle build
// uses the real annotation.
package androidx.annotation

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
