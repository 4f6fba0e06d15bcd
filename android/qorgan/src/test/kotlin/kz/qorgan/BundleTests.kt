package kz.qorgan

import java.io.File
import java.net.InetAddress
import java.nio.file.Files
import java.util.concurrent.CountDownLatch
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit
import javax.net.ssl.SSLHandshakeException
import kz.qorgan.ffi.BundleInfo
import kz.qorgan.ffi.PlatformView
import kz.qorgan.ffi.Qorgan
import kz.qorgan.ffi.QorganBundleException
import kz.qorgan.ffi.QorganConfig
import kz.qorgan.ffi.QorganException
import kz.qorgan.ffi.TrustedCertificate
import kz.qorgan.ffi.VerdictKind
import mockwebserver3.MockResponse
import mockwebserver3.MockWebServer
import okio.Buffer

/** The bundle fixtures of rust-core/ffi/tests/data/bundles (made by rust-core/ffi/tests/bundle.rs). */
private object Bundles {
    private val dir get() = File(TestCa.repo, "rust-core/ffi/tests/data/bundles")
    val key: String get() = File(dir, "publisher.pub").readText().trim()
    fun bytes(name: String): ByteArray = File(dir, "$name.qbundle").readBytes()
}

/** The unknown-root scenario: a root no build of Qorgan knows, installed on the device. */
private val unknownRoot get() = TestCa.root("unknown-root")

private fun Qorgan.unknownRootVerdict(): VerdictKind =
    analyze(HOST, TestCa.chain("unknown-root").map { it.encoded }, null).verdict

/** A trust manager whose device trusts unknown-root (allowed as the owner's own), with the bundle key. */
private fun unknownRootTrustManager(minVersion: Long = 0): QorganTrustManager =
    QorganTrustManager.Builder()
        .delegate(TestCa.trusting("unknown-root"))
        .allowAnchorCertificate(unknownRoot)
        .bundleKeys(Bundles.key)
        .bundleMinVersion(minVersion)
        .logger(Logs())
        .build()

private fun assertInfo(info: BundleInfo, version: Long) {
    assertEquals(version.toULong(), info.version, "bundle version")
    assertEquals(1u, info.knownCas, "known CAs")
    assertEquals("2050-01-01T00:00:00Z", info.expires, "expires")
    assertEquals(false, info.pinsApplied, "pins applied without the opt-in")
}

private fun bundleResponse(bytes: ByteArray, etag: String) = MockResponse.Builder()
    .body(Buffer().write(bytes))
    .addHeader("ETag", etag)
    .addHeader("Last-Modified", "Tue, 01 Dec 2026 00:00:00 GMT")
    .build()

fun bundleTests(suite: TestSuite) {
    suite.test("b1 a root known only from a bundle is intercepted_known, in the engine and over TLS") {
        val tm = unknownRootTrustManager()
        TlsServer("unknown-root").use { server ->
            // Before: an unknown non-public root, allowed as the owner's own.
            assertEquals("ok", httpsUrlConnectionGet(server.url, tm), "body before the bundle")
            assertEquals(VerdictKind.INTERCEPTED_LOCAL, tm.qorgan.unknownRootVerdict(), "verdict before")
            assertEquals(null, tm.qorgan.bundleInfo(), "bundle before")
            val info = tm.applyBundle(Bundles.bytes("v1"))
            assertInfo(info, 1)
            assertEquals(info, tm.qorgan.bundleInfo(), "bundleInfo")
            assertEquals(VerdictKind.INTERCEPTED_KNOWN, tm.qorgan.unknownRootVerdict(), "verdict after")
            // A known interception CA can never be allowed: the same server is now refused.
            val e = assertThrows<SSLHandshakeException>("connect after the bundle") { httpsUrlConnectionGet(server.url, tm) }
            val q = causeOf<QorganCertificateException>(e) ?: fail("not refused by Qorgan: $e", e)
            assertEquals(VerdictKind.INTERCEPTED_KNOWN, q.verdict?.verdict, "refusal verdict")
            assertContains(q.message, "Kazakhstan 2026 test interception root", "refusal message")
        }
    }

    suite.test("b2 tampered, foreign-key, expired, rollback and malformed bundles are refused, typed, and change nothing") {
        val q = Qorgan(
            QorganConfig(
                listOf(TrustedCertificate(unknownRoot.encoded, true)), emptyList(), PlatformView.ANY, 0u,
                bundleKeys = listOf(Bundles.key),
            ),
        )
        val v2 = q.applyBundle(Bundles.bytes("v2"))
        assertInfo(v2, 2)
        fun refused(name: String): QorganBundleException {
            val e = assertThrows<QorganBundleException>(name) { q.applyBundle(Bundles.bytes(name)) }
            assertEquals(v2, q.bundleInfo(), "bundle in use after $name")
            assertEquals(VerdictKind.INTERCEPTED_KNOWN, q.unknownRootVerdict(), "verdict after $name")
            assertContains(e.message, "bundle refused", "$name message")
            return e
        }
        assertTrue(refused("tampered") is QorganBundleException.BadSignature) { "tampered" }
        val foreign = refused("foreign-key") as? QorganBundleException.UnknownKey ?: fail("foreign-key: not UnknownKey")
        assertContains(foreign.reason, foreign.keyId, "foreign-key message")
        val expired = refused("expired") as? QorganBundleException.Expired ?: fail("expired: not Expired")
        assertEquals("2020-02-01T00:00:00Z", expired.expires, "expired at")
        val rollback = refused("v1") as? QorganBundleException.NotNewer ?: fail("v1: not NotNewer")
        assertEquals(1uL to 2uL, rollback.version to rollback.current, "rollback versions")
        assertTrue(refused("v2") is QorganBundleException.NotNewer) { "replay" }
        assertTrue(refused("malformed") is QorganBundleException.Malformed) { "malformed" }
        assertThrows<QorganBundleException.NotABundle>("junk") { q.applyBundle("<html>".toByteArray()) }
        assertEquals(v2, q.bundleInfo(), "bundle in use after junk")
        // No key configured: nothing is accepted. A key that is not one: a config error.
        val keyless = Qorgan(QorganConfig(emptyList(), emptyList(), PlatformView.ANY, 0u))
        assertThrows<QorganBundleException.NoKeys>("no keys") { keyless.applyBundle(Bundles.bytes("v1")) }
        val bad = assertThrows<QorganException.InvalidConfig>("bad key") {
            QorganTrustManager.Builder().delegate(TestCa.trusting("unknown-root")).bundleKeys(Bundles.key, "c2hvcnQ=").build()
        }
        assertContains(bad.reason, "bundle key #2", "bad key message")
    }

    suite.test("b3 the updater fetches over loopback HTTPS with its own trust, gets 304, and a restart applies the stored bundle") {
        val dir = Files.createTempDirectory("qorgan-bundle-").toFile()
        MockWebServer().use { server ->
            server.useHttps(TestCa.serverContext("local-root").socketFactory)
            server.enqueue(bundleResponse(Bundles.bytes("v2"), "\"v2\""))
            server.enqueue(MockResponse.Builder().code(304).build())
            server.enqueue(bundleResponse(Bundles.bytes("v1"), "\"v1\""))
            server.enqueue(MockResponse.Builder().code(500).build())
            server.start(InetAddress.getByName(HOST), 0)
            val url = "https://$HOST:${server.port}/qorgan.bundle"
            // The trust manager's own delegate trusts only unknown-root: the fetch (local-root)
            // works only because it does not go through Qorgan's trust manager.
            val tm = unknownRootTrustManager(QorganBundleUpdater.storedVersion(dir))
            fun updater(tm: QorganTrustManager) = QorganBundleUpdater.Builder(url, dir, tm::applyBundle)
                .trustManager(QorganTrustManager.platformTrustManager(TestCa.trusting("local-root")))
                .logger(Logs())
                .build()
            val first = updater(tm)
            assertEquals(null, first.applyStored(), "stored bundle before any fetch")
            val updated = first.fetchNow() as? QorganBundleUpdater.Outcome.Updated ?: fail("first fetch not Updated")
            assertInfo(updated.info, 2)
            assertEquals(VerdictKind.INTERCEPTED_KNOWN, tm.qorgan.unknownRootVerdict(), "verdict after the fetch")
            val r1 = server.takeRequest(5, TimeUnit.SECONDS) ?: fail("no first request")
            assertEquals(null, r1.headers["If-None-Match"], "first If-None-Match")
            assertEquals(QorganBundleUpdater.Outcome.NotModified, first.fetchNow(), "second fetch")
            val r2 = server.takeRequest(5, TimeUnit.SECONDS) ?: fail("no second request")
            assertEquals("\"v2\"", r2.headers["If-None-Match"], "second If-None-Match")
            assertEquals("Tue, 01 Dec 2026 00:00:00 GMT", r2.headers["If-Modified-Since"], "second If-Modified-Since")
            // The server rolls back: refused, and the stored bundle stays v2.
            val rolledBack = first.fetchNow() as? QorganBundleUpdater.Outcome.Refused ?: fail("rollback not Refused")
            assertTrue(rolledBack.error is QorganBundleException.NotNewer) { "rollback: ${rolledBack.error}" }
            val failed = first.fetchNow() as? QorganBundleUpdater.Outcome.NetworkError ?: fail("500 not a NetworkError")
            assertEquals(500, failed.statusCode, "status")
            assertEquals(2L, QorganBundleUpdater.storedVersion(dir), "stored version")
            assertTrue(File(dir, "bundle.qbundle").readBytes().contentEquals(Bundles.bytes("v2"))) { "stored bytes are not v2" }

            // Restart: a new engine knows nothing until the stored bundle is applied, and refuses v1.
            val restarted = unknownRootTrustManager(QorganBundleUpdater.storedVersion(dir))
            assertEquals(VerdictKind.INTERCEPTED_LOCAL, restarted.qorgan.unknownRootVerdict(), "verdict at restart")
            val rollback = assertThrows<QorganBundleException.NotNewer>("v1 after restart") { restarted.applyBundle(Bundles.bytes("v1")) }
            assertEquals(2uL, rollback.current, "minimum after restart")
            val stored = updater(restarted).applyStored() as? QorganBundleUpdater.Outcome.Updated ?: fail("stored not applied")
            assertInfo(stored.info, 2)
            assertEquals(VerdictKind.INTERCEPTED_KNOWN, restarted.qorgan.unknownRootVerdict(), "verdict after the stored bundle")
        }
        dir.deleteRecursively()
    }

    suite.test("b4 the updater uses the platform's default trust (a test CA is refused), refuses http:// and schedules on the app's executor") {
        val dir = Files.createTempDirectory("qorgan-bundle-").toFile()
        MockWebServer().use { server ->
            server.useHttps(TestCa.serverContext("local-root").socketFactory)
            server.enqueue(bundleResponse(Bundles.bytes("v1"), "\"v1\""))
            server.start(InetAddress.getByName(HOST), 0)
            val url = "https://$HOST:${server.port}/qorgan.bundle"
            val q = Qorgan(QorganConfig(emptyList(), emptyList(), PlatformView.ANY, 0u, bundleKeys = listOf(Bundles.key)))
            val platformDefault = QorganBundleUpdater.Builder(url, dir, q::applyBundle).logger(Logs()).build()
            val e = platformDefault.fetchNow() as? QorganBundleUpdater.Outcome.NetworkError ?: fail("test CA accepted by the default trust")
            assertTrue(causeOf<SSLHandshakeException>(e.error) != null) { "not a TLS failure: ${e.error}" }
            assertEquals(null, q.bundleInfo(), "bundle after a failed fetch")
            assertThrows<IllegalArgumentException>("http URL") { QorganBundleUpdater.Builder("http://$HOST/b", dir, q::applyBundle).build() }

            val updater = QorganBundleUpdater.Builder(url, dir, q::applyBundle)
                .trustManager(QorganTrustManager.platformTrustManager(TestCa.trusting("local-root")))
                .logger(Logs())
                .build()
            val executor = Executors.newSingleThreadScheduledExecutor()
            val outcomes = java.util.Collections.synchronizedList(mutableListOf<QorganBundleUpdater.Outcome>())
            val done = CountDownLatch(1)
            val future = updater.scheduleDaily(executor) { outcomes += it; done.countDown() }
            assertTrue(done.await(10, TimeUnit.SECONDS)) { "no scheduled fetch" }
            future.cancel(false)
            executor.shutdown()
            assertEquals(1uL, (outcomes.single() as? QorganBundleUpdater.Outcome.Updated)?.info?.version, "scheduled outcome")
            assertEquals(1uL, q.bundleInfo()?.version, "bundle in use")
        }
        dir.deleteRecursively()
    }

    suite.test("b5 the updater follows a redirect, and the same bundle sent again without ETag is NotModified, not refused") {
        val dir = Files.createTempDirectory("qorgan-bundle-").toFile()
        MockWebServer().use { server ->
            server.useHttps(TestCa.serverContext("local-root").socketFactory)
            server.enqueue(MockResponse.Builder().code(302).addHeader("Location", "/releases/qorgan.bundle").build())
            server.enqueue(MockResponse.Builder().body(Buffer().write(Bundles.bytes("v2"))).build())
            server.enqueue(MockResponse.Builder().body(Buffer().write(Bundles.bytes("v2"))).build())
            server.start(InetAddress.getByName(HOST), 0)
            val tm = unknownRootTrustManager()
            val updater = QorganBundleUpdater.Builder("https://$HOST:${server.port}/latest", dir, tm::applyBundle)
                .trustManager(QorganTrustManager.platformTrustManager(TestCa.trusting("local-root")))
                .logger(Logs())
                .build()
            val updated = updater.fetchNow() as? QorganBundleUpdater.Outcome.Updated ?: fail("redirected fetch not Updated")
            assertInfo(updated.info, 2)
            assertEquals("/releases/qorgan.bundle", (server.takeRequest(5, TimeUnit.SECONDS) ?: fail("no request")).let {
                server.takeRequest(5, TimeUnit.SECONDS)?.url?.encodedPath
            }, "the redirect was followed")
            assertEquals(QorganBundleUpdater.Outcome.NotModified, updater.fetchNow(), "the bundle in use, sent again")
            assertEquals(2uL, tm.qorgan.bundleInfo()?.version, "bundle in use")
        }
        dir.deleteRecursively()
    }
}
