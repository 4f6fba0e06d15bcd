package kz.qorgan

import java.net.InetAddress
import java.net.ServerSocket
import java.util.concurrent.CountDownLatch
import java.util.concurrent.Executor
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicInteger
import java.util.concurrent.atomic.AtomicReference
import kotlin.coroutines.Continuation
import kotlin.coroutines.EmptyCoroutineContext
import kotlin.coroutines.startCoroutine
import kz.qorgan.ffi.CheckStatus
import kz.qorgan.ffi.FindingCode
import kz.qorgan.ffi.CheckVerdict
import kz.qorgan.ffi.ProbeErrorCode
import kz.qorgan.ffi.Severity

/** A target on loopback: the name localhost (SNI, certificate check), the address of [port]. */
private fun loopback(port: Int) = QorganChecker.Target(LOCALHOST, port, "$HOST:$port")

/** A port on 127.0.0.1 where nothing listens (bound, then closed). */
private fun closedPort(): Int = ServerSocket(0, 1, InetAddress.getByName(HOST)).use { it.localPort }

private fun checker(vararg targets: QorganChecker.Target) =
    QorganChecker.Builder().targets(targets.toList()).timeout(5, TimeUnit.SECONDS).logger(Logs())

/** The Android removal steps in the engine's advice. */
private const val ANDROID_STEPS = "Trusted credentials"

fun checkerTests(suite: TestSuite) {
    suite.test("k1 checker: a superfish server on loopback is INTERCEPTED, naming Superfish") {
        TlsServer("superfish").use { server ->
            val result = checker(loopback(server.port)).build().run()
            val probe = result.probes.single()
            assertEquals(CheckVerdict.INTERCEPTED_KNOWN, probe.verdict, "probe verdict (${probe.error})")
            assertEquals(CheckStatus.INTERCEPTED, result.report.status, "status")
            assertEquals(1u, result.report.hostsIntercepted, "hostsIntercepted")
            assertContains(result.report.headline, "intercepted", "headline")
            val advice = result.report.advice.first()
            assertEquals(Severity.CRITICAL, advice.severity, "advice severity")
            assertEquals(LOCALHOST, advice.host, "advice host")
            assertContains(advice.certificateAuthority + " " + advice.explanation, "Superfish", "advice")
            assertEquals(null, result.audit, "audit without a trust store")
        }
    }

    suite.test("k2 checker: local-root installed as a user: CA and a server using it: INTERCEPTED (intercepted_local) plus the audit's advice") {
        TlsServer("local-root").use { server ->
            val store = TestCa.trustStore("user:5d4e7ab9.0" to TestCa.root("local-root"))
            val result = checker(loopback(server.port)).trustStore(store).build().run()
            val probe = result.probes.single()
            assertEquals(CheckVerdict.INTERCEPTED_LOCAL, probe.verdict, "probe verdict (${probe.error})")
            assertEquals(true, probe.anchor?.userAdded, "anchor.userAdded")
            assertEquals(CheckStatus.INTERCEPTED, result.report.status, "status")
            val audit = result.audit ?: fail("no audit: ${result.auditError}")
            assertEquals(true, audit["user:5d4e7ab9.0"]?.userAdded, "audit userAdded")
            val titles = result.report.advice.map { it.title }
            assertTrue(titles.any { it.contains("goes through a certificate installed on this device") }) { "advice: $titles" }
            assertTrue(titles.any { it.contains("installed a certificate authority on this device") }) { "advice: $titles" }
            assertTrue(result.report.advice.all { it.certificateAuthority == "Qorgan Test Local Root" }) { "advice CAs: ${result.report.advice}" }
            assertContains(result.report.advice.first().action, ANDROID_STEPS, "Android removal steps")
        }
    }

    suite.test("k2l checker in Kazakh and Russian: the device's language or the app's choice; codes stay English") {
        TlsServer("local-root").use { server ->
            val store = TestCa.trustStore("user:5d4e7ab9.0" to TestCa.root("local-root"))
            for ((tag, word) in listOf("kk" to "құрылғы", "ru-RU" to "устройств")) {
                val result = checker(loopback(server.port)).trustStore(store).language(tag).build().run()
                assertEquals(CheckStatus.INTERCEPTED, result.report.status, "$tag status")
                val text = result.report.headline + " " + result.report.advice.joinToString(" ") { it.title + " " + it.explanation }
                assertContains(text, word, "$tag advice")
                assertContains(text, "Qorgan Test Local Root", "$tag CA name kept as is")
                val finding = result.probes.single().findings.first { it.code == FindingCode.NON_PUBLIC_ANCHOR }
                assertTrue(finding.message.any { it in '\u0400'..'\u04FF' }) { "$tag finding: ${finding.message}" }
                assertEquals("finding-non-public-anchor", finding.messageId, "$tag message id")
                assertEquals("non_public_anchor", finding.code.wireName, "$tag code")
            }
        }
    }

    suite.test("k3n checker: a plain-HTTP server is NOT_TLS, and the headline says so") {
        ServerSocket(0, 1, InetAddress.getByName(HOST)).use { server ->
            val t = Thread {
                runCatching {
                    server.accept().use { s ->
                        s.getInputStream().read(ByteArray(1024))
                        s.getOutputStream().write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n".toByteArray())
                        s.getOutputStream().flush()
                        Thread.sleep(200)
                    }
                }
            }.apply { isDaemon = true; start() }
            val result = checker(loopback(server.localPort)).build().run()
            val probe = result.probes.single()
            assertEquals(ProbeErrorCode.NOT_TLS, probe.error?.code, "error code (${probe.error?.message})")
            assertContains(result.report.headline, "not over HTTPS", "headline")
            t.join(2000)
        }
    }

    suite.test("k3 checker: a closed port is unreachable (connection_refused); nothing answered and nothing installed: nothing checked, the host refused") {
        val port = closedPort()
        val result = checker(loopback(port)).trustStore(TestCa.trustStore()).build().run()
        val probe = result.probes.single()
        assertEquals(CheckVerdict.UNREACHABLE, probe.verdict, "verdict")
        assertEquals(ProbeErrorCode.CONNECTION_REFUSED, probe.error?.code, "error code (${probe.error?.message})")
        assertEquals(CheckStatus.OFFLINE, result.report.status, "status")
        assertEquals(1u, result.report.hostsUnreachable, "hostsUnreachable")
        assertContains(result.report.headline, "refused", "headline")
        // One site answering is enough to be more than offline.
        TlsServer("superfish").use { server ->
            val mixed = checker(loopback(port), loopback(server.port)).build().run()
            assertEquals(listOf(CheckVerdict.UNREACHABLE, CheckVerdict.INTERCEPTED_KNOWN), mixed.probes.map { it.verdict }, "verdicts in target order")
            assertEquals(CheckStatus.INTERCEPTED, mixed.report.status, "status")
            assertEquals(2u, mixed.report.hostsChecked, "hostsChecked")
        }
    }

    suite.test("k4 checker audit: the Kazakh root in the KeyStore gives advice naming it, with Android removal steps") {
        val store = TestCa.trustStore("user:8c4b6a5b.0" to TestCa.qaznet, "system:00000000.0" to TestCa.root("local-root"))
        val result = checker(loopback(closedPort())).trustStore(store).build().run()
        assertEquals(CheckStatus.INTERCEPTED, result.report.status, "status")
        assertContains(result.report.headline, "installed on this device", "headline")
        val kz = result.report.advice.first()
        assertEquals(Severity.CRITICAL, kz.severity, "severity")
        assertContains(kz.certificateAuthority, "Qaznet Trust Network", "certificateAuthority")
        assertContains(kz.explanation, "Qaznet", "explanation")
        assertContains(kz.action, ANDROID_STEPS, "action")
        assertEquals(null, kz.host, "host")
        assertEquals(2, result.audit?.entries?.size, "audited entries")
        assertEquals(1, result.audit?.interception?.size, "interception entries")
    }

    suite.test("k5 checker: at most parallelism probes at once on a given executor; runAsync callback and suspend check() agree with run()") {
        TlsServer("local-root").use { server ->
            val running = AtomicInteger()
            val peak = AtomicInteger()
            val submitted = AtomicInteger()
            val pool = Executors.newFixedThreadPool(10)
            val counting = Executor { task ->
                submitted.incrementAndGet()
                pool.execute {
                    peak.accumulateAndGet(running.incrementAndGet(), ::maxOf)
                    try {
                        task.run()
                    } finally {
                        running.decrementAndGet()
                    }
                }
            }
            try {
                val targets = (1..7).map { loopback(server.port) }
                val store = TestCa.trustStore("user:5d4e7ab9.0" to TestCa.root("local-root"))
                val c = QorganChecker.Builder().targets(targets).trustStore(store).parallelism(3).executor(counting).logger(Logs()).build()
                val result = c.run()
                assertEquals(7, result.probes.size, "probes")
                assertTrue(result.probes.all { it.verdict == CheckVerdict.INTERCEPTED_LOCAL }) { "verdicts: ${result.probes.map { it.verdict to it.error }}" }
                assertTrue(peak.get() in 1..3) { "peak concurrency ${peak.get()} > 3" }
                assertTrue(submitted.get() <= 3) { "${submitted.get()} tasks submitted to the executor" }

                // the callback API
                val latch = CountDownLatch(1)
                val got = AtomicReference<Pair<CheckerResult?, Throwable?>>()
                val future = c.runAsync { r, e -> got.set(r to e); latch.countDown() }
                assertTrue(latch.await(60, TimeUnit.SECONDS)) { "no callback" }
                assertEquals(null, got.get().second, "callback error")
                assertEquals(result.report, got.get().first?.report, "callback report")
                assertEquals(result.report, future.get().report, "future report")

                // the suspend API, with the standard library alone (no kotlinx-coroutines)
                val suspended = CountDownLatch(1)
                val fromSuspend = AtomicReference<Result<CheckerResult>>()
                suspend { c.check() }.startCoroutine(Continuation(EmptyCoroutineContext) { fromSuspend.set(it); suspended.countDown() })
                assertTrue(suspended.await(60, TimeUnit.SECONDS)) { "check() did not resume" }
                assertEquals(result.report, fromSuspend.get().getOrThrow().report, "check() report")
            } finally {
                pool.shutdownNow()
            }
        }
    }

    suite.test("k6 checker: defaults and argument checks") {
        val defaults = QorganChecker.defaultTargets()
        assertTrue(defaults.size >= 5 && defaults.all { it.port == 443 && it.connectAddress == null }) { "default targets: $defaults" }
        assertTrue(defaults.any { it.host.endsWith(".kz") || it.host.contains("google") || it.host.contains("facebook") }) { "default targets: $defaults" }
        val c = QorganChecker.Builder().build()
        assertEquals(defaults, c.targets, "targets without any added")
        assertEquals(QorganChecker.MAX_PARALLELISM, c.parallelism, "default parallelism")
        assertThrows<IllegalArgumentException>("parallelism 9") { QorganChecker.Builder().parallelism(9) }
        assertThrows<IllegalArgumentException>("port 0") { QorganChecker.Target("example.com", 0) }
        val bad = assertThrows<IllegalArgumentException>("a connect address that is a name") { QorganChecker.Target("example.com", 443, "example.net:443") }
        assertContains(bad.message, "IP:PORT", "message")
        QorganChecker.Target("example.com", 443, "[2001:db8::1]:443") // accepted
        // A trust store that cannot be read: a result without audit, and why.
        val port = closedPort()
        val result = QorganChecker.Builder().addTarget(LOCALHOST, port, "$HOST:$port")
            .trustStore { throw java.security.KeyStoreException("no store here") }.logger(Logs()).build().run()
        assertEquals(null, result.audit, "audit")
        assertContains(result.auditError?.message, "no store here", "auditError")
        assertEquals(CheckStatus.OFFLINE, result.report.status, "status")
    }

    suite.test("k7 checker handshake: a connection cut after the ClientHello is RESET_AFTER_CLIENT_HELLO, a silent server TIMEOUT, an alert TLS_ALERT naming it") {
        RawServer { s -> s.setSoLinger(true, 0) }.use { server -> // RST right after the ClientHello
            val probe = checker(loopback(server.port)).build().run().probes.single()
            assertEquals(ProbeErrorCode.RESET_AFTER_CLIENT_HELLO, probe.error?.code, "reset (${probe.error?.message})")
            assertContains(probe.error?.message, "SNI-based blocking", "message")
            assertEquals(CheckVerdict.UNREACHABLE, probe.verdict, "verdict")
        }
        RawServer { }.use { server -> // FIN right after the ClientHello
            val probe = checker(loopback(server.port)).build().run().probes.single()
            assertEquals(ProbeErrorCode.RESET_AFTER_CLIENT_HELLO, probe.error?.code, "closed (${probe.error?.message})")
        }
        RawServer { s -> s.getOutputStream().write(byteArrayOf(0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28)) }.use { server ->
            val probe = checker(loopback(server.port)).build().run().probes.single()
            assertEquals(ProbeErrorCode.TLS_ALERT, probe.error?.code, "alert (${probe.error?.message})")
            assertContains(probe.error?.message, "handshake_failure", "alert name")
        }
        RawServer(holdMillis = 10_000) { }.use { server ->
            val started = System.nanoTime()
            val probe = QorganChecker.Builder().addTarget(LOCALHOST, server.port, "$HOST:${server.port}")
                .timeout(700, TimeUnit.MILLISECONDS).logger(Logs()).build().run().probes.single()
            val tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)
            assertEquals(ProbeErrorCode.TIMEOUT, probe.error?.code, "silent (${probe.error?.message})")
            assertTrue(tookMs < 5_000) { "a 700 ms probe took $tookMs ms" }
        }
    }

    suite.test("k8 checker handshake: what was negotiated, the presented chain and the platform's own verdict") {
        TlsServer("local-root").use { server ->
            // The platform's trust store holds the root: the OS trusts the chain for this name.
            val store = TestCa.trustStore("user:5d4e7ab9.0" to TestCa.root("local-root"))
            val probe = checker(loopback(server.port)).trustStore(store).build().run().probes.single()
            assertEquals(true, probe.platformTrusted, "platformTrusted with the root installed")
            val tls = probe.tls ?: fail("no TLS info: ${probe.error}")
            assertTrue(tls.version.startsWith("TLSv1.")) { "version ${tls.version}" }
            assertTrue(tls.cipherSuite.startsWith("TLS_")) { "cipher suite ${tls.cipherSuite}" }
            assertEquals(TestCa.chain("local-root").map { it.encoded.toList() }, probe.presentedChain.map { it.toList() }, "presented chain")
            assertEquals("$HOST:${server.port}", probe.address, "address")
        }
        TlsServer("wrong-host").use { server ->
            // Installed, but the certificate is for another name: the OS says no.
            val store = TestCa.trustStore("user:1.0" to TestCa.root("wrong-host"))
            val probe = checker(loopback(server.port)).trustStore(store).build().run().probes.single()
            assertEquals(false, probe.platformTrusted, "platformTrusted for the wrong name")
        }
        TlsServer("superfish").use { server ->
            val probe = checker(loopback(server.port)).build().run().probes.single()
            assertEquals(false, probe.platformTrusted, "platformTrusted by the JVM's own roots")
        }
    }

    suite.test("k9 checker: a name that does not resolve is DNS_FAILED (or TIMEOUT where lookups hang), within the time limit") {
        val started = System.nanoTime()
        val probe = QorganChecker.Builder().addTarget("qorgan-probe-test.invalid").timeout(3, TimeUnit.SECONDS)
            .logger(Logs()).build().run().probes.single()
        val tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)
        assertTrue(probe.error?.code == ProbeErrorCode.DNS_FAILED || probe.error?.code == ProbeErrorCode.TIMEOUT) { "error ${probe.error}" }
        assertTrue(tookMs < 8_000) { "a 3 s probe took $tookMs ms" }
    }

    suite.test("k11 checker handshake with weak chains (RSA-1024 leaf carrying the Superfish CA's key; SHA-1): the CA is named") {
        for ((scenario, args) in listOf(
            "superfish-1024" to arrayOf(),
            "superfish-1024" to arrayOf("-tls1_2", "-sigalgs", "RSA+SHA1"),
            "superfish-1024" to arrayOf("-tls1_2", "-sigalgs", "RSA+SHA384"),
            "superfish-sha1" to arrayOf("-tls1_2", "-sigalgs", "RSA+SHA1"),
        )) {
            OpensslServer(scenario, 1, *args).use { server ->
                val probe = checker(loopback(server.port)).build().run().probes.single()
                println("    $scenario ${args.joinToString(" ")}: ${probe.verdict} ${probe.tls?.version} error=${probe.error}")
                assertEquals(CheckVerdict.INTERCEPTED_KNOWN, probe.verdict, "$scenario ${args.joinToString(" ")} (${probe.error})")
                assertContains(probe.findings.first().message, "Superfish", "main finding")
            }
        }
    }

    suite.test("k12 checker handshake whose signature does not verify (a replayed Superfish chain): the CA is named, the failure kept") {
        TlsServer("superfish", context = TestCa.replayingContext("superfish", "local-root")).use { server ->
            val probe = checker(loopback(server.port)).build().run().probes.single()
            assertEquals(CheckVerdict.INTERCEPTED_KNOWN, probe.verdict, "probe verdict (${probe.error})")
            assertContains(probe.findings.first().message, "Superfish", "main finding")
            assertEquals(ProbeErrorCode.TLS_ERROR, probe.error?.code, "the failure (${probe.error})")
            assertEquals(1, probe.presentedChain.size, "presented chain")
        }
        // Another chain replayed without its key: still judged (local-root is not installed here),
        // never trusted, the failure kept.
        TlsServer("local-root", context = TestCa.replayingContext("local-root", "unknown-root")).use { server ->
            val probe = checker(loopback(server.port)).build().run().probes.single()
            assertTrue(probe.verdict != CheckVerdict.TRUSTED) { "verdict ${probe.verdict}" }
            assertEquals(ProbeErrorCode.TLS_ERROR, probe.error?.code, "the failure (${probe.error})")
        }
    }

    suite.test("k10 the phone library has no live probe: Qorgan.probe says to use judgeHandshake") {
        val q = kz.qorgan.ffi.Qorgan(
            kz.qorgan.ffi.QorganConfig(
                trustedCertificates = emptyList(),
                allowedAnchorPins = emptyList(),
                platform = kz.qorgan.ffi.PlatformView.ANY,
                reportDedupSeconds = 0uL,
            ),
        )
        q.use {
            val e = assertThrows<kz.qorgan.ffi.QorganException.InvalidConfig>("probe") { it.probe(LOCALHOST, 443u, 1000u, null) }
            assertContains(e.message, "judgeHandshake", "message")
        }
    }
}
