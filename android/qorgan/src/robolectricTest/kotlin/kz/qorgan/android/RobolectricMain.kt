package kz.qorgan.android

import kotlin.system.exitProcess
import org.junit.runner.Description
import org.junit.runner.JUnitCore
import org.junit.runner.Request
import org.junit.runner.manipulation.Filter
import org.junit.runner.notification.Failure
import org.junit.runner.notification.RunListener

/** The Robolectric test classes, in the order they run. */
val ROBOLECTRIC_TESTS: List<Class<*>> = listOf(
    TrustManagerExtensionsTest::class.java,
    PinPolicyResourceTest::class.java,
    NscDifferentialTest::class.java,
    NscDifferentialCasesTest::class.java,
    CheckerScreenTest::class.java,
)

/**
 * Runs [ROBOLECTRIC_TESTS] with JUnit 4 (Robolectric's runners): one `PASS`/`FAIL` line per test,
 * then `N passed, N failed` as the last line; the exit status is non-zero when anything failed.
 * An ignored test or a failed assumption counts as failed: nothing is skipped silently.
 *
 * `kz.qorgan.android.RobolectricMainKt [word]` runs only the tests whose class or name contains
 * the word (scripts/test-android.sh passes its arguments on).
 */
fun main(args: Array<String>) {
    val word = args.firstOrNull()
    var passed = 0
    var failed = 0
    val core = JUnitCore()
    core.addListener(object : RunListener() {
        private val failedTests = mutableSetOf<Description>()
        private var started = 0L

        override fun testStarted(description: Description) {
            started = System.nanoTime()
        }

        override fun testFailure(failure: Failure) = fail(failure)
        override fun testAssumptionFailure(failure: Failure) = fail(failure)

        override fun testIgnored(description: Description) {
            failed++
            println("FAIL ${description.displayName}: ignored (nothing may be skipped silently)")
        }

        override fun testFinished(description: Description) {
            if (description in failedTests) return
            passed++
            println("PASS ${description.displayName} (${(System.nanoTime() - started) / 1_000_000} ms)")
        }

        private fun fail(failure: Failure) {
            val e = failure.exception
            // A failure outside a test (a class that cannot start) has no testFinished to follow.
            failedTests += failure.description
            failed++
            println("FAIL ${failure.description.displayName}: $e")
            e.stackTrace.take(12).forEach { println("        at $it") }
            generateSequence(e.cause) { it.cause }.take(4).forEach { println("    caused by: $it") }
        }
    })
    var request = Request.classes(*ROBOLECTRIC_TESTS.toTypedArray())
    if (word != null) {
        request = request.filterWith(object : Filter() {
            override fun shouldRun(description: Description): Boolean =
                description.displayName.contains(word) || description.children.any { shouldRun(it) }

            override fun describe() = "tests containing \"$word\""
        })
    }
    core.run(request)
    if (passed + failed == 0) {
        failed = 1
        println("FAIL no test ran${word?.let { " (none contains \"$it\")" } ?: ""}")
    }
    println("$passed passed, $failed failed")
    System.out.flush()
    // Robolectric's sandbox leaves non-daemon threads behind.
    exitProcess(if (failed == 0) 0 else 1)
}
