package kz.qorgan

import java.security.KeyStore
import java.security.cert.X509Certificate
import kz.qorgan.ffi.AuditEntry
import kz.qorgan.ffi.AuditReport
import kz.qorgan.ffi.AuditSummary
import kz.qorgan.ffi.CertificateClass
import kz.qorgan.ffi.Finding
import kz.qorgan.ffi.Qorgan
import kz.qorgan.ffi.Severity
import kz.qorgan.ffi.StoreVersion
import kz.qorgan.ffi.TrustedCertificate

/**
 * Audits a device's trust store: which roots are installed, and which of them let someone read
 * the device's HTTPS traffic.
 *
 * A root in the trust store is a standing permission to impersonate any site. Connection checks
 * ([QorganTrustManager]) only notice an interception root when it is used; an audit notices it
 * as soon as it is installed — the Kazakh "Qaznet Trust Network" root of 2019 was installed by
 * users who were told they would otherwise lose access to the internet. Roots are matched by
 * key, not by name: one Kazakh name was reused by nine different roots, and an impostor can copy
 * any name.
 *
 * On Android pass `KeyStore.getInstance("AndroidCAStore")` (after `load(null)`): its aliases say
 * who installed each root (`user:<hash>.<n>` for the user or a device-policy app,
 * `system:<hash>.<n>` for the preinstalled ones; disabled system roots are absent). Any other
 * `KeyStore` works; entries without a certificate are skipped.
 *
 * ```kotlin
 * val audit = TrustStoreAudit(qorgan).audit(keyStore)
 * for (entry in audit.interception) showWarning(entry.label ?: entry.subject, entry.alias)
 * ```
 */
class TrustStoreAudit(private val qorgan: Qorgan) {

    /**
     * Audits every X.509 certificate entry of [keyStore]. An entry is user-added when [userAdded]
     * says so; the default reads the AndroidCAStore alias prefix.
     *
     * @throws kz.qorgan.ffi.QorganException when the engine cannot decide (a certificate it
     *   cannot parse at all is reported as `InvalidInput`, naming its position).
     */
    @Throws(kz.qorgan.ffi.QorganException::class)
    fun audit(
        keyStore: KeyStore,
        userAdded: (alias: String, certificate: X509Certificate) -> Boolean = { alias, _ -> isUserAlias(alias) },
    ): Result {
        val entries = x509Entries(keyStore)
        return audit(entries, entries.map { (alias, cert) -> userAdded(alias, cert) })
    }

    /** Audits [entries] (alias and certificate) with their user-added [flags]. */
    internal fun audit(entries: List<Pair<String, X509Certificate>>, flags: List<Boolean>): Result {
        val report = qorgan.audit(entries.mapIndexed { i, (_, cert) -> TrustedCertificate(cert.encoded, flags[i]) })
        val audited = report.certificates.map { e ->
            // AuditEntry.index is the 1-based position in the input.
            val (alias, cert) = entries[e.index.toInt() - 1]
            Entry(
                alias = alias,
                certificate = cert,
                userAdded = e.userAdded,
                certificateClass = e.`class`,
                label = e.label,
                subject = e.subject,
                pin = "sha256/" + e.spkiSha256B64,
                findings = e.findings,
                details = e,
            )
        }
        return Result(audited, report.summary, report.storeVersions, report)
    }

    /** One audited certificate. */
    data class Entry(
        /** Its alias in the key store (`user:...`/`system:...` in AndroidCAStore). */
        val alias: String,
        /** The certificate. */
        val certificate: X509Certificate,
        /** The platform says a user (or an app with device-admin rights) installed it. */
        val userAdded: Boolean,
        /** What it is: a known interception CA, a non-public root, a public root, or not a CA. */
        val certificateClass: CertificateClass,
        /**
         * Qorgan's name for it, when Qorgan knows it: a known CA's label (for example
         * `Kazakhstan 2019 "Qaznet Trust Network" root`) or the root program's name.
         */
        val label: String?,
        /** The certificate's subject. */
        val subject: String,
        /** Its SPKI pin, `sha256/...`. */
        val pin: String,
        /** What Qorgan noticed, most severe first. */
        val findings: List<Finding>,
        /** Everything the engine said about it (facts, programs, known-CA entry). */
        val details: AuditEntry,
    ) {
        /** The most severe finding's severity, or null when there is none. */
        val severity: Severity? get() = findings.firstOrNull()?.severity

        /** A known interception CA: whoever holds it can read this device's HTTPS traffic. */
        val isInterception: Boolean get() = certificateClass == CertificateClass.KNOWN_INTERCEPTION
    }

    /** The audit of one trust store. */
    data class Result(
        /** Every certificate, most severe first, then in alias order. */
        val entries: List<Entry>,
        /** Counts, the overall severity and the findings that matter. */
        val summary: AuditSummary,
        /** The root-program versions this build of Qorgan compares against. */
        val storeVersions: List<StoreVersion>,
        /** The engine's report itself (what [kz.qorgan.ffi.summarizeCheck] takes). */
        val report: AuditReport,
    ) {
        /** Known interception CAs in the store. */
        val interception: List<Entry> get() = entries.filter { it.isInterception }

        /** Certificates the platform says a user installed. */
        val userAdded: List<Entry> get() = entries.filter { it.userAdded }

        /** The entry for [alias], if it was audited. */
        operator fun get(alias: String): Entry? = entries.firstOrNull { it.alias == alias }
    }

    companion object {
        /** AndroidCAStore's prefix for user-installed certificates. */
        const val USER_ALIAS_PREFIX = "user:"

        /** AndroidCAStore's prefix for preinstalled certificates. */
        const val SYSTEM_ALIAS_PREFIX = "system:"
    }
}
