package kz.qorgan

import java.security.MessageDigest
import java.util.Base64
import java.util.concurrent.CyclicBarrier
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit
import kz.qorgan.ffi.AuditReport
import kz.qorgan.ffi.CertificateClass
import kz.qorgan.ffi.FindingCode
import kz.qorgan.ffi.PlatformView
import kz.qorgan.ffi.Qorgan
import kz.qorgan.ffi.QorganConfig
import kz.qorgan.ffi.QorganException
import kz.qorgan.ffi.Report
import kz.qorgan.ffi.ReportSink
import kz.qorgan.ffi.TrustedCertificate
import kz.qorgan.ffi.Verdict
import kz.qorgan.ffi.VerdictKind
import kz.qorgan.ffi.simulateInternalFailure

private fun emptyEngine(dedupSeconds: Long = QorganTrustManager.DEFAULT_DEDUP_SECONDS) =
    Qorgan(QorganConfig(emptyList(), emptyList(), PlatformView.ANY, dedupSeconds.toULong()))

private fun der(scenario: String): List<ByteArray> = TestCa.chain(scenario).map { it.encoded }

fun ffiBoundaryTests(suite: TestSuite) {
    suite.test("e1 simulateInternalFailure() arrives as QorganException.Internal") {
        val e = assertThrows<QorganException.Internal>("simulateInternalFailure") { simulateInternalFailure() }
        assertContains(e.message, "simulate_internal_failure", "message")
    }

    suite.test("f1 a ReportSink that throws comes back as QorganException.Callback, not a crash; delivered reports are deduplicated") {
        emptyEngine().use { q ->
            var throwing = true
            val delivered = java.util.concurrent.atomic.AtomicInteger()
            q.setReportSink(object : ReportSink {
                override fun onReport(report: Report) {
                    if (throwing) throw IllegalStateException("sink boom")
                    delivered.incrementAndGet()
                }
            })
            val verdict = q.analyze(HOST, der("unknown-root"), null)
            val e = assertThrows<QorganException.Callback>("report") { q.report(HOST, 443u, der("unknown-root"), emptyList(), verdict) }
            assertContains(e.message, "sink boom", "Callback message")
            // A report the sink failed to take is not remembered: the next identical one is retried.
            throwing = false
            repeat(3) { q.report(HOST, 443u, der("unknown-root"), emptyList(), verdict) }
            assertEquals(1, delivered.get(), "deliveries of three identical reports after the failed one")
            // Another port is another report.
            q.report(HOST, 8443u, der("unknown-root"), emptyList(), verdict)
            assertEquals(2, delivered.get(), "deliveries after a report for another port")
        }
    }

    suite.test("wire names come from the engine (finding and verdict codes as in JSON)") {
        assertEquals("rsa_exponent_3", FindingCode.RSA_EXPONENT3.wireName, "FindingCode.RSA_EXPONENT3")
        assertEquals("non_public_anchor", FindingCode.NON_PUBLIC_ANCHOR.wireName, "FindingCode.NON_PUBLIC_ANCHOR")
        assertEquals("intercepted_known", VerdictKind.INTERCEPTED_KNOWN.wireName, "VerdictKind.INTERCEPTED_KNOWN")
    }

    suite.test("pins: spkiPin matches SHA-256 of the SPKI; malformed pins are rejected with a pasteable hint") {
        val root = TestCa.root("local-root")
        val expected = "sha256/" + Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(root.publicKey.encoded))
        assertEquals(expected, QorganTrustManager.pin(root), "pin")
        val bad = assertThrows<IllegalArgumentException>("sha1 pin") { QorganTrustManager.Builder().allowAnchor("sha1/AAAAAAAAAAAAAAAAAAAAAAAAAAA=") }
        assertContains(bad.message, "SHA-256 only", "message")
        val short = assertThrows<IllegalArgumentException>("short pin") { QorganTrustManager.Builder().allowAnchor("sha256/AAAA") }
        assertContains(short.message, "sha256/AAAA", "message")
        assertThrows<IllegalArgumentException>("no prefix") { QorganTrustManager.Builder().allowAnchor(expected.removePrefix("sha256/")) }
        // and the engine's own check, for configs built by hand
        val e = assertThrows<QorganException.InvalidConfig>("engine pin check") {
            Qorgan(QorganConfig(emptyList(), listOf("sha256/nope"), PlatformView.ANY, 0u))
        }
        assertContains(e.message, "sha256/nope", "InvalidConfig message")
    }

    suite.test("builder: a shared engine cannot be combined with engine settings") {
        emptyEngine().use { q ->
            val e = assertThrows<IllegalStateException>("build") {
                QorganTrustManager.Builder().qorgan(q).allowAnchorCertificate(TestCa.root("local-root")).build()
            }
            assertContains(e.message, "allowedAnchorPins", "message")
        }
    }

    suite.test("analyzeValidated on the validated local-root chain: intercepted_local, not acceptable") {
        emptyEngine().use { q ->
            val v = q.analyzeValidated(HOST, der("local-root"))
            assertEquals(VerdictKind.INTERCEPTED_LOCAL, v.verdict, "verdict")
            assertEquals(false, v.isAcceptable, "isAcceptable")
            assertTrue(v.findings.any { it.code == FindingCode.NON_PUBLIC_ANCHOR }) { "findings: ${v.findings}" }
        }
    }
}

fun trustStoreAuditTests(suite: TestSuite) {
    suite.test("d1 audit: Kazakh root under system: is known_interception with its label; test root under user: is non_public_root, userAdded") {
        val ks = TestCa.trustStore(
            "system:8c4b6a5b.0" to TestCa.qaznet,
            "user:5d4e7ab9.0" to TestCa.root("local-root"),
        )
        emptyEngine().use { q ->
            val audit = TrustStoreAudit(q).audit(ks)
            assertEquals(2, audit.entries.size, "entries")
            val kz = audit["system:8c4b6a5b.0"] ?: fail("no entry for the Kazakh root")
            assertEquals(CertificateClass.KNOWN_INTERCEPTION, kz.certificateClass, "Kazakh root class")
            assertContains(kz.label, "Qaznet Trust Network", "Kazakh root label")
            assertEquals(false, kz.userAdded, "Kazakh root userAdded (system: alias)")
            assertTrue(kz.findings.any { it.code == FindingCode.KNOWN_INTERCEPTION_CA }) { "findings: ${kz.findings}" }
            assertEquals(TestCa.qaznet, kz.certificate, "certificate")
            val local = audit["user:5d4e7ab9.0"] ?: fail("no entry for the test root")
            assertEquals(CertificateClass.NON_PUBLIC_ROOT, local.certificateClass, "test root class")
            assertEquals(true, local.userAdded, "test root userAdded")
            assertTrue(local.findings.any { it.code == FindingCode.NON_PUBLIC_ANCHOR }) { "findings: ${local.findings}" }
            assertContains(local.findings.first().message, "installed by a user", "finding message")
            assertEquals(QorganTrustManager.pin(TestCa.root("local-root")), local.pin, "pin")
            assertEquals(1u, audit.summary.knownInterception, "summary.knownInterception")
            assertEquals(1u, audit.summary.nonPublicRoot, "summary.nonPublicRoot")
            assertEquals(listOf(kz), audit.interception, "interception entries")
            assertEquals(listOf(local), audit.userAdded, "user-added entries")
            assertEquals(kz, audit.entries.first(), "most severe first")
        }
    }

    suite.test("d2 audit: the Kazakh root under user: is flagged too; entries without certificates are skipped") {
        val ks = TestCa.trustStore("user:8c4b6a5b.0" to TestCa.qaznet)
        val key = javax.crypto.KeyGenerator.getInstance("AES").apply { init(128) }.generateKey()
        ks.setEntry("not-a-cert", java.security.KeyStore.SecretKeyEntry(key), java.security.KeyStore.PasswordProtection("x".toCharArray()))
        emptyEngine().use { q ->
            val audit = TrustStoreAudit(q).audit(ks)
            assertEquals(1, audit.entries.size, "entries")
            val kz = audit.entries.single()
            assertEquals(CertificateClass.KNOWN_INTERCEPTION, kz.certificateClass, "class")
            assertEquals(true, kz.userAdded, "userAdded")
        }
    }

    suite.test("d3 Qorgan.fromKeyStore carries user: flags into live verdicts (user_added_anchor)") {
        val ks = TestCa.trustStore("user:5d4e7ab9.0" to TestCa.root("local-root"))
        Qorgan.fromKeyStore(ks).use { q ->
            val v = q.analyzeValidated(HOST, der("local-root"))
            assertEquals(VerdictKind.INTERCEPTED_LOCAL, v.verdict, "verdict")
            assertEquals(true, v.anchor?.userAdded, "anchor.userAdded")
            assertTrue(v.findings.any { it.code == FindingCode.USER_ADDED_ANCHOR }) { "findings: ${v.findings}" }
        }
    }
}

/** Verdicts of analyzeValidated carry the current time; everything else must be identical. */
private fun Verdict.timeless() = copy(time = 0)

private sealed interface Op {
    data class Analyze(val scenario: String) : Op
    data class AnalyzeValidated(val scenario: String) : Op
    object Audit : Op
}

fun concurrencyTests(suite: TestSuite) {
    suite.test("g1 threads sharing one Qorgan: mixed analyze/analyzeValidated/audit equal a single-threaded run", timeoutSeconds = 120) {
        val scenarios = listOf("local-root", "unknown-root", "superfish", "qaznet-impostor", "kz-forged", "wrong-host")
        val served = scenarios.associateWith { der(it) }
        // validated chains: leaf first, anchor last (the served chain plus the root when not sent)
        val validated = scenarios.associateWith { s ->
            val chain = TestCa.chain(s)
            val root = TestCa.root(s)
            (if (chain.last() == root) chain else chain + root).map { it.encoded }
        }
        val store = listOf(
            TrustedCertificate(TestCa.qaznet.encoded, false),
            TrustedCertificate(TestCa.root("local-root").encoded, true),
            TrustedCertificate(TestCa.root("superfish").encoded, true),
        )
        val fixedTime = 1_900_000_000L // 2030: inside every test leaf's validity
        val ops: List<Op> = scenarios.flatMap { listOf(Op.Analyze(it), Op.AnalyzeValidated(it)) } + Op.Audit

        val trusted = listOf(TrustedCertificate(TestCa.root("local-root").encoded, false))
        Qorgan(QorganConfig(trusted, emptyList(), PlatformView.ANY, 0u)).use { q ->
            fun run(op: Op): Any = when (op) {
                is Op.Analyze -> q.analyze(HOST, served.getValue(op.scenario), fixedTime)
                is Op.AnalyzeValidated -> q.analyzeValidated(HOST, validated.getValue(op.scenario)).timeless()
                Op.Audit -> q.audit(store)
            }
            val expected: Map<Op, Any> = ops.associateWith(::run)
            // sanity: the expected results are the interesting ones
            assertEquals(VerdictKind.INTERCEPTED_KNOWN, (expected.getValue(Op.AnalyzeValidated("superfish")) as Verdict).verdict, "superfish")
            assertEquals(2u, (expected.getValue(Op.Audit) as AuditReport).summary.knownInterception, "audit (Qaznet and Superfish)")

            val threads = 8
            val rounds = 15
            val barrier = CyclicBarrier(threads)
            val pool = Executors.newFixedThreadPool(threads)
            try {
                val futures = (0 until threads).map { t ->
                    pool.submit<List<String>> {
                        barrier.await(30, TimeUnit.SECONDS)
                        val mismatches = mutableListOf<String>()
                        repeat(rounds) { r ->
                            // a different order on every thread and round
                            val order = ops.indices.map { ops[(it * (t + 1) + r) % ops.size] }
                            for (op in order) {
                                val got = run(op)
                                if (got != expected.getValue(op)) mismatches += "thread $t round $r $op"
                            }
                        }
                        mismatches
                    }
                }
                val mismatches = futures.flatMap { it.get(90, TimeUnit.SECONDS) }
                assertTrue(mismatches.isEmpty()) { "${mismatches.size} results differ from the single-threaded run: ${mismatches.take(5)}" }
            } finally {
                pool.shutdownNow()
            }
        }
    }
}
