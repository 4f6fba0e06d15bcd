package kz.qorgan

import java.security.cert.CertPathBuilder
import java.security.cert.CertStore
import java.security.cert.CertificateException
import java.security.cert.CollectionCertStoreParameters
import java.security.cert.PKIXBuilderParameters
import java.security.cert.PKIXCertPathBuilderResult
import java.security.cert.TrustAnchor
import java.security.cert.X509CertSelector
import java.security.cert.X509Certificate
import javax.net.ssl.X509TrustManager

/**
 * Obtains the chain the platform validated: leaf first, then the intermediates on the path, then
 * the trust anchor.
 *
 * Why not the chain the server sent? A server's chain may be incomplete (the anchor is usually
 * not sent), out of order, or padded with unrelated certificates; an attacker can add a public
 * root to it to look respectable. Which anchor the device actually relied on is known only after
 * path building, so Qorgan judges the validated path, as OkHttp's `CertificatePinner` checks pins
 * against the cleaned chain.
 *
 * Called by [QorganTrustManager] after the platform accepted the chain.
 *
 * - JVM: [PkixValidatedChainBuilder] rebuilds the path with `CertPathBuilder`.
 * - Android: `kz.qorgan.android.AndroidValidatedChainBuilder` asks the platform through
 *   `X509TrustManagerExtensions.checkServerTrusted`, which returns the chain it validated.
 */
fun interface ValidatedChainBuilder {
    /**
     * @param chain the chain the server sent, leaf first.
     * @param authType the key exchange algorithm, as passed to `checkServerTrusted`.
     * @param host the host name connected to, when known.
     * @return the validated chain, leaf first, anchor last.
     * @throws CertificateException when no path to a trusted anchor exists.
     */
    @Throws(CertificateException::class)
    fun validatedChain(chain: Array<out X509Certificate>, authType: String, host: String?): List<X509Certificate>
}

/**
 * Rebuilds the validated path on a JVM with the PKIX `CertPathBuilder`: the trust manager's
 * accepted issuers are the anchors, the sent chain supplies the intermediates, revocation is not
 * checked (the platform already decided validity; this only finds the path).
 *
 * The anchors are read once, on first use; build a new instance after changing the trust store.
 * When the platform trusts several paths (cross-signed roots), PKIX may pick a different one than
 * the TLS stack did; both end at an anchor the device trusts, so both are what Qorgan must judge.
 */
class PkixValidatedChainBuilder(private val trustManager: X509TrustManager) : ValidatedChainBuilder {
    private val anchors: Set<TrustAnchor> by lazy {
        trustManager.acceptedIssuers.map { TrustAnchor(it, null) }.toSet()
    }

    override fun validatedChain(chain: Array<out X509Certificate>, authType: String, host: String?): List<X509Certificate> {
        if (chain.isEmpty()) throw CertificateException("empty certificate chain")
        val leaf = chain[0]
        // A server certificate that is itself trusted (a self-signed certificate the app trusts).
        if (anchors.any { it.trustedCert == leaf }) return listOf(leaf)
        if (anchors.isEmpty()) throw CertificateException("the trust manager accepts no issuers; no path can be built")
        val params = PKIXBuilderParameters(anchors, X509CertSelector().apply { certificate = leaf }).apply {
            isRevocationEnabled = false
            addCertStore(CertStore.getInstance("Collection", CollectionCertStoreParameters(chain.toList())))
        }
        val result = try {
            CertPathBuilder.getInstance("PKIX").build(params) as PKIXCertPathBuilderResult
        } catch (e: java.security.GeneralSecurityException) {
            throw CertificateException("no validated path for ${leaf.subjectX500Principal.name}: ${e.message}", e)
        }
        val anchor = result.trustAnchor.trustedCert
            ?: throw CertificateException("the validated path ends at an anchor without a certificate")
        return result.certPath.certificates.map { it as X509Certificate } + anchor
    }
}
