package kz.qorgan

import java.io.File
import java.net.InetAddress
import java.security.cert.X509Certificate
import java.time.LocalDate
import java.util.concurrent.TimeUnit
import javax.net.ssl.SSLHandshakeException
import kz.qorgan.ffi.FindingCode
import kz.qorgan.ffi.PinPolicyBuilder
import kz.qorgan.ffi.QorganException
import kz.qorgan.ffi.Severity
import kz.qorgan.ffi.VerdictKind
import kz.qorgan.ffi.spkiPin
import mockwebserver3.MockResponse
import mockwebserver3.MockWebServer

/** The host name of the pinning tests: every test leaf names it (SAN DNS:localhost). */
const val LOCALHOST = "localhost"

fun localhostUrl(port: Int) = "https://$LOCALHOST:$port/"

/** Pins of the local-root scenario and two keys that are not in it. */
object Pins {
    val root: String get() = QorganTrustManager.pin(TestCa.root("local-root"))
    val leaf: String get() = spkiPin(TestCa.chain("local-root")[0].encoded)
    val wrong1: String get() = QorganTrustManager.pin(TestCa.root("unknown-root"))
    val wrong2: String get() = QorganTrustManager.pin(TestCa.root("qaznet-impostor"))

    /** `pin-sha256="<base64>"`, as in Report.knownPins. */
    fun known(pin: String) = "pin-sha256=\"${pin.removePrefix("sha256/")}\""
}

/** A trust manager whose platform trusts the local-root scenario's root. */
private fun localRootTrustManager(reports: Reports? = null) =
    QorganTrustManager.Builder()
        .delegate(TestCa.trusting("local-root"))
        .also { b -> reports?.let { b.reportListener(it) } }
        .logger(Logs())

private fun wrongPins() = QorganPinPolicy.Builder().add(LOCALHOST, Pins.wrong1, Pins.wrong2)

private fun refusal(e: Throwable): QorganCertificateException =
    causeOf<QorganCertificateException>(e) ?: fail("not refused by Qorgan: $e", e)

fun pinPolicyTests(suite: TestSuite) {
    suite.test("pin policy builder gives the engine's canonical JSON text (the same text as iOS) and the engine loads it") {
        val b = QorganPinPolicy.Builder()
            .add("**.example.com", Pins.wrong1, Pins.wrong2)
            .expiration(LocalDate.of(2099, 1, 31))
            .reportOnly()
            .reportUri("https://reports.example.com/pins")
            .allowAnchor(Pins.root)
            .add("api.example.com", Pins.wrong2, Pins.wrong1)
            .allowAnchor(Pins.root, "api.example.com")
            .exclude("cdn.example.com")
        val expected = """
            |{
            |  "allowed-anchors": ["${Pins.root}"],
            |  "domains": [
            |    {
            |      "domain": "example.com",
            |      "include-subdomains": true,
            |      "pins": ["${Pins.wrong1}", "${Pins.wrong2}"],
            |      "expiration": "2099-01-31",
            |      "enforce": false,
            |      "report-uris": ["https://reports.example.com/pins"],
            |      "excluded-subdomains": ["cdn.example.com"]
            |    },
            |    {
            |      "domain": "api.example.com",
            |      "include-subdomains": false,
            |      "pins": ["${Pins.wrong2}", "${Pins.wrong1}"],
            |      "enforce": true,
            |      "allowed-anchors": ["${Pins.root}"]
            |    }
            |  ]
            |}
            |""".trimMargin()
        assertEquals(expected, b.json, "builder JSON")
        val policy = b.build()
        assertEquals(expected, policy.text, "policy text")
        assertEquals(false, policy.isNetworkSecurityConfig, "isNetworkSecurityConfig")
        assertEquals(emptyList<String>(), policy.warnings, "warnings of a policy with backups and a future expiration")
        assertEquals(policy, QorganPinPolicy.fromJson(expected), "equal by text")
        // java.util.Date is taken as its UTC day
        val utc = java.util.Date(LocalDate.of(2030, 6, 1).toEpochDay() * 86_400_000L + 23 * 3_600_000L)
        assertContains(QorganPinPolicy.Builder().add("a.example", Pins.wrong1).expiration(utc).json, "\"expiration\": \"2030-06-01\"", "Date expiration")
    }

    suite.test("pin policy: engine errors surface as QorganException.InvalidConfig naming the entry; misuse fails at the call") {
        val badPin = assertThrows<QorganException.InvalidConfig>("a pin that is not base64") {
            QorganPinPolicy.Builder().add("example.com", "sha256/not-base64!").build()
        }
        assertContains(badPin.reason, "sha256/not-base64!", "bad pin reason")
        assertContains(badPin.reason, "QorganPinPolicy.Builder entry \"example.com\"", "bad pin reason")
        val suffix = assertThrows<QorganException.InvalidConfig>("a public suffix") {
            QorganPinPolicy.Builder().add("**.co.uk", Pins.wrong1, Pins.wrong2).build()
        }
        assertContains(suffix.reason, "co.uk", "public suffix reason")
        val date = assertThrows<QorganException.InvalidConfig>("a bad date") {
            QorganPinPolicy.Builder().add("example.com", Pins.wrong1, Pins.wrong2).expiration("2027-02-30").build()
        }
        assertContains(date.reason, "2027-02-30", "bad date reason")
        val typo = assertThrows<QorganException.InvalidConfig>("a JSON typo") {
            QorganPinPolicy.fromJson("""{"domains": [{"domain": "example.com", "pin": []}]}""")
        }
        assertContains(typo.reason, "unknown key", "typo reason")
        val exclusion = assertThrows<QorganException.InvalidConfig>("an exclusion outside every entry") {
            QorganPinPolicy.Builder().add("example.com", Pins.wrong1, Pins.wrong2).exclude("cdn.example.org").build()
        }
        assertContains(exclusion.reason, "cdn.example.org", "exclusion reason")
        assertThrows<IllegalStateException>("expiration before add") { QorganPinPolicy.Builder().expiration("2030-01-01") }
        assertThrows<QorganException.InvalidConfig>("XML given as JSON") { QorganPinPolicy.fromJson("<network-security-config/>") }
        // and the trust manager builder passes the engine's error on
        val e = assertThrows<QorganException.InvalidConfig>("trust manager with a bad policy") {
            localRootTrustManager().pinPolicy("""{"domains": [{"domain": "a.example", "pins": ["sha1/AAAAAAAAAAAAAAAAAAAAAAAAAAA="]}]}""").build()
        }
        assertContains(e.reason, "pin policy", "trust manager InvalidConfig")
    }

    suite.test("pin policy builder: the same text and warnings as the engine's PinPolicyBuilder for the same calls") {
        val shell = QorganPinPolicy.Builder()
            .allowAnchor(Pins.root)
            .add("**.example.com", Pins.wrong1, Pins.wrong2)
            .expiration("2099-01-31")
            .reportOnly()
            .reportUri("https://reports.example.com/pins")
            .exclude("cdn.example.com")
            .add("*.example.org", Pins.wrong1)
            .allowAnchor(Pins.root, "*.example.org")
            .dangerousDebugOverride("user")
            .build()
        val rust = PinPolicyBuilder()
            .allowAnchor(Pins.root, null)
            .add("**.example.com", listOf(Pins.wrong1, Pins.wrong2))
            .expiration("**.example.com", "2099-01-31")
            .reportOnly("**.example.com")
            .reportUri("**.example.com", "https://reports.example.com/pins")
            .exclude("cdn.example.com")
            .add("*.example.org", listOf(Pins.wrong1))
            .allowAnchor(Pins.root, "*.example.org")
            .dangerousDebugOverride("user")
            .build()
        assertEquals(rust.text, shell.text, "text")
        assertEquals(rust.warnings, shell.warnings, "warnings")
        assertTrue(shell.warnings.any { it.contains("single pin") }) { "warnings: ${shell.warnings}" }
        assertEquals(shell, QorganPinPolicy.fromJson(rust.text), "the engine reads the text back")
    }

    suite.test("pin policy builder: a bad pin gives the engine builder's InvalidConfig message, unchanged") {
        val shell = assertThrows<QorganException.InvalidConfig>("shell") {
            QorganPinPolicy.Builder().add("example.com", "sha256/not-base64!", Pins.wrong1).build()
        }
        val rust = assertThrows<QorganException.InvalidConfig>("engine builder") {
            PinPolicyBuilder().add("example.com", listOf("sha256/not-base64!", Pins.wrong1)).build()
        }
        assertEquals(rust.reason, shell.reason, "reason")
        assertTrue(shell.reason.startsWith("pin policy: QorganPinPolicy.Builder entry \"example.com\": ")) { shell.reason }
    }

    suite.test("pin policy: an app's network_security_config.xml is loaded as-is, and so is the JSON twin; single pins warn") {
        val dir = File(TestCa.repo, "rust-core/engine/tests/data/policies")
        val xml = QorganPinPolicy.read(File(dir, "app/res/xml/network_security_config.xml"))
        assertEquals(true, xml.isNetworkSecurityConfig, "isNetworkSecurityConfig")
        assertEquals(File(dir, "app/res/xml/network_security_config.xml").readText(), xml.text, "text kept as given")
        val json = QorganPinPolicy.read(File(dir, "good-com.json"))
        assertEquals(false, json.isNetworkSecurityConfig, "JSON")
        val single = QorganPinPolicy.Builder().add("example.com", Pins.wrong1).build()
        assertTrue(single.warnings.any { it.contains("single pin") }) { "warnings: ${single.warnings}" }
        val expired = wrongPins().expiration("2020-01-01").build()
        assertTrue(expired.warnings.any { it.contains("expired") }) { "warnings: ${expired.warnings}" }
    }

    suite.test("pin policy: an NSC document with the files behind its @raw anchors accepts their keys, as Android trusts them") {
        val dir = File(TestCa.repo, "rust-core/engine/tests/data/policies/app/res")
        val xml = File(dir, "xml/network_security_config.xml").readText()
        val der = File(dir, "raw/good_root.der").readBytes()
        val unread = QorganPinPolicy.fromNetworkSecurityConfig(xml, emptyMap())
        assertEquals(xml, unread.text, "without files: the document as given")
        assertTrue(unread.warnings.any { it.contains("@raw/good_root") }) { "warnings: ${unread.warnings}" }
        val read = QorganPinPolicy.fromNetworkSecurityConfig(xml, mapOf("@raw/good_root" to der))
        assertEquals(false, read.isNetworkSecurityConfig, "the engine's JSON")
        assertContains(read.text, "\"allowed-anchors\": [\"${spkiPin(der)}\"]", "policy-wide anchors")
        assertTrue(read.warnings.none { it.contains("@raw/good_root") }) { "warnings: ${read.warnings}" }
        assertEquals(read, QorganPinPolicy.fromJson(read.text), "the engine reads the text back")
        assertThrows<QorganException.InvalidConfig>("JSON given as NSC") {
            QorganPinPolicy.fromNetworkSecurityConfig("{\"domains\": []}", mapOf("@raw/good_root" to der))
        }
        val bad = assertThrows<QorganException.InvalidConfig>("an unusable certificate file") {
            QorganPinPolicy.fromNetworkSecurityConfig(xml, mapOf("@raw/good_root" to "not a certificate".toByteArray()))
        }
        assertContains(bad.reason, "@raw/good_root", "reason")
    }
}

fun pinningTlsTests(suite: TestSuite) {
    suite.test("p1 ENFORCE, pins for localhost that miss the chain: CertificateException listing the seen pins (HttpsURLConnection, OkHttp)") {
        TlsServer("local-root").use { server ->
            val reports = Reports()
            val tm = localRootTrustManager(reports).allowAnchor(Pins.root).pinPolicy(wrongPins().build()).build()
            val e = assertThrows<SSLHandshakeException>("connect") { httpsUrlConnectionGet(localhostUrl(server.port), tm) }
            val q = refusal(e)
            assertEquals(VerdictKind.PIN_VIOLATION, q.verdict?.verdict, "verdict")
            // OkHttp's message, ready to paste: the chain's pins, then the configured ones.
            for (n in listOf("pin_violation", "Certificate pinning failure!", "Peer certificate chain:", "${Pins.leaf}: CN=localhost",
                "${Pins.root}: ", "Pinned certificates for localhost:", Pins.wrong1, Pins.wrong2)) {
                assertContains(q.message, n, "refusal message")
            }
            assertEquals(1, Regex("Peer certificate chain:").findAll(q.message ?: "").count(), "the pin list appears once")
            assertContains(q.message, "critical pin_mismatch: Certificate pinning failure! (above)", "refusal message")
            val mismatch = q.verdict?.findings?.single { it.code == FindingCode.PIN_MISMATCH } ?: fail("no pin_mismatch")
            assertEquals(Severity.CRITICAL, mismatch.severity, "pin_mismatch severity when enforced")
            val report = reports.single()
            assertEquals(VerdictKind.PIN_VIOLATION, report.verdict.verdict, "report verdict")
            assertEquals(LOCALHOST, report.hostname, "report host")
            assertEquals(1u, report.validationResult, "validation-result (no matching pin)")
            assertEquals(listOf(Pins.known(Pins.wrong1), Pins.known(Pins.wrong2)), report.knownPins, "known-pins")
            assertEquals(true, report.enforcePinning, "enforce-pinning")

            val okE = assertThrows<java.io.IOException>("OkHttp call") { okHttpGet(localhostUrl(server.port), tm) }
            assertContains(refusal(okE).message, Pins.leaf, "OkHttp refusal message")
        }
    }

    suite.test("p2 the right pin connects: the local root's SPKI or the leaf's (computed with spkiPin)") {
        TlsServer("local-root").use { server ->
            for ((what, pin) in listOf("root" to Pins.root, "leaf" to Pins.leaf)) {
                val policy = QorganPinPolicy.Builder().add(LOCALHOST, pin, Pins.wrong1).build()
                val tm = localRootTrustManager().allowAnchor(Pins.root).pinPolicy(policy).build()
                assertEquals("ok", httpsUrlConnectionGet(localhostUrl(server.port), tm), "body ($what pin, HttpsURLConnection)")
                assertEquals("ok", okHttpGet(localhostUrl(server.port), tm), "body ($what pin, OkHttp)")
            }
            // pins for another host do not apply to localhost
            val elsewhere = QorganPinPolicy.Builder().add("**.example.com", Pins.wrong1, Pins.wrong2).build()
            val tm = localRootTrustManager().allowAnchor(Pins.root).pinPolicy(elsewhere).build()
            assertEquals("ok", httpsUrlConnectionGet(localhostUrl(server.port), tm), "body (unpinned host)")
        }
    }

    suite.test("p3 report-only with a wrong pin connects and reports known-pins and validation-result (policy reportOnly(), Mode.REPORT_ONLY)") {
        TlsServer("local-root").use { server ->
            // (a) the rule is report-only, the trust manager enforces
            val reports = Reports()
            val policy = wrongPins().reportOnly().build()
            val tm = localRootTrustManager(reports).allowAnchor(Pins.root).pinPolicy(policy).build()
            assertEquals("ok", httpsUrlConnectionGet(localhostUrl(server.port), tm), "body (reportOnly rule)")
            val r = reports.single()
            assertEquals(false, r.enforcePinning, "enforce-pinning of a report-only rule")
            assertEquals(1u, r.validationResult, "validation-result")
            assertEquals(listOf(Pins.known(Pins.wrong1), Pins.known(Pins.wrong2)), r.knownPins, "known-pins")
            assertEquals(LOCALHOST, r.notedHostname, "noted-hostname")
            assertEquals(Severity.WARNING, r.verdict.findings.single { it.code == FindingCode.PIN_MISMATCH }.severity, "pin_mismatch severity")
            for (n in listOf("\"known-pins\":[", "\"validation-result\":1", "\"enforce-pinning\":false", Pins.wrong1.removePrefix("sha256/"))) {
                assertContains(r.json, n, "report JSON")
            }

            // (b) the rule enforces, the trust manager only reports
            val reports2 = Reports()
            val tm2 = localRootTrustManager(reports2).allowAnchor(Pins.root).pinPolicy(wrongPins().build())
                .mode(QorganTrustManager.Mode.REPORT_ONLY).build()
            assertEquals("ok", okHttpGet(localhostUrl(server.port), tm2), "body (Mode.REPORT_ONLY)")
            val r2 = reports2.single()
            assertEquals(VerdictKind.PIN_VIOLATION, r2.verdict.verdict, "verdict")
            assertEquals(1u, r2.validationResult, "validation-result")
            assertEquals(true, r2.enforcePinning, "enforce-pinning")
        }
    }

    suite.test("p4 a locally installed anchor (local-root as a user: CA, allowed) does not bypass the pins") {
        TlsServer("local-root").use { server ->
            val store = TestCa.trustStore("user:5d4e7ab9.0" to TestCa.root("local-root"))
            fun tm(policy: QorganPinPolicy, reports: Reports) = QorganTrustManager.Builder()
                .delegate(store)
                .trustedCertificates(trustedCertificates(store)) // marked user-added
                .pinPolicy(policy)
                .reportListener(reports)
                .logger(Logs())
                .build()
            // The policy allows the anchor (policy-wide allowed-anchors) and pins localhost elsewhere.
            val reports = Reports()
            val e = assertThrows<SSLHandshakeException>("connect") {
                httpsUrlConnectionGet(localhostUrl(server.port), tm(wrongPins().allowAnchor(Pins.root).build(), reports))
            }
            assertEquals(VerdictKind.PIN_VIOLATION, refusal(e).verdict?.verdict, "verdict")
            val anchor = reports.single().verdict.anchor ?: fail("no anchor in the report")
            assertEquals(true, anchor.userAdded, "anchor.userAdded")
            assertEquals(true, anchor.allowed, "anchor.allowed")
            // The same store and anchor without pins for localhost: the anchor alone is accepted,
            // so the refusal above is the pins' doing.
            val unpinned = QorganPinPolicy.Builder().allowAnchor(Pins.root).add("**.example.com", Pins.wrong1, Pins.wrong2).build()
            assertEquals("ok", httpsUrlConnectionGet(localhostUrl(server.port), tm(unpinned, Reports())), "body without pins for localhost")
            // and the trust manager's own allowAnchor does not bypass pins either
            val viaBuilder = QorganTrustManager.Builder().delegate(store).trustedCertificates(trustedCertificates(store))
                .allowAnchor(Pins.root).pinPolicy(wrongPins().build()).logger(Logs()).build()
            val e2 = assertThrows<java.io.IOException>("connect (allowAnchor, OkHttp)") { okHttpGet(localhostUrl(server.port), viaBuilder) }
            assertEquals(VerdictKind.PIN_VIOLATION, refusal(e2).verdict?.verdict, "verdict (allowAnchor)")
        }
    }

    suite.test("p5 an expired policy is not enforced: the connection passes and pin_policy_expired is reported") {
        TlsServer("local-root").use { server ->
            val reports = Reports()
            val policy = wrongPins().expiration(LocalDate.of(2020, 1, 1)).build()
            val tm = localRootTrustManager(reports).allowAnchor(Pins.root).pinPolicy(policy).build()
            assertTrue(tm.qorgan.pinPolicyWarnings().any { it.contains("expired on 2020-01-01") }) { "warnings: ${tm.qorgan.pinPolicyWarnings()}" }
            assertEquals("ok", httpsUrlConnectionGet(localhostUrl(server.port), tm), "body")
            val r = reports.single()
            val expired = r.verdict.findings.singleOrNull { it.code == FindingCode.PIN_POLICY_EXPIRED } ?: fail("no pin_policy_expired in ${r.verdict.findings}")
            assertContains(expired.message, "2020-01-01", "finding message")
            assertTrue(r.verdict.findings.none { it.code == FindingCode.PIN_MISMATCH }) { "expired pins were checked: ${r.verdict.findings}" }
            assertContains(r.effectiveExpirationDate, "2020-01-01", "effective-expiration-date")
            assertContains(r.json, "pin_policy_expired", "report JSON")
        }
    }

    suite.test("p6 report deduplication: the same pin failure twice is one report") {
        TlsServer("local-root").use { server ->
            val reports = Reports()
            val tm = localRootTrustManager(reports).allowAnchor(Pins.root).pinPolicy(wrongPins().build()).build()
            repeat(2) { i -> assertThrows<SSLHandshakeException>("connect ${i + 1}") { httpsUrlConnectionGet(localhostUrl(server.port), tm) } }
            assertEquals(VerdictKind.PIN_VIOLATION, reports.single().verdict.verdict, "the one report")
        }
    }

    suite.test("p6b through an HTTP CONNECT proxy the report's port is the origin's, not the proxy's (OkHttp, HttpsURLConnection)") {
        TlsServer("local-root").use { server ->
            ConnectProxy().use { proxy ->
                for ((client, get) in listOf<Pair<String, (QorganTrustManager) -> Unit>>(
                    "OkHttp" to { tm -> okHttpGet(localhostUrl(server.port), tm, proxy.proxy) },
                    "HttpsURLConnection" to { tm -> httpsUrlConnectionGet(localhostUrl(server.port), tm, proxy.proxy) },
                )) {
                    val reports = Reports()
                    val tm = localRootTrustManager(reports).allowAnchor(Pins.root).pinPolicy(wrongPins().build()).build()
                    assertThrows<java.io.IOException>("connect ($client)") { get(tm) }
                    assertEquals("$LOCALHOST:${server.port}", proxy.connects.lastOrNull(), "the CONNECT went through the proxy ($client)")
                    val report = reports.single()
                    assertEquals(VerdictKind.PIN_VIOLATION, report.verdict.verdict, "report verdict ($client)")
                    assertEquals(server.port.toUShort(), report.port, "report port ($client; the proxy's is ${proxy.port})")
                    assertTrue(Regex("\"port\"\\s*:\\s*${server.port}\\b").containsMatchIn(report.json)) { "report JSON port ($client): ${report.json}" }
                }
            }
        }
    }

    suite.test("p7 a Network Security Config document as-is pins localhost (wrong pins refuse, the right one connects)") {
        TlsServer("local-root").use { server ->
            fun nsc(vararg pins: String) = """
                <?xml version="1.0" encoding="utf-8"?>
                <network-security-config>
                    <domain-config>
                        <domain includeSubdomains="false">localhost</domain>
                        <pin-set expiration="2099-01-01">
                            ${pins.joinToString("\n                            ") { "<pin digest=\"SHA-256\">${it.removePrefix("sha256/")}</pin>" }}
                        </pin-set>
                        <trust-anchors><certificates src="user" /></trust-anchors>
                    </domain-config>
                </network-security-config>
            """.trimIndent()
            val wrong = QorganPinPolicy.fromNetworkSecurityConfig(nsc(Pins.wrong1, Pins.wrong2))
            val tm = localRootTrustManager().allowAnchor(Pins.root).pinPolicy(wrong).build()
            val e = assertThrows<SSLHandshakeException>("connect with wrong pins") { httpsUrlConnectionGet(localhostUrl(server.port), tm) }
            assertEquals(VerdictKind.PIN_VIOLATION, refusal(e).verdict?.verdict, "verdict")
            val right = localRootTrustManager().allowAnchor(Pins.root).pinPolicy(nsc(Pins.wrong1, Pins.root)).build()
            assertEquals("ok", httpsUrlConnectionGet(localhostUrl(server.port), right), "body with the right pin")
        }
    }
}

fun uploaderTests(suite: TestSuite) {
    suite.test("u1 the uploader posts the report JSON of a pin failure to the policy's report URI (plain HTTP on loopback)") {
        MockWebServer().use { collector ->
            collector.enqueue(MockResponse.Builder().code(204).build())
            collector.start(InetAddress.getByName(HOST), 0)
            val outcomes = java.util.Collections.synchronizedList(mutableListOf<QorganReportUploader.Outcome>())
            val uploader = QorganReportUploader.Builder().onOutcome { outcomes += it }.logger(Logs()).build()
            val policy = wrongPins().reportUri("http://$HOST:${collector.port}/pin-reports").build()
            TlsServer("local-root").use { server ->
                val tm = localRootTrustManager().allowAnchor(Pins.root).pinPolicy(policy).reportListener(uploader).build()
                assertThrows<SSLHandshakeException>("connect") { httpsUrlConnectionGet(localhostUrl(server.port), tm) }
                val request = collector.takeRequest(10, TimeUnit.SECONDS) ?: fail("no report arrived; outcomes: $outcomes")
                assertEquals("POST", request.method, "method")
                assertEquals("/pin-reports", request.target, "path")
                assertContains(request.headers["Content-Type"], "application/json", "Content-Type")
                val body = request.body?.utf8() ?: fail("empty body")
                for (n in listOf("\"hostname\":\"localhost\"", "\"port\":${server.port}", "\"noted-hostname\":\"localhost\"",
                    "\"validation-result\":1", "\"enforce-pinning\":true", "\"known-pins\":[", Pins.wrong1.removePrefix("sha256/"),
                    Pins.wrong2.removePrefix("sha256/"), "\"qorgan-verdict\":\"pin_violation\"", "\"served-certificate-chain\":[\"-----BEGIN CERTIFICATE-----",
                    "\"validated-certificate-chain\":[\"-----BEGIN CERTIFICATE-----")) {
                    assertContains(body, n, "posted body")
                }
                assertTrue(uploader.awaitIdle(10, TimeUnit.SECONDS)) { "uploader not idle" }
                assertEquals(listOf(204), outcomes.map { it.statusCode }, "outcomes")
                assertTrue(outcomes.single().succeeded) { "not a success: $outcomes" }
            }
            uploader.shutdown()
        }
    }

    suite.test("u2 the uploader posts over HTTPS with the platform trust manager, not with pins (test CA collector); bad URIs never throw") {
        MockWebServer().use { collector ->
            collector.useHttps(TestCa.serverContext("local-root").socketFactory)
            collector.enqueue(MockResponse.Builder().code(200).body("thanks").build())
            collector.start(InetAddress.getByName(HOST), 0)
            val outcomes = java.util.Collections.synchronizedList(mutableListOf<QorganReportUploader.Outcome>())
            // The collector's root is trusted by the platform trust manager the uploader uses. A
            // Qorgan trust manager with these pins would refuse it: the upload must not use one.
            val uploader = QorganReportUploader.Builder()
                .trustManager(QorganTrustManager.platformTrustManager(TestCa.trusting("local-root")))
                .fallbackUri("https://$LOCALHOST:${collector.port}/qorgan")
                .timeout(5, TimeUnit.SECONDS)
                .onOutcome { outcomes += it }
                .logger(Logs())
                .build()
            val reports = Reports()
            TlsServer("local-root").use { server ->
                // A report without report URIs (allowed anchor, no pins): goes to the fallback URI.
                val tm = localRootTrustManager(reports).allowAnchor(Pins.root).pinPolicy(wrongPins().build()).build()
                assertThrows<SSLHandshakeException>("connect") { httpsUrlConnectionGet(localhostUrl(server.port), tm) }
            }
            val report = reports.single()
            assertEquals(emptyList<String>(), report.reportUris, "reportUris of a rule without report-uris")
            uploader.upload(report)
            val request = collector.takeRequest(10, TimeUnit.SECONDS) ?: fail("no report arrived; outcomes: $outcomes")
            assertEquals("/qorgan", request.target, "path")
            assertTrue(request.handshake != null) { "not over TLS" }
            assertEquals(report.json, request.body?.utf8(), "posted body")
            assertTrue(uploader.awaitIdle(10, TimeUnit.SECONDS)) { "uploader not idle" }
            assertEquals(listOf(200), outcomes.map { it.statusCode }, "outcomes")

            // URIs that are refused or unreachable: outcomes, never exceptions.
            outcomes.clear()
            val closedPort = java.net.ServerSocket(0, 1, InetAddress.getByName(HOST)).use { it.localPort }
            val bad = report.copy(reportUris = listOf("http://reports.example.com/pins", "ftp://x.example/", "http://$HOST:$closedPort/pins"))
            uploader.upload(bad)
            assertTrue(uploader.awaitIdle(10, TimeUnit.SECONDS)) { "uploader not idle" }
            assertEquals(3, outcomes.size, "outcomes: $outcomes")
            assertTrue(outcomes.none { it.succeeded }) { "a bad URI succeeded: $outcomes" }
            assertContains(outcomes.first { it.uri.startsWith("http://reports") }.error, "loopback", "plain http refusal")
            assertTrue(outcomes.first { it.uri.contains(":$closedPort") }.error?.contains("Connect") == true) { "closed port outcome: $outcomes" }
            assertThrows<IllegalArgumentException>("a plain http fallback URI") { QorganReportUploader.Builder().fallbackUri("http://reports.example.com/") }
            uploader.shutdown()
        }
    }
}

/**
 * An engine that forwards to [inner] and counts the calls of the bindings' path (evaluateValidated). It has no
 * native handle, so trust managers over it take the bindings path (which is what is counted).
 */
class CountingQorgan(private val inner: kz.qorgan.ffi.Qorgan) : kz.qorgan.ffi.Qorgan(kz.qorgan.ffi.NoHandle) {
    val evaluateValidatedCalls = java.util.concurrent.atomic.AtomicInteger()
    override fun evaluateValidated(
        host: String?,
        port: UShort,
        servedChain: List<ByteArray>,
        validatedChain: List<ByteArray>,
        enforce: Boolean,
        deliverReport: Boolean,
    ): kz.qorgan.ffi.Evaluation {
        evaluateValidatedCalls.incrementAndGet()
        return inner.evaluateValidated(host, port, servedChain, validatedChain, enforce, deliverReport)
    }
    override fun evaluateRejected(host: String?, port: UShort, servedChain: List<ByteArray>, deliverReport: Boolean) =
        inner.evaluateRejected(host, port, servedChain, deliverReport)
    override fun analyzeValidated(host: String?, chain: List<ByteArray>) = inner.analyzeValidated(host, chain)
    override fun analyze(host: String?, chain: List<ByteArray>, timeUnix: Long?) = inner.analyze(host, chain, timeUnix)
    override fun report(host: String, port: UShort, servedChain: List<ByteArray>, validatedChain: List<ByteArray>, verdict: kz.qorgan.ffi.Verdict) =
        inner.report(host, port, servedChain, validatedChain, verdict)
    override fun setReportSink(sink: kz.qorgan.ffi.ReportSink?) = inner.setReportSink(sink)
    override fun pinPolicyWarnings() = inner.pinPolicyWarnings()
    override fun nativeHandle(): ULong = throw UnsupportedOperationException("counts the bindings path")
}

/** A real chain to a public root: leaf, intermediate(s), root (rust-core/engine/tests/data/real-chains). */
fun realChain(name: String): List<X509Certificate> {
    val dir = File(TestCa.repo, "rust-core/engine/tests/data/real-chains/limbo-online")
    return TestCa.certs(File(dir, "$name.chain.pem")) + TestCa.cert(File(dir, "$name.root.pem"))
}

fun verdictCacheTests(suite: TestSuite) {
    fun engine(pinPolicy: String? = null, allowed: List<String> = emptyList()) = CountingQorgan(
        kz.qorgan.ffi.Qorgan(kz.qorgan.ffi.QorganConfig(emptyList(), allowed, kz.qorgan.ffi.PlatformView.ANY, 0uL, pinPolicy)),
    )

    suite.test("verdict cache: a clean public chain is judged once per host, chain bytes and UTC day; TRUSTED is what the engine calls acceptable") {
        val google = realChain("google.com")
        val q = engine()
        var now = System.currentTimeMillis()
        val b = QorganTrustManager.Builder().qorgan(q).logger(Logs())
        b.verdictCacheClock = { now }
        val tm = b.build()
        val v = q.analyzeValidated("google.com", google.map { it.encoded })
        assertEquals(VerdictKind.TRUSTED, v.verdict, "google.com verdict")
        assertEquals(true, kz.qorgan.ffi.verdictIsAcceptable(v), "the engine's word on TRUSTED")
        q.evaluateValidatedCalls.set(0)

        tm.checkValidatedChain("google.com", google)
        tm.checkValidatedChain("google.com", google)
        // freshly parsed copies of the same certificates: equal bytes, a hit
        val copies = google.map {
            java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(java.io.ByteArrayInputStream(it.encoded)) as X509Certificate
        }
        tm.checkValidatedChain("google.com", copies)
        assertEquals(1, q.evaluateValidatedCalls.get(), "engine calls for the same chain three times")
        assertEquals(1, tm.cachedVerdicts, "cached verdicts")
        tm.checkValidatedChain("www.google.com", google)
        assertEquals(2, q.evaluateValidatedCalls.get(), "engine calls after another host")
        tm.checkValidatedChain("amazon.com", realChain("amazon.com"))
        assertEquals(3, q.evaluateValidatedCalls.get(), "engine calls after another chain")
        now += 86_400_000L // the next UTC day: pins may have expired at its midnight
        tm.checkValidatedChain("google.com", google)
        assertEquals(4, q.evaluateValidatedCalls.get(), "engine calls on the next day")
        tm.clearVerdictCache()
        assertEquals(0, tm.cachedVerdicts, "after clearVerdictCache")
        tm.checkValidatedChain("google.com", google)
        assertEquals(5, q.evaluateValidatedCalls.get(), "engine calls after clearVerdictCache")

        val off = QorganTrustManager.Builder().qorgan(q).verdictCache(0).logger(Logs()).build()
        repeat(3) { off.checkValidatedChain("google.com", google) }
        assertEquals(8, q.evaluateValidatedCalls.get(), "engine calls with the cache off")
    }

    suite.test("verdict cache: a verdict judged before clear() (a bundle applied meanwhile) is not remembered after it") {
        val google = realChain("google.com")
        val cache = VerdictCache(8)
        val judgedBefore = cache.key("google.com", google)
        cache.clear()
        cache.put(judgedBefore)
        assertEquals(false, cache.contains(cache.key("google.com", google)), "stale verdict put back")
        val judgedAfter = cache.key("google.com", google)
        cache.put(judgedAfter)
        assertEquals(true, cache.contains(cache.key("google.com", google)), "a verdict judged after clear()")
    }

    suite.test("verdict cache: verdicts that need a report (report-only pin mismatch, allowed anchor) or a refusal are never remembered") {
        val google = realChain("google.com")
        val policy = QorganPinPolicy.Builder().add("google.com", Pins.wrong1, Pins.wrong2).reportOnly().build()
        val q = engine(policy.text)
        val reports = Reports()
        val tm = QorganTrustManager.Builder().qorgan(q).reportListener(reports).logger(Logs()).build()
        repeat(2) { tm.checkValidatedChain("google.com", google, 443) }
        assertEquals(2, q.evaluateValidatedCalls.get(), "engine calls for a report-only mismatch")
        assertEquals(0, tm.cachedVerdicts, "cached verdicts")
        // TRUSTED with a warning: reported (dedup 0 in this engine: twice)
        assertEquals(2, reports.all.size, "reports of a report-only mismatch on a public chain")
        assertEquals(VerdictKind.TRUSTED, reports.all[0].verdict.verdict, "verdict of a report-only mismatch")
        assertEquals(1u, reports.all[0].validationResult, "validation-result")

        val enforcing = engine(QorganPinPolicy.Builder().add("google.com", Pins.wrong1, Pins.wrong2).build().text)
        val tm2 = QorganTrustManager.Builder().qorgan(enforcing).logger(Logs()).build()
        repeat(2) { i -> assertThrows<QorganCertificateException>("enforced mismatch ${i + 1}") { tm2.checkValidatedChain("google.com", google) } }
        assertEquals(2, enforcing.evaluateValidatedCalls.get(), "engine calls for an enforced mismatch")

        val local = engine(allowed = listOf(Pins.root))
        val reports3 = Reports()
        val tm3 = QorganTrustManager.Builder().qorgan(local).reportListener(reports3).logger(Logs()).build()
        val localChain = TestCa.chain("local-root") + TestCa.root("local-root")
        repeat(2) { tm3.checkValidatedChain(HOST, localChain) }
        assertEquals(2, local.evaluateValidatedCalls.get(), "engine calls for an allowed anchor")
        assertEquals(2, reports3.all.size, "reports for an allowed anchor")
        assertEquals(0, tm3.cachedVerdicts, "cached verdicts")
    }
}
