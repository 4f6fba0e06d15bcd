package kz.qorgan

import java.net.InetAddress
import java.util.logging.Level
import java.util.logging.Logger
import javax.net.ssl.SSLHandshakeException
import kz.qorgan.ffi.AnchorClass
import kz.qorgan.ffi.FindingCode
import kz.qorgan.ffi.Qorgan
import kz.qorgan.ffi.QorganException
import kz.qorgan.ffi.Remedy
import kz.qorgan.ffi.VerdictKind
import mockwebserver3.MockResponse
import mockwebserver3.MockWebServer

private fun builder(trusting: String, reports: Reports? = null, logs: Logs? = null) =
    QorganTrustManager.Builder()
        .delegate(TestCa.trusting(trusting))
        .also { b -> reports?.let { b.reportListener(it) } }
        .logger(logs ?: Logs())

/** mockwebserver3 serving [scenario] over HTTPS on 127.0.0.1. */
private fun mockServer(scenario: String, responses: Int = 1): MockWebServer = MockWebServer().apply {
    useHttps(TestCa.serverContext(scenario).socketFactory)
    repeat(responses) { enqueue(MockResponse.Builder().body("ok").build()) }
    start(InetAddress.getByName(HOST), 0)
}

private fun MockWebServer.httpsUrl() = "https://$HOST:$port/"

/** The refusal must come from Qorgan (not from the platform) and say what the brief promises. */
private fun assertQorganRefused(e: Throwable, vararg needles: String): QorganCertificateException {
    val q = causeOf<QorganCertificateException>(e) ?: fail("not refused by Qorgan: $e", e)
    for (n in needles) assertContains(q.message, n, "refusal message")
    return q
}

fun tlsTests(suite: TestSuite) {
    // mockwebserver3 logs every failed handshake at INFO/WARNING; the failures are the point here.
    Logger.getLogger(MockWebServer::class.java.name).level = Level.OFF

    // ---- (a) a non-public root the device trusts (user-installed / enterprise CA) -----------------

    suite.test("a1 local-root: the platform alone accepts the chain") {
        TlsServer("local-root").use { server ->
            val tm = builder("local-root").mode(QorganTrustManager.Mode.REPORT_ONLY).build()
            assertEquals("ok", httpsUrlConnectionGet(server.url, tm), "body")
            // and the delegate by itself (no Qorgan) accepts the served chain
            val chain = TestCa.chain("local-root").toTypedArray()
            tm.delegate.checkServerTrusted(chain, "RSA")
        }
    }

    suite.test("a2 local-root: ENFORCE refuses (HttpsURLConnection), naming the CA and non_public_anchor") {
        TlsServer("local-root").use { server ->
            val reports = Reports()
            val tm = builder("local-root", reports).mode(QorganTrustManager.Mode.ENFORCE).build()
            val e = assertThrows<SSLHandshakeException>("connect") { httpsUrlConnectionGet(server.url, tm) }
            val q = assertQorganRefused(e, "Qorgan refused $HOST", "Qorgan Test Local Root", "non_public_anchor", "intercepted_local")
            val pin = QorganTrustManager.pin(TestCa.root("local-root"))
            assertEquals(pin, q.anchorPin, "anchor pin in the exception")
            assertContains(q.message, "allowAnchor(\"$pin\")", "refusal message (what to paste)")
            assertEquals(Remedy.AllowAnchor(pin), q.remedy, "the remedy, for code to act on")
            assertEquals(VerdictKind.INTERCEPTED_LOCAL, q.verdict?.verdict, "verdict")
            val report = reports.single()
            assertEquals(VerdictKind.INTERCEPTED_LOCAL, report.verdict.verdict, "report verdict")
            assertEquals(HOST, report.hostname, "report host")
            assertEquals(server.port, report.port.toInt(), "report port")
            assertEquals(2, report.validatedCertificateChain.size, "validated chain (leaf, anchor)")
        }
    }

    suite.test("a3 local-root: allowAnchor(pin) connects (HttpsURLConnection) and still reports non_public_anchor") {
        TlsServer("local-root").use { server ->
            val reports = Reports()
            val pin = QorganTrustManager.pin(TestCa.root("local-root"))
            val tm = builder("local-root", reports).allowAnchor(pin).build()
            assertEquals(QorganTrustManager.Mode.ENFORCE, tm.mode, "default mode")
            assertEquals("ok", httpsUrlConnectionGet(server.url, tm), "body")
            val report = reports.single()
            assertEquals(VerdictKind.INTERCEPTED_LOCAL, report.verdict.verdict, "report verdict")
            val codes = report.verdict.findings.map { it.code }
            assertTrue(FindingCode.NON_PUBLIC_ANCHOR in codes) { "findings $codes lack non_public_anchor" }
            assertTrue(FindingCode.ALLOWED_ANCHOR in codes) { "findings $codes lack allowed_anchor" }
            assertEquals(true, report.verdict.anchor?.allowed, "anchor.allowed")
            assertContains(report.json, "\"qorgan-verdict\":\"intercepted_local\"", "report JSON")
        }
    }

    suite.test("a4 local-root over OkHttp 5 + mockwebserver3: ENFORCE refuses; allowAnchor connects and reports") {
        mockServer("local-root").use { server ->
            val refused = Reports()
            val tm = builder("local-root", refused).build()
            val e = assertThrows<java.io.IOException>("OkHttp call") { okHttpGet(server.httpsUrl(), tm) }
            assertQorganRefused(e, "Qorgan Test Local Root", "non_public_anchor")
            assertEquals(VerdictKind.INTERCEPTED_LOCAL, refused.single().verdict.verdict, "report verdict")

            val allowed = Reports()
            val tm2 = builder("local-root", allowed).allowAnchorCertificate(TestCa.root("local-root")).build()
            assertEquals("ok", okHttpGet(server.httpsUrl(), tm2), "body")
            val report = allowed.single()
            assertTrue(report.verdict.findings.any { it.code == FindingCode.NON_PUBLIC_ANCHOR }) { "no non_public_anchor in ${report.verdict.findings}" }
            assertEquals(true, report.verdict.anchor?.allowed, "anchor.allowed")
        }
    }

    // ---- (b) Superfish: a known interception CA installed on the device --------------------------

    suite.test("b1 superfish: ENFORCE refuses naming Superfish, and allowAnchor cannot override it") {
        TlsServer("superfish").use { server ->
            val reports = Reports()
            val tm = builder("superfish", reports).build()
            val e = assertThrows<SSLHandshakeException>("connect") { httpsUrlConnectionGet(server.url, tm) }
            val q = assertQorganRefused(e, "Qorgan refused $HOST: intercepted_known", "Superfish", "known_interception_ca", "cannot be allowed")
            assertEquals(AnchorClass.KNOWN_INTERCEPTION, q.verdict?.anchor?.`class`, "anchor class")
            assertEquals(Remedy.RemoveKnownCa, q.remedy, "a known interception CA: remove it, never allow it")
            assertEquals(VerdictKind.INTERCEPTED_KNOWN, reports.single().verdict.verdict, "report verdict")

            val tm2 = builder("superfish").allowAnchorCertificate(TestCa.root("superfish")).build()
            val e2 = assertThrows<SSLHandshakeException>("connect with allowAnchor(superfish)") { httpsUrlConnectionGet(server.url, tm2) }
            assertQorganRefused(e2, "Superfish")
        }
    }

    suite.test("b2 superfish: REPORT_ONLY connects (HttpsURLConnection and OkHttp) and reports intercepted_known") {
        TlsServer("superfish").use { server ->
            val reports = Reports()
            val tm = builder("superfish", reports).mode(QorganTrustManager.Mode.REPORT_ONLY).build()
            assertEquals("ok", httpsUrlConnectionGet(server.url, tm), "body")
            val report = reports.single()
            assertEquals(VerdictKind.INTERCEPTED_KNOWN, report.verdict.verdict, "report verdict")
            assertContains(report.interceptionCa, "Superfish", "report.interceptionCa")
            assertContains(report.json, "\"qorgan-verdict\":\"intercepted_known\"", "report JSON")
        }
        mockServer("superfish").use { server ->
            val reports = Reports()
            val tm = builder("superfish", reports).mode(QorganTrustManager.Mode.REPORT_ONLY).build()
            assertEquals("ok", okHttpGet(server.httpsUrl(), tm), "body")
            assertEquals(VerdictKind.INTERCEPTED_KNOWN, reports.single().verdict.verdict, "report verdict (OkHttp)")
        }
    }

    // ---- (c) the platform refuses: its exception propagates, a report is still delivered ----------

    suite.test("c1 unknown-root: platform failure propagates unchanged and is still reported (untrusted)") {
        TlsServer("unknown-root").use { server ->
            for (mode in QorganTrustManager.Mode.values()) {
                val reports = Reports()
                val tm = builder("local-root", reports).mode(mode).build()
                val e = assertThrows<SSLHandshakeException>("connect ($mode)") { httpsUrlConnectionGet(server.url, tm) }
                assertTrue(causeOf<QorganCertificateException>(e) == null) { "($mode) the platform's exception was replaced: $e" }
                assertTrue(causeOf<java.security.cert.CertificateException>(e) != null) { "($mode) no CertificateException from the platform in $e" }
                val report = reports.single()
                assertEquals(VerdictKind.UNTRUSTED, report.verdict.verdict, "($mode) report verdict")
                assertTrue(report.verdict.findings.any { it.code == FindingCode.NO_PATH }) { "($mode) no no_path finding: ${report.verdict.findings}" }
                assertEquals(0, report.validatedCertificateChain.size, "($mode) validated chain of a refused connection")
                assertTrue(report.servedCertificateChain.isNotEmpty()) { "($mode) no served chain in the report" }
            }
        }
        mockServer("unknown-root").use { server ->
            val reports = Reports()
            val tm = builder("local-root", reports).build()
            val e = assertThrows<java.io.IOException>("OkHttp call") { okHttpGet(server.httpsUrl(), tm) }
            assertTrue(causeOf<QorganCertificateException>(e) == null) { "the platform's exception was replaced: $e" }
            assertEquals(VerdictKind.UNTRUSTED, reports.single().verdict.verdict, "report verdict (OkHttp)")
        }
    }

    // ---- pinning on the validated chain ---------------------------------------------------------------

    suite.test("pin policy: a pin set that misses the validated chain refuses with pin_violation; the right pins connect") {
        TlsServer("local-root").use { server ->
            val local = QorganTrustManager.pin(TestCa.root("local-root"))
            val other = QorganTrustManager.pin(TestCa.root("unknown-root"))
            val backup = QorganTrustManager.pin(TestCa.root("qaznet-impostor"))
            fun policy(vararg pins: String) =
                """{"domains": [{"domain": "$HOST", "pins": [${pins.joinToString { "\"$it\"" }}]}]}"""

            val reports = Reports()
            val wrong = builder("local-root", reports).allowAnchor(local).pinPolicy(policy(other, backup)).build()
            val e = assertThrows<SSLHandshakeException>("connect with pins that do not match") { httpsUrlConnectionGet(server.url, wrong) }
            val q = assertQorganRefused(e, "pin_violation", other)
            assertEquals(VerdictKind.PIN_VIOLATION, q.verdict?.verdict, "verdict")
            assertEquals(VerdictKind.PIN_VIOLATION, reports.single().verdict.verdict, "report verdict")

            val right = builder("local-root").allowAnchor(local).pinPolicy(policy(local, other)).build()
            assertEquals("ok", httpsUrlConnectionGet(server.url, right), "body with matching pins")
        }
    }

    // ---- (e) fail closed ----------------------------------------------------------------------------

    suite.test("e2 ENFORCE fails closed when its Qorgan throws (QorganException.Internal, closed engine); REPORT_ONLY fails open") {
        TlsServer("local-root").use { server ->
            val pin = QorganTrustManager.pin(TestCa.root("local-root"))
            // An engine whose evaluateValidated hits a real internal failure in Rust.
            val failing = FailingQorgan()
            val tm = builder("local-root").qorgan(failing).build()
            val e = assertThrows<SSLHandshakeException>("connect with a failing engine") { httpsUrlConnectionGet(server.url, tm) }
            val q = assertQorganRefused(e, "could not check", "fails closed")
            assertTrue(causeOf<QorganException.Internal>(q) != null) { "cause is not QorganException.Internal: ${q.cause}" }

            // A closed engine: an unexpected IllegalStateException, still closed.
            val closed = Qorgan.fromTrustManager(QorganTrustManager.platformTrustManager(TestCa.trusting("local-root")), listOf(pin))
            val tmClosed = builder("local-root").qorgan(closed).build()
            closed.close()
            val e2 = assertThrows<SSLHandshakeException>("connect with a closed engine") { httpsUrlConnectionGet(server.url, tmClosed) }
            val q2 = assertQorganRefused(e2, "fails closed")
            assertTrue(q2.cause is IllegalStateException) { "cause: ${q2.cause}" }

            // Report-only: the platform's decision stands, the failure is logged.
            val logs = Logs()
            val tmOpen = builder("local-root", logs = logs).qorgan(FailingQorgan()).mode(QorganTrustManager.Mode.REPORT_ONLY).build()
            assertEquals("ok", httpsUrlConnectionGet(server.url, tmOpen), "body (report-only, failing engine)")
            assertTrue(logs.all.any { it.second is QorganException.Internal }) { "nothing logged: ${logs.all}" }
        }
    }

    // ---- (f) a throwing report sink never breaks a handshake; dedup ---------------------------------

    suite.test("f2 a throwing report listener never breaks a handshake; the same failing connection twice reports once") {
        TlsServer("unknown-root").use { server ->
            // The platform's failure stays the platform's, whatever the listener does.
            val calls = java.util.concurrent.atomic.AtomicInteger()
            val logs = Logs()
            val tm = builder("local-root", logs = logs)
                .reportListener { calls.incrementAndGet(); throw IllegalStateException("listener boom") }
                .build()
            repeat(2) { i ->
                val e = assertThrows<SSLHandshakeException>("connection ${i + 1}") { httpsUrlConnectionGet(server.url, tm) }
                assertTrue(causeOf<QorganException>(e) == null && causeOf<QorganCertificateException>(e) == null) {
                    "connection ${i + 1}: the platform's exception was replaced: $e"
                }
            }
            // The engine remembers only delivered reports, so a failing listener is retried.
            assertEquals(2, calls.get(), "listener calls (failed deliveries are retried)")
            val logged = logs.all.mapNotNull { it.second }.filterIsInstance<QorganException.Callback>()
            assertEquals(2, logged.size, "Callback exceptions logged")
            assertContains(logged[0].message, "listener boom", "Callback message")

            // A working listener: the same failing connection twice is one report.
            val reports = Reports()
            val tm2 = builder("local-root", reports).build()
            repeat(2) { i -> assertThrows<SSLHandshakeException>("connection ${i + 1}") { httpsUrlConnectionGet(server.url, tm2) } }
            assertEquals(VerdictKind.UNTRUSTED, reports.single().verdict.verdict, "the one report")
        }
        TlsServer("local-root").use { server ->
            // An acceptable connection with a report (allowed anchor) and a throwing listener.
            val tm = builder("local-root")
                .allowAnchorCertificate(TestCa.root("local-root"))
                .reportListener { throw RuntimeException("listener boom 2") }
                .build()
            assertEquals("ok", httpsUrlConnectionGet(server.url, tm), "body")
        }
    }

    suite.test("reportExecutor: the refused chain is analyzed and reported off the handshake thread") {
        TlsServer("unknown-root").use { server ->
            val executor = java.util.concurrent.Executors.newSingleThreadExecutor { r -> Thread(r, "qorgan-reports").apply { isDaemon = true } }
            try {
                val delivered = java.util.concurrent.LinkedBlockingQueue<Pair<String, VerdictKind>>()
                val tm = builder("local-root")
                    .reportExecutor(executor)
                    .reportListener { r -> delivered += Thread.currentThread().name to r.verdict.verdict }
                    .build()
                assertThrows<SSLHandshakeException>("connect") { httpsUrlConnectionGet(server.url, tm) }
                val got = delivered.poll(10, java.util.concurrent.TimeUnit.SECONDS) ?: fail("no report within 10 s")
                assertEquals("qorgan-reports" to VerdictKind.UNTRUSTED, got, "report thread and verdict")
            } finally {
                executor.shutdownNow()
            }
        }
    }

    suite.test("f3 reportDedup(0) delivers every report") {
        TlsServer("unknown-root").use { server ->
            val reports = Reports()
            val tm = builder("local-root", reports).reportDedup(0, java.util.concurrent.TimeUnit.SECONDS).build()
            repeat(2) { assertThrows<SSLHandshakeException>("connect") { httpsUrlConnectionGet(server.url, tm) } }
            assertEquals(2, reports.all.size, "reports with dedup disabled")
        }
    }

    suite.test("f4 eight connections failing the same way at once deliver one report (a slow listener, so they overlap)") {
        // mockwebserver3 serves each connection on its own thread, so the handshakes really run
        // side by side, as an app's parallel requests to one host do.
        mockServer("unknown-root", responses = 8).use { server ->
            val delivered = java.util.concurrent.atomic.AtomicInteger()
            val tm = builder("local-root").reportListener { Thread.sleep(50); delivered.incrementAndGet() }.build()
            val url = server.url("/").toString()
            val go = java.util.concurrent.CountDownLatch(1)
            val pool = java.util.concurrent.Executors.newFixedThreadPool(8)
            try {
                val outcomes = (1..8).map {
                    pool.submit<Throwable?> { go.await(); runCatching { httpsUrlConnectionGet(url, tm) }.exceptionOrNull() }
                }
                go.countDown()
                outcomes.forEachIndexed { i, f ->
                    val e = f.get(60, java.util.concurrent.TimeUnit.SECONDS)
                    assertTrue(e is SSLHandshakeException) { "connection ${i + 1}: $e" }
                }
            } finally {
                pool.shutdownNow()
            }
            assertEquals(1, delivered.get(), "reports delivered (deduplicated across threads)")
        }
    }

    // ---- the X509TrustManagerExtensions-style overload ----------------------------------------------

    suite.test("checkServerTrusted(chain, authType, host) returns the validated chain, anchor last, and reports nothing") {
        val pin = QorganTrustManager.pin(TestCa.root("local-root"))
        val reports = Reports()
        val tm = builder("local-root", reports).allowAnchor(pin).build()
        val sent = TestCa.chain("local-root").take(1).toTypedArray() // leaf only: the anchor is not sent
        val validated = tm.checkServerTrusted(sent, "RSA", HOST)
        assertEquals(listOf(sent[0], TestCa.root("local-root")), validated, "validated chain")
        val refusing = builder("local-root", reports).build()
        assertThrows<QorganCertificateException>("enforce without the pin") { refusing.checkServerTrusted(sent, "RSA", HOST) }
        assertEquals(0, reports.all.size, "reports from the post-handshake overload")
    }

    suite.test("the default builder uses the platform's own trust store (JDK cacerts), which refuses the test CA") {
        TlsServer("local-root").use { server ->
            val reports = Reports()
            val tm = QorganTrustManager.Builder().reportListener(reports).logger(Logs()).build()
            assertTrue(tm.acceptedIssuers.size > 50) { "only ${tm.acceptedIssuers.size} accepted issuers" }
            val e = assertThrows<SSLHandshakeException>("connect") { httpsUrlConnectionGet(server.url, tm) }
            assertTrue(causeOf<QorganCertificateException>(e) == null) { "refused by Qorgan instead of the platform: $e" }
            assertEquals(VerdictKind.UNTRUSTED, reports.single().verdict.verdict, "report verdict")
        }
    }
}

/**
 * An engine whose `evaluateValidated` fails inside Rust (a caught panic, delivered as
 * `QorganException.Internal`): the fault the trust manager must fail closed on.
 */
class FailingQorgan : Qorgan(kz.qorgan.ffi.NoHandle) {
    override fun evaluateValidated(
        host: String?,
        port: UShort,
        servedChain: List<ByteArray>,
        validatedChain: List<ByteArray>,
        enforce: Boolean,
        deliverReport: Boolean,
    ): kz.qorgan.ffi.Evaluation {
        kz.qorgan.ffi.simulateInternalFailure()
        error("simulateInternalFailure() returned")
    }

    override fun setReportSink(sink: kz.qorgan.ffi.ReportSink?) = Unit
}
