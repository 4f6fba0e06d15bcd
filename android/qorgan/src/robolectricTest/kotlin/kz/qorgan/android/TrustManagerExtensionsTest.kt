package kz.qorgan.android

import android.net.http.X509TrustManagerExtensions
import java.security.KeyStore
import java.security.KeyStoreException
import java.security.cert.CertificateException
import java.util.Collections
import javax.net.ssl.SSLHandshakeException
import kz.qorgan.QorganCertificateException
import kz.qorgan.QorganTrustManager
import kz.qorgan.ffi.FindingCode
import kz.qorgan.ffi.Report
import kz.qorgan.ffi.Severity
import kz.qorgan.ffi.VerdictKind
import kz.qorgan.trustedCertificates
import org.junit.Assert.assertEquals
import org.junit.Assert.assertThrows
import org.junit.Assert.assertTrue
import org.junit.Test
import org.junit.runner.RunWith
import org.robolectric.RobolectricTestRunner

/**
 * Qorgan's trust manager on the Android framework, through `android.net.http.X509TrustManagerExtensions`
 * (the API QorganAndroid's AndroidValidatedChainBuilder and OkHttp's Android chain cleaner use),
 * over the test CA's real certificates and real TLS handshakes on loopback, with pins from a
 * compiled res/xml Network Security Config.
 *
 * The platform trust manager is open-source Conscrypt's (`org.conscrypt.TrustManagerImpl`, Maven
 * Central 2.6.2): Robolectric's android-all has the platform's Conscrypt classes but not their
 * natives, and no AndroidCAStore, so `QorganAndroid.trustManager(context)` cannot run here (see
 * [androidCaStoreIsNotInRobolectric]); the tests build it as that function does, from the same
 * internal function, with the CA store's certificates given.
 */
@RunWith(RobolectricTestRunner::class)
class TrustManagerExtensionsTest {
    private val chain = TestCerts.chain("local-root")
    private val root = TestCerts.root("local-root")
    private val rootPin get() = QorganTrustManager.pin(root)

    /** A trust manager as QorganAndroid.trustManager(context) makes it, over Conscrypt, local-root installed by the user. */
    private fun qorganTrustManager(policyXml: String, reports: MutableList<Report>, configure: QorganTrustManager.Builder.() -> Unit = {}): QorganTrustManager {
        QorganAndroid.initialize(context)
        val platform = TestCerts.conscryptTrustManager("local-root")
        val installed = trustedCertificates(TestCerts.store("local-root", "user:local-root"))
        return QorganAndroid.trustManager(platform, installed) {
            pinPolicy(QorganAndroid.pinPolicy(context, xml(policyXml)))
            allowAnchor(rootPin) // a non-public root the owner accepts: only the pins decide
            reportListener { reports += it }
            configure()
        }
    }

    private fun reports(): MutableList<Report> = Collections.synchronizedList(mutableListOf())

    @Test
    fun conscryptThroughX509TrustManagerExtensionsGivesTheValidatedChain() {
        val platform = TestCerts.conscryptTrustManager("local-root")
        assertEquals("org.conscrypt.TrustManagerImpl", platform.javaClass.name)
        val extensions = X509TrustManagerExtensions(platform)
        val validated = extensions.checkServerTrusted(chain, "RSA", "localhost")
        assertEquals("leaf first, the anchor last", listOf(chain[0], root), validated)
        // A chain to a root the store does not hold is refused by the platform.
        assertThrows(CertificateException::class.java) {
            extensions.checkServerTrusted(TestCerts.chain("unknown-root"), "RSA", "localhost")
        }
        // The same through QorganAndroid's chain builder.
        assertEquals(listOf(chain[0], root), AndroidValidatedChainBuilder(platform).validatedChain(chain, "RSA", "localhost"))
    }

    @Test
    fun theTestPolicyPinsTheLocalRootsKey() {
        // nsc_localhost_pins.xml was written with this key; a regenerated test CA must update it.
        val policy = QorganAndroid.pinPolicy(context, xml("nsc_localhost_pins"))
        assertTrue(policy.text, policy.text.contains(rootPin.removePrefix("sha256/")))
    }

    @Test
    fun enforceRefusesAPinMismatchInTheHandshakeAndThroughTheExtensions() {
        val reports = reports()
        val tm = qorganTrustManager("nsc_localhost_wrong_pins", reports)
        val e = assertThrows(SSLHandshakeException::class.java) { handshake("local-root", tm) }
        val refusal = generateSequence<Throwable>(e) { it.cause }.filterIsInstance<QorganCertificateException>().firstOrNull()
            ?: throw AssertionError("not refused by Qorgan", e)
        assertEquals(VerdictKind.PIN_VIOLATION, refusal.verdict?.verdict)
        assertTrue(refusal.message, refusal.message!!.contains("Certificate pinning failure!"))
        val report = reports.single()
        assertEquals(VerdictKind.PIN_VIOLATION, report.verdict.verdict)
        assertEquals("localhost", report.hostname)
        assertEquals(true, report.enforcePinning)
        assertEquals(
            listOf("pin-sha256=\"HJhA4/HAsYE/44J5ssMnmHPfbPjnP5V3Re7F3MFe4tw=\"", "pin-sha256=\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\""),
            report.knownPins,
        )
        assertEquals("validation-result 1: no pin matched", 1u, report.validationResult)
        // OkHttp's chain cleaner and other Android code wrap the app's trust manager in
        // X509TrustManagerExtensions: the same refusal comes out there.
        val wrapped = X509TrustManagerExtensions(tm)
        val e2 = assertThrows(CertificateException::class.java) { wrapped.checkServerTrusted(chain, "RSA", "localhost") }
        assertTrue("$e2", e2 is QorganCertificateException && e2.verdict?.verdict == VerdictKind.PIN_VIOLATION)
    }

    @Test
    fun reportOnlyLetsAPinMismatchThroughAndReportsIt() {
        val reports = reports()
        val tm = qorganTrustManager("nsc_localhost_wrong_pins", reports) { mode(QorganTrustManager.Mode.REPORT_ONLY) }
        handshake("local-root", tm)
        val report = reports.single()
        assertEquals(VerdictKind.PIN_VIOLATION, report.verdict.verdict)
        assertEquals(1u, report.validationResult)
        assertEquals("the rule enforces; the trust manager only reports", true, report.enforcePinning)
        assertTrue(report.json, report.json.contains("\"known-pins\":["))
        val mismatch = report.verdict.findings.single { it.code == FindingCode.PIN_MISMATCH }
        assertEquals(Severity.CRITICAL, mismatch.severity)
        // Through the extensions: the validated chain comes back, nothing is thrown.
        assertEquals(listOf(chain[0], root), X509TrustManagerExtensions(tm).checkServerTrusted(chain, "RSA", "localhost"))
    }

    @Test
    fun theRightPinConnects() {
        val reports = reports()
        val tm = qorganTrustManager("nsc_localhost_pins", reports)
        handshake("local-root", tm)
        assertEquals(listOf(chain[0], root), X509TrustManagerExtensions(tm).checkServerTrusted(chain, "RSA", "localhost"))
        assertTrue("reports: $reports", reports.none { it.verdict.verdict == VerdictKind.PIN_VIOLATION })
    }

    @Test
    fun androidCaStoreIsNotInRobolectric() {
        // What keeps QorganAndroid.trustManager(context), trustedCertificates() and
        // auditTrustStore(context) from running here: if Robolectric ever provides the store,
        // this test fails and those can be tested directly.
        assertThrows(KeyStoreException::class.java) { KeyStore.getInstance(QorganAndroid.ANDROID_CA_STORE) }
    }
}
