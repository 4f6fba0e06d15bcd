package kz.qorgan

import java.security.KeyStore
import java.security.cert.X509Certificate
import java.util.logging.Level
import java.util.logging.Logger
import javax.net.ssl.X509TrustManager
import kz.qorgan.ffi.AnchorClass
import kz.qorgan.ffi.CertificateClass
import kz.qorgan.ffi.FindingCode
import kz.qorgan.ffi.PlatformView
import kz.qorgan.ffi.Qorgan
import kz.qorgan.ffi.QorganConfig
import kz.qorgan.ffi.QorganException
import kz.qorgan.ffi.Report
import kz.qorgan.ffi.ReportSink
import kz.qorgan.ffi.Severity
import kz.qorgan.ffi.TrustedCertificate
import kz.qorgan.ffi.Verdict
import kz.qorgan.ffi.VerdictKind
import kz.qorgan.ffi.findingCodeName
import kz.qorgan.ffi.verdictIsAcceptable
import kz.qorgan.ffi.verdictKindName

/**
 * Receives Qorgan's reports: one per connection that was refused, let through in report-only
 * mode, let through an allowed anchor, or refused by the platform; identical reports are
 * delivered once per deduplication window. [Report.json] is RFC 7469 / TrustKit shaped, ready to
 * upload.
 *
 * Called on whatever thread reports are built on (by default the TLS handshake thread): hand the
 * work off rather than doing network I/O here. Throwing is allowed; it is logged and never
 * changes a handshake's outcome.
 */
fun interface QorganReportListener {
    /** One report. */
    fun onReport(report: Report)
}

/** Adapts a [QorganReportListener] to the engine's [ReportSink] (for [Qorgan.setReportSink]). */
fun QorganReportListener.asReportSink(): ReportSink {
    val listener = this
    return object : ReportSink {
        override fun onReport(report: Report) = listener.onReport(report)
    }
}

/** Where Qorgan logs its own problems (never findings: those are reports). */
fun interface QorganLogger {
    /** Something went wrong inside Qorgan or a listener; [error] is the cause, if any. */
    fun warn(message: String, error: Throwable?)

    companion object {
        /** Logs to the `java.util.logging` logger "kz.qorgan" at WARNING. */
        @JvmField
        val JAVA_UTIL_LOGGING: QorganLogger = QorganLogger { message, error ->
            Logger.getLogger("kz.qorgan").log(Level.WARNING, message, error)
        }

        /** Drops everything. */
        @JvmField
        val NONE: QorganLogger = QorganLogger { _, _ -> }
    }
}

/**
 * The certificates of [keyStore] as the engine's [TrustedCertificate]s. [userAdded] decides which
 * ones the platform says a user installed; the default reads Android's `AndroidCAStore` aliases
 * (`user:<hash>.<n>` for user-installed, `system:<hash>.<n>` for preinstalled).
 */
fun trustedCertificates(
    keyStore: KeyStore,
    userAdded: (alias: String, certificate: X509Certificate) -> Boolean = { alias, _ -> isUserAlias(alias) },
): List<TrustedCertificate> = x509Entries(keyStore).map { (alias, cert) ->
    TrustedCertificate(cert.encoded, userAdded(alias, cert))
}

/** True for AndroidCAStore's user-installed aliases (`user:...`). */
fun isUserAlias(alias: String): Boolean = alias.startsWith(TrustStoreAudit.USER_ALIAS_PREFIX)

/**
 * An engine that knows the certificates of [keyStore] (for example `AndroidCAStore`), with
 * user-installed ones marked as such.
 *
 * @param allowedAnchorPins non-public anchors the app owner accepts, `sha256/...`.
 * @param reportDedupSeconds how long an identical report is not delivered again.
 * @param language the language of Qorgan's sentences (findings, advice), a BCP 47 tag such as
 *   `kk`, `ru` or `en`; the device's locale unless the app chooses. Codes never change.
 * @param bundleKeys public keys signed knowledge bundles are accepted from (base64), see
 *   [QorganTrustManager.Builder.bundleKeys]; [bundleMinVersion] as
 *   [QorganTrustManager.Builder.bundleMinVersion].
 * @throws kz.qorgan.ffi.QorganException.InvalidConfig naming a certificate or pin the engine rejects.
 */
@Throws(QorganException::class)
fun Qorgan.Companion.fromKeyStore(
    keyStore: KeyStore,
    allowedAnchorPins: List<String> = emptyList(),
    platform: PlatformView = PlatformView.ANY,
    reportDedupSeconds: Long = QorganTrustManager.DEFAULT_DEDUP_SECONDS,
    language: String? = deviceLanguage(),
    bundleKeys: List<String> = emptyList(),
    bundleMinVersion: Long = 0,
): Qorgan = Qorgan(
    QorganConfig(
        trustedCertificates = trustedCertificates(keyStore),
        allowedAnchorPins = allowedAnchorPins.map(QorganTrustManager::normalizePin),
        platform = platform,
        reportDedupSeconds = reportDedupSeconds.toULong(),
        language = language,
        bundleKeys = bundleKeys,
        bundleMinVersion = bundleMinVersion.toULong(),
    ),
)

/** An engine that knows [trustManager]'s accepted issuers (none marked user-added); parameters as [fromKeyStore]. */
@Throws(QorganException::class)
fun Qorgan.Companion.fromTrustManager(
    trustManager: X509TrustManager,
    allowedAnchorPins: List<String> = emptyList(),
    platform: PlatformView = PlatformView.ANY,
    reportDedupSeconds: Long = QorganTrustManager.DEFAULT_DEDUP_SECONDS,
    language: String? = deviceLanguage(),
    bundleKeys: List<String> = emptyList(),
    bundleMinVersion: Long = 0,
): Qorgan = Qorgan(
    QorganConfig(
        trustedCertificates = trustManager.acceptedIssuers.map { TrustedCertificate(it.encoded, false) },
        allowedAnchorPins = allowedAnchorPins.map(QorganTrustManager::normalizePin),
        platform = platform,
        reportDedupSeconds = reportDedupSeconds.toULong(),
        language = language,
        bundleKeys = bundleKeys,
        bundleMinVersion = bundleMinVersion.toULong(),
    ),
)

/**
 * The device's language as a BCP 47 tag (`kk-KZ`, `ru-RU`): what Qorgan speaks unless the app
 * chooses. Qorgan speaks Kazakh, Russian and English; any other language gets English.
 */
fun deviceLanguage(): String = java.util.Locale.getDefault().toLanguageTag()

/** Whether enforce mode lets this verdict through ([verdictIsAcceptable]). */
val Verdict.isAcceptable: Boolean get() = verdictIsAcceptable(this)

/** The snake_case name used in JSON, reports and on the command line (`intercepted_known`). */
val VerdictKind.wireName: String
    get() = engineName { verdictKindName(this) }

/** The snake_case code used in JSON and reports (`non_public_anchor`, `rsa_exponent_3`). */
val FindingCode.wireName: String
    get() = engineName { findingCodeName(this) }

/** The engine's name for an enum value; the Kotlin name in snake case if the engine cannot say. */
private inline fun <E : Enum<E>> E.engineName(engine: () -> String): String =
    try {
        engine().ifEmpty { name.lowercase() }
    } catch (e: Exception) {
        name.lowercase()
    } catch (e: LinkageError) {
        name.lowercase()
    }

/** `info`, `warning` or `critical`. */
val Severity.wireName: String get() = name.lowercase()

/** `known_interception`, `public_root`, `non_public_root` or `distrusted`. */
val AnchorClass.wireName: String get() = name.lowercase()

/** `known_interception`, `non_public_root`, `public_root` or `not_a_ca`. */
val CertificateClass.wireName: String get() = name.lowercase()

internal fun x509Entries(keyStore: KeyStore): List<Pair<String, X509Certificate>> =
    keyStore.aliases().toList().sorted().mapNotNull { alias ->
        (keyStore.getCertificate(alias) as? X509Certificate)?.let { alias to it }
    }

/**
 * A connection to [uri] with its own TLS settings ([socketFactory], [hostnameVerifier] when
 * given), never the app-wide `HttpsURLConnection` defaults (which may be a Qorgan trust
 * manager's): what the report uploader and the bundle updater send through. No redirects, no
 * cache.
 */
internal fun openOwnConnection(
    uri: java.net.URI,
    socketFactory: javax.net.ssl.SSLSocketFactory,
    hostnameVerifier: javax.net.ssl.HostnameVerifier?,
    connectTimeoutMillis: Int,
    readTimeoutMillis: Int,
): java.net.HttpURLConnection {
    val c = uri.toURL().openConnection() as java.net.HttpURLConnection
    if (c is javax.net.ssl.HttpsURLConnection) {
        c.sslSocketFactory = socketFactory
        hostnameVerifier?.let { c.hostnameVerifier = it }
    }
    c.connectTimeout = connectTimeoutMillis
    c.readTimeout = readTimeoutMillis
    c.instanceFollowRedirects = false
    c.useCaches = false
    return c
}
