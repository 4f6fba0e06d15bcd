package kz.qorgan

import java.io.File
import java.security.cert.X509Certificate
import java.util.concurrent.CyclicBarrier
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit
import kz.qorgan.ffi.PlatformView
import kz.qorgan.ffi.Qorgan
import kz.qorgan.ffi.QorganConfig
import kz.qorgan.ffi.TrustedCertificate
import kz.qorgan.ffi.VerdictKind

/**
 * The trust manager's native fast path ([QorganNative]): used when the library loads, the same
 * outcome as the bindings path for every kind of chain, and never an open door: a closed engine
 * or bad input goes to the bindings path, which reports and fails closed.
 */
fun nativeFastPathTests(suite: TestSuite) {
    fun engine(policy: String? = null, trusted: List<TrustedCertificate> = emptyList(), allowed: List<String> = emptyList()) =
        Qorgan(QorganConfig(trusted, allowed, PlatformView.ANY, 0u, policy))

    suite.test("n1 native fast path: bound on this JVM, one handle per engine, clean public chains accepted without a report") {
        assertTrue(QorganNative.available) { "QorganNative did not load from jna.library.path=${System.getProperty("jna.library.path")}" }
        engine().use { q ->
            assertEquals(q.nativeHandle(), q.nativeHandle(), "the same engine's handle twice")
            engine().use { other -> assertTrue(other.nativeHandle() != q.nativeHandle()) { "two engines share a handle" } }
            val reports = Reports()
            val tm = QorganTrustManager.Builder().qorgan(q).mode(QorganTrustManager.Mode.ENFORCE)
                .verdictCache(0).reportListener(reports).logger(Logs()).build()
            assertTrue(tm.usesNativeFastPath) { "the trust manager did not take the native fast path" }
            for (name in listOf("google.com", "amazon.com", "cloudflare.com")) tm.checkValidatedChain(name, realChain(name))
            assertEquals(0, reports.all.size, "reports for clean public chains")
            val handle = q.nativeHandle().toLong()
            val google = realChain("google.com").map { it.encoded }.toTypedArray()
            assertEquals(QorganNative.CLEAN, QorganNative.checkValidated(handle, google, "google.com".toByteArray()), "google.com")
            val local = (TestCa.chain("local-root") + TestCa.root("local-root")).map { it.encoded }.toTypedArray()
            assertEquals(QorganNative.NOT_CLEAN, QorganNative.checkValidated(handle, local, HOST.toByteArray()), "a chain to a non-public root")
        }
    }

    suite.test("n2 native fast path and bindings path give the same outcome, report for report") {
        val superfish = TestCa.chain("superfish") + TestCa.root("superfish")
        val local = TestCa.chain("local-root") + TestCa.root("local-root")
        val google = realChain("google.com")
        val googlePin = QorganTrustManager.pin(google[1])
        val cases: List<Triple<String, () -> Qorgan, Pair<String, List<X509Certificate>>>> = listOf(
            Triple("public chain", { engine() }, "google.com" to google),
            Triple("Superfish", { engine() }, HOST to superfish),
            Triple("user-installed root", { engine(trusted = listOf(TrustedCertificate(TestCa.root("local-root").encoded, true))) }, HOST to local),
            Triple("allowed enterprise root", { engine(allowed = listOf(Pins.root)) }, HOST to local),
            Triple("matching pin", { engine(QorganPinPolicy.Builder().add("google.com", Pins.wrong1, googlePin).build().text) }, "google.com" to google),
            Triple("pin mismatch", { engine(QorganPinPolicy.Builder().add("google.com", Pins.wrong1, Pins.wrong2).build().text) }, "google.com" to google),
            Triple("report-only pin mismatch", { engine(QorganPinPolicy.Builder().add("google.com", Pins.wrong1, Pins.wrong2).reportOnly().build().text) }, "google.com" to google),
        )
        for ((label, make, target) in cases) {
            val (host, chain) = target
            for (mode in QorganTrustManager.Mode.values()) {
                val outcomes = listOf(true, false).map { native ->
                    make().use { q ->
                        val reports = Reports()
                        val tm = QorganTrustManager.Builder().qorgan(q).mode(mode).verdictCache(0)
                            .nativeFastPath(native).reportListener(reports).logger(Logs()).build()
                        assertEquals(native, tm.usesNativeFastPath, "$label: fast path in use")
                        val refused = try {
                            tm.checkValidatedChain(host, chain)
                            null
                        } catch (e: QorganCertificateException) {
                            e.verdict?.verdict
                        }
                        "refused=$refused reports=${reports.all.map { it.verdict.verdict to it.verdict.findings.map { f -> f.code } }}"
                    }
                }
                assertEquals(outcomes[1], outcomes[0], "$label, $mode: native (left: bindings)")
            }
        }
    }

    suite.test("n3 native fast path fails closed: a closed engine is refused in enforce mode, bad input is an error code") {
        val q = engine()
        val tm = QorganTrustManager.Builder().qorgan(q).mode(QorganTrustManager.Mode.ENFORCE).verdictCache(0).logger(Logs()).build()
        val handle = q.nativeHandle().toLong()
        val google = realChain("google.com")
        tm.checkValidatedChain("google.com", google)
        val garbage = arrayOf(byteArrayOf(0x30, 0x03, 0x02, 0x01, 0x01))
        assertEquals(-3, QorganNative.checkValidated(handle, garbage, null), "not a certificate: ENGINE_ERROR")
        val ders = google.map { it.encoded }.toTypedArray()
        assertEquals(-2, QorganNative.checkValidated(handle, ders, byteArrayOf(0xC3.toByte(), 0x28)), "a host that is not UTF-8: BAD_ARGUMENTS")
        assertEquals(-2, QorganNative.checkValidated(handle, emptyArray(), null), "no certificate: BAD_ARGUMENTS")
        assertEquals(-1, QorganNative.checkValidated(Long.MAX_VALUE, ders, null), "an unknown handle: NO_ENGINE")
        q.close()
        assertEquals(-1, QorganNative.checkValidated(handle, ders, null), "a closed engine: NO_ENGINE")
        val e = assertThrows<QorganCertificateException>("a closed engine in enforce mode") { tm.checkValidatedChain("google.com", google) }
        assertContains(e.message, "fails closed", "message")
        val open = QorganTrustManager.Builder().qorgan(engine()).mode(QorganTrustManager.Mode.REPORT_ONLY).verdictCache(0).logger(Logs()).build()
        open.checkValidatedChain("google.com", google)
    }

    suite.test("n5 a user CA whose issuer field copies ISRG Root X1's name is judged by its own key on both paths; odd store certificates do not stop the engine") {
        // rust-core/engine/tests/test-ca/adversary/isrg-named (scripts/make-adversarial-certs.sh): issue 13, hole 1.
        val chain = TestCa.certs(File(TestCa.repo, "rust-core/engine/tests/test-ca/adversary/isrg-named/chain.pem"))
        val oddRoot = File(TestCa.repo, "rust-core/engine/tests/data/adversarial/local-root-duplicate-basic-constraints.der").readBytes()
        val store = listOf(
            TrustedCertificate(chain.last().encoded, true),
            TrustedCertificate(oddRoot, true), // two basicConstraints: not a path-building anchor
            TrustedCertificate(byteArrayOf(0x30, 0x01, 0x00), true), // not a certificate at all
        )
        engine(trusted = store).use { q ->
            assertEquals(2, q.skippedAnchors().size, "store certificates set aside")
            val ders = chain.map { it.encoded }.toTypedArray()
            assertEquals(QorganNative.NOT_CLEAN, QorganNative.checkValidated(q.nativeHandle().toLong(), ders, "app.example".toByteArray()), "native fast path")
            for (native in listOf(true, false)) {
                val reports = Reports()
                val tm = QorganTrustManager.Builder().qorgan(q).mode(QorganTrustManager.Mode.ENFORCE).verdictCache(0)
                    .nativeFastPath(native).reportListener(reports).logger(Logs()).build()
                val e = assertThrows<QorganCertificateException>("native=$native: enforce refuses") { tm.checkValidatedChain("app.example", chain) }
                assertEquals(VerdictKind.INTERCEPTED_LOCAL, e.verdict?.verdict, "native=$native: verdict")
                assertEquals("Corp TLS Inspection CA", e.verdict?.anchor?.subject, "native=$native: anchor")
                assertEquals(1, reports.all.size, "native=$native: reports")
            }
        }
    }

    suite.test("n4 native fast path from 8 threads, the engine closed while they run: each answer is the single-threaded one or NO_ENGINE, never a crash", timeoutSeconds = 120) {
        val q = engine(trusted = listOf(TrustedCertificate(TestCa.root("local-root").encoded, true)))
        val handle = q.nativeHandle().toLong()
        val inputs: List<Pair<Array<ByteArray>, ByteArray?>> =
            listOf("google.com", "amazon.com", "cloudflare.com").map { realChain(it).map { c -> c.encoded }.toTypedArray() to it.toByteArray() } +
                listOf("local-root", "superfish", "unknown-root").map { s ->
                    (TestCa.chain(s) + TestCa.root(s)).map { it.encoded }.toTypedArray() to HOST.toByteArray()
                } +
                listOf(arrayOf(byteArrayOf(1, 2, 3)) to null)
        val expected = inputs.map { (chain, host) -> QorganNative.checkValidated(handle, chain, host) }
        assertEquals(listOf(1, 1, 1, 0, 0, 0, -3), expected, "single-threaded answers")
        val threads = 8
        val barrier = CyclicBarrier(threads + 1)
        val pool = Executors.newFixedThreadPool(threads)
        try {
            val futures = (0 until threads).map { t ->
                pool.submit<List<String>> {
                    barrier.await(30, TimeUnit.SECONDS)
                    val wrong = mutableListOf<String>()
                    for (i in 0 until 20_000) {
                        val k = (i + t) % inputs.size
                        val got = QorganNative.checkValidated(handle, inputs[k].first, inputs[k].second)
                        // Until the engine is closed: the single-threaded answer; after: NO_ENGINE.
                        if (got != expected[k] && got != -1) wrong += "thread $t call $i input $k: $got"
                    }
                    wrong
                }
            }
            barrier.await(30, TimeUnit.SECONDS)
            Thread.sleep(50)
            q.close() // while the threads run: their calls see the engine or NO_ENGINE
            val wrong = futures.flatMap { it.get(90, TimeUnit.SECONDS) }
            assertTrue(wrong.isEmpty()) { wrong.take(5).joinToString("; ") }
            assertEquals(-1, QorganNative.checkValidated(handle, inputs[0].first, inputs[0].second), "after close")
        } finally {
            pool.shutdownNow()
        }
    }
}
