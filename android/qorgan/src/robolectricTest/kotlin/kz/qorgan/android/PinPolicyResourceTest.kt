package kz.qorgan.android

import android.content.res.Resources
import java.io.File
import kz.qorgan.QorganTrustManager
import kz.qorgan.ffi.QorganException
import org.json.JSONObject
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertThrows
import org.junit.Assert.assertTrue
import org.junit.Test
import org.junit.runner.RunWith
import org.robolectric.RobolectricTestRunner

/**
 * `QorganAndroid.pinPolicy(context, R.xml...)` over Network Security Config files compiled by
 * aapt2 into the test app's resources (binary XML, references compiled to ids), as in an APK.
 */
@RunWith(RobolectricTestRunner::class)
class PinPolicyResourceTest {
    private val appPolicy = "rust-core/engine/tests/data/policies/app/res/xml/network_security_config.xml"
    private val appPolicyResource get() = nscFiles.first { it.second == appPolicy }.first
    private val goodRootPin get() = QorganTrustManager.pin(
        File(repo, "rust-core/engine/tests/data/policies/app/res/raw/good_root.der").inputStream().use {
            java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(it) as java.security.cert.X509Certificate
        },
    )

    @Test
    fun theCompiledDocumentIsWrittenBackAsText() {
        val text = QorganAndroid.networkSecurityConfig(context, xml(appPolicyResource))
        // Elements, attributes and pins as written (aapt2 sorts the attributes); the compiled @raw
        // reference back to its name.
        for (part in listOf("<network-security-config>", "<domain includeSubdomains=\"true\">good.com</domain>",
            "<pin-set expiration=\"2099-01-01\">", "<pin digest=\"SHA-256\">S5z3Fz5ZfZAGJOBZjK6TYBquyLLKO+BndKXBlL3nPjo=</pin>",
            "<certificates src=\"@raw/good_root\">", "<certificates overridePins=\"true\" src=\"user\">")) {
            assertTrue("$part in\n$text", text.contains(part))
        }
        assertFalse("comments are not in binary XML", text.contains("<!--"))
    }

    @Test
    fun theAppPolicyIsReadWithItsRawAnchor() {
        val policy = QorganAndroid.pinPolicy(context, xml(appPolicyResource))
        // @raw/good_root was read from the resources: the policy became the engine's JSON.
        assertFalse(policy.isNetworkSecurityConfig)
        val json = JSONObject(policy.text)
        assertEquals(goodRootPin, json.getJSONArray("allowed-anchors").getString(0))
        val domains = (0 until json.getJSONArray("domains").length()).map { json.getJSONArray("domains").getJSONObject(it) }
        val good = domains.single { it.getString("domain") == "good.com" }
        assertTrue(good.getBoolean("include-subdomains"))
        assertEquals("2099-01-01", good.getString("expiration"))
        assertEquals(listOf("sha256/S5z3Fz5ZfZAGJOBZjK6TYBquyLLKO+BndKXBlL3nPjo=", "sha256/TwyNzy19zZi7cKfPsucs1E+h8ODOCPMrT8681sFWJvw="),
            good.getJSONArray("pins").let { a -> (0 until a.length()).map { a.getString(it) } })
        val api = domains.single { it.getString("domain") == "api.good.com" }
        assertEquals("nested: inherits the pins", good.getJSONArray("pins").toString(), api.getJSONArray("pins").toString())
        assertFalse("excluded: no pins", domains.single { it.getString("domain") == "unsecured.good.com" }.has("pins"))
        assertEquals("{\"override-pins\":true,\"anchors\":[\"user\"]}", json.getJSONObject("debug-overrides").toString())
        assertTrue("no warning about an unreadable @raw: ${policy.warnings}", policy.warnings.none { it.contains("@raw/good_root") })
    }

    @Test
    fun aPolicyWithoutRawAnchorsStaysTheDocument() {
        val policy = QorganAndroid.pinPolicy(context, xml("nsc_nested_domain_config"))
        assertTrue(policy.isNetworkSecurityConfig)
        assertTrue(policy.text, policy.text.contains("<domain includeSubdomains=\"true\">v2.api.example.com</domain>"))
        assertTrue("user anchors are warned about: ${policy.warnings}", policy.warnings.any { it.contains("src=\"user\"") })
    }

    @Test
    fun aRefusedDocumentIsAnInvalidConfigWithItsReason() {
        val e = assertThrows(QorganException.InvalidConfig::class.java) { QorganAndroid.pinPolicy(context, xml("nsc_sha1_digest")) }
        assertTrue("${e.message}", e.message.contains("SHA-1"))
    }

    @Test
    fun anIdThatIsNoXmlResourceIsNotFound() {
        assertThrows(Resources.NotFoundException::class.java) { QorganAndroid.pinPolicy(context, 0x7f7f0000) }
    }
}
