package kz.qorgan

import java.util.concurrent.TimeUnit
import kotlin.system.exitProcess

/**
 * A deliberately small test runner (no JUnit download needed): each test runs on its own daemon
 * thread with a time limit; the last line printed is `N passed, N failed`, and the exit status
 * is non-zero when anything failed.
 *
 * Run: `java -Dqorgan.repo=<checkout> -Djna.library.path=<checkout>/target/debug -cp ... kz.qorgan.TestMainKt [name-filter]`
 */
class TestSuite {
    private class Case(val name: String, val timeoutSeconds: Long, val body: () -> Unit)

    private val cases = mutableListOf<Case>()

    fun test(name: String, timeoutSeconds: Long = 60, body: () -> Unit) {
        cases += Case(name, timeoutSeconds, body)
    }

    /** Runs the tests whose name contains [filter]; returns (passed, failed). */
    fun run(filter: String?): Pair<Int, Int> {
        var passed = 0
        var failed = 0
        for (case in cases) {
            if (filter != null && !case.name.contains(filter)) continue
            val started = System.nanoTime()
            var error: Throwable? = null
            val thread = Thread({
                try {
                    case.body()
                } catch (t: Throwable) {
                    error = t
                }
            }, "test: ${case.name}")
            thread.isDaemon = true
            thread.start()
            thread.join(TimeUnit.SECONDS.toMillis(case.timeoutSeconds))
            if (thread.isAlive) {
                thread.interrupt()
                error = AssertionError("timed out after ${case.timeoutSeconds} s")
            }
            val ms = (System.nanoTime() - started) / 1_000_000
            val e = error
            if (e == null) {
                passed++
                println("PASS ${case.name} (${ms} ms)")
            } else {
                failed++
                println("FAIL ${case.name} (${ms} ms): $e")
                e.stackTrace.take(12).forEach { println("        at $it") }
                generateSequence(e.cause) { it.cause }.take(4).forEach { c -> println("    caused by: $c") }
            }
        }
        return passed to failed
    }
}

// ---- assertions -------------------------------------------------------------------------------

class TestFailure(message: String, cause: Throwable? = null) : AssertionError(message, cause)

fun fail(message: String, cause: Throwable? = null): Nothing = throw TestFailure(message, cause)

fun assertTrue(condition: Boolean, message: () -> String) {
    if (!condition) fail(message())
}

fun <T> assertEquals(expected: T, actual: T, what: String = "value") {
    if (expected != actual) fail("$what: expected <$expected>, got <$actual>")
}

fun assertContains(haystack: String?, needle: String, what: String = "text") {
    if (haystack == null || !haystack.contains(needle)) fail("$what does not contain \"$needle\":\n$haystack")
}

inline fun <reified T : Throwable> assertThrows(what: String, body: () -> Unit): T {
    try {
        body()
    } catch (t: Throwable) {
        if (t is T) return t
        fail("$what: expected ${T::class.java.simpleName}, got $t", t)
    }
    fail("$what: expected ${T::class.java.simpleName}, nothing was thrown")
}

/** The first exception of type [T] in [t]'s cause chain (including [t]), or null. */
inline fun <reified T : Throwable> causeOf(t: Throwable): T? =
    generateSequence(t) { it.cause }.take(20).filterIsInstance<T>().firstOrNull()

// ---- entry point ------------------------------------------------------------------------------

fun main(args: Array<String>) {
    val suite = TestSuite()
    ffiBoundaryTests(suite)
    trustStoreAuditTests(suite)
    tlsTests(suite)
    concurrencyTests(suite)
    pinPolicyTests(suite)
    pinningTlsTests(suite)
    uploaderTests(suite)
    verdictCacheTests(suite)
    shellDecisionTests(suite)
    nativeFastPathTests(suite)
    checkerTests(suite)
    bundleTests(suite)
    val filter = args.firstOrNull()
    val started = System.nanoTime()
    val (passed, failed) = suite.run(filter)
    println("ran in ${(System.nanoTime() - started) / 1_000_000} ms")
    println("$passed passed, $failed failed")
    System.out.flush()
    exitProcess(if (failed == 0 && passed > 0) 0 else 1)
}
