package kz.qorgan

import java.io.File
import java.io.IOException
import java.net.HttpURLConnection
import java.net.URI
import java.util.concurrent.ScheduledExecutorService
import java.util.concurrent.ScheduledFuture
import java.util.concurrent.TimeUnit
import javax.net.ssl.HostnameVerifier
import javax.net.ssl.SSLContext
import javax.net.ssl.X509TrustManager
import kz.qorgan.ffi.BundleInfo
import kz.qorgan.ffi.Qorgan
import kz.qorgan.ffi.QorganBundleException

/**
 * Fetches the app's signed knowledge bundle (interception CAs, distrusted keys and pins published
 * after the app was built; `qorgan bundle sign`) from an HTTPS URL the app chooses, gives it to
 * the engine, and keeps the last one the engine accepted in [directory] so that the next start
 * applies it before any fetch. The engine decides everything (signature, expiry, version); this
 * class moves bytes and reports what the engine said.
 *
 * ```kotlin
 * val dir = File(context.filesDir, "qorgan-bundle")
 * val trustManager = QorganTrustManager.Builder()
 *     .bundleKeys("<base64 public key from qorgan bundle keygen>")
 *     .bundleMinVersion(QorganBundleUpdater.storedVersion(dir)) // no rollback across restarts
 *     .build()
 * val updater = QorganBundleUpdater.Builder("https://example.org/qorgan.bundle", dir, trustManager::applyBundle).build()
 * updater.applyStored()                       // at start, before the first connection
 * updater.scheduleDaily(executor)             // or fetchNow() from a daily WorkManager worker
 * ```
 *
 * - **The fetch never goes through Qorgan**: its `HttpsURLConnection` uses the platform's default
 *   trust manager (or [Builder.trustManager]) in an `SSLContext` of its own, so neither Qorgan's
 *   pins (which a bundle may change) nor an app-wide `HttpsURLConnection.setDefaultSSLSocketFactory`
 *   can lock the app out of the bundle that would fix them. The signature, not the transport,
 *   is what makes a bundle trustworthy.
 * - **Conditional requests**: the stored bundle's `ETag` and `Last-Modified` are sent as
 *   `If-None-Match` and `If-Modified-Since`; a 304 costs no download.
 * - **Stored only when accepted**: the bytes, ETag, Last-Modified and version of the bundle the
 *   engine accepted are written to [directory] (each file replaced atomically); a refused bundle
 *   leaves them as they were. Pass [storedVersion] as the engine's minimum version at the next
 *   start, so that an older bundle is refused even after a restart.
 * - **Scheduling is the app's**: [scheduleDaily] on an executor it owns, or call [fetchNow] from a
 *   periodic job (on Android: a daily `PeriodicWorkRequest` whose worker calls `fetchNow()`).
 *
 * Thread-safe; [fetchNow] and [applyStored] block (network, disk): call them off the main thread.
 */
class QorganBundleUpdater private constructor(
    /** Where the bundle is fetched from (`https://` only). */
    val url: URI,
    /** Where the last accepted bundle is kept (created when missing). */
    val directory: File,
    private val apply: (ByteArray) -> BundleInfo,
    private val socketFactory: javax.net.ssl.SSLSocketFactory,
    private val hostnameVerifier: HostnameVerifier?,
    private val timeoutMillis: Int,
    private val logger: QorganLogger,
) {
    /** What one [fetchNow] (or [applyStored]) did. */
    sealed class Outcome {
        /** The engine accepted the bundle; it is in use and stored. */
        data class Updated(val info: BundleInfo) : Outcome()

        /** The server said 304 Not Modified: the bundle in use stays. */
        object NotModified : Outcome() {
            override fun toString() = "NotModified"
        }

        /** The engine refused the bundle ([error] says which check failed); nothing changed. */
        data class Refused(val error: QorganBundleException) : Outcome()

        /**
         * The bundle could not be fetched: a connection or TLS failure, or an HTTP status other
         * than 200 and 304 ([statusCode], else 0). Nothing changed.
         */
        data class NetworkError(val error: IOException, val statusCode: Int = 0) : Outcome()
    }

    private val lock = Any()

    /**
     * Applies the stored bundle, if there is one: call it at start, before the first connection.
     * Returns null when nothing is stored, [Outcome.Updated] when the engine accepted it, or
     * [Outcome.Refused] (for example expired since; it stays stored until a newer one arrives, so
     * that its version still guards against a rollback).
     */
    fun applyStored(): Outcome? = synchronized(lock) {
        val bytes = file(BUNDLE).takeIf { it.isFile }?.readBytes() ?: return null
        try {
            Outcome.Updated(apply(bytes))
        } catch (e: QorganBundleException) {
            logger.warn("Qorgan: the stored bundle in $directory was refused: ${e.message}", e)
            Outcome.Refused(e)
        }
    }

    /** Fetches the bundle now (conditionally) and applies it when the server sends a new one. */
    fun fetchNow(): Outcome = synchronized(lock) {
        val bytes: ByteArray
        val etag: String?
        val lastModified: String?
        try {
            val c = openOwnConnection(url, socketFactory, hostnameVerifier, timeoutMillis, timeoutMillis)
            // Bundles are often served through a redirect (release assets, CDNs). Following it is
            // safe: the signature is what is trusted, and HttpURLConnection never follows
            // https to http. (URLSession follows them too, so both platforms fetch the same URL.)
            c.instanceFollowRedirects = true
            try {
                if (file(BUNDLE).isFile) {
                    read(ETAG)?.let { c.setRequestProperty("If-None-Match", it) }
                    read(LAST_MODIFIED)?.let { c.setRequestProperty("If-Modified-Since", it) }
                }
                when (val status = c.responseCode) {
                    HttpURLConnection.HTTP_NOT_MODIFIED -> return Outcome.NotModified
                    HttpURLConnection.HTTP_OK -> Unit
                    else -> return Outcome.NetworkError(IOException("HTTP $status from $url"), status)
                }
                bytes = c.inputStream.use { readAtMost(it) }
                etag = c.getHeaderField("ETag")
                lastModified = c.getHeaderField("Last-Modified")
            } finally {
                c.disconnect()
            }
        } catch (e: IOException) {
            logger.warn("Qorgan: could not fetch the bundle from $url", e)
            return Outcome.NetworkError(e)
        }
        // A server without ETag or Last-Modified sends the bundle in use again: nothing new, not
        // a refusal (the engine would refuse a version not newer than the one in use).
        if (file(BUNDLE).isFile && file(BUNDLE).readBytes().contentEquals(bytes)) {
            try {
                write(ETAG, (etag ?: "").toByteArray())
                write(LAST_MODIFIED, (lastModified ?: "").toByteArray())
            } catch (e: IOException) {
                logger.warn("Qorgan: could not store the bundle's ETag in $directory", e)
            }
            return Outcome.NotModified
        }
        val info = try {
            apply(bytes)
        } catch (e: QorganBundleException) {
            logger.warn("Qorgan: the bundle from $url was refused: ${e.message}", e)
            return Outcome.Refused(e)
        }
        try {
            store(bytes, info, etag, lastModified)
        } catch (e: IOException) {
            // In use now; only the next start will not have it.
            logger.warn("Qorgan: could not store the accepted bundle in $directory", e)
        }
        Outcome.Updated(info)
    }

    /**
     * Runs [fetchNow] on [executor] now and then every [period] (default one day), handing each
     * outcome to [onOutcome]. Cancel the returned future to stop. The executor is the app's.
     */
    @JvmOverloads
    fun scheduleDaily(
        executor: ScheduledExecutorService,
        period: Long = 1,
        unit: TimeUnit = TimeUnit.DAYS,
        onOutcome: (Outcome) -> Unit = {},
    ): ScheduledFuture<*> = executor.scheduleAtFixedRate({
        try {
            onOutcome(fetchNow())
        } catch (e: Exception) {
            // Never let one failure cancel the schedule.
            logger.warn("Qorgan: bundle update failed", e)
        }
    }, 0, period, unit)

    private fun file(name: String) = File(directory, name)

    private fun read(name: String): String? = file(name).takeIf { it.isFile }?.readText()?.trim()?.takeIf { it.isNotEmpty() }

    private fun store(bytes: ByteArray, info: BundleInfo, etag: String?, lastModified: String?) {
        if (!directory.isDirectory && !directory.mkdirs()) throw IOException("cannot create $directory")
        // The bundle before its version: a crash in between then leaves an older minimum (still
        // met by the stored bundle), never a minimum the stored bundle is refused under.
        write(BUNDLE, bytes)
        write(ETAG, (etag ?: "").toByteArray())
        write(LAST_MODIFIED, (lastModified ?: "").toByteArray())
        write(VERSION, info.version.toString().toByteArray())
    }

    private fun write(name: String, bytes: ByteArray) {
        val tmp = File(directory, "$name.tmp")
        tmp.writeBytes(bytes)
        if (!tmp.renameTo(file(name))) {
            tmp.delete()
            throw IOException("cannot replace ${file(name)}")
        }
    }

    private fun readAtMost(input: java.io.InputStream): ByteArray {
        // A transport limit only (the engine has its own, smaller one): never read an endless body.
        val out = java.io.ByteArrayOutputStream()
        val buffer = ByteArray(16 * 1024)
        while (true) {
            val n = input.read(buffer)
            if (n < 0) return out.toByteArray()
            out.write(buffer, 0, n)
            if (out.size() > MAX_DOWNLOAD_BYTES) throw IOException("the bundle at $url is over $MAX_DOWNLOAD_BYTES bytes")
        }
    }

    /**
     * Builds a [QorganBundleUpdater] for [url] (`https://`), storing in [directory] and applying
     * with [apply]: `trustManager::applyBundle`, which also forgets the trust manager's remembered
     * verdicts and TLS sessions. Give `qorgan::applyBundle` only for an engine no trust manager
     * uses: applied behind a trust manager's back, a bundle would leave its remembered verdicts
     * in place.
     */
    class Builder(private val url: String, private val directory: File, private val apply: (ByteArray) -> BundleInfo) {

        private var trustManager: X509TrustManager? = null
        private var hostnameVerifier: HostnameVerifier? = null
        private var timeoutMillis = 30_000
        private var logger: QorganLogger = QorganLogger.JAVA_UTIL_LOGGING

        /**
         * The trust manager of the fetch. Default: the platform's default
         * ([QorganTrustManager.platformTrustManager] with the default store). Never a Qorgan one.
         */
        fun trustManager(trustManager: X509TrustManager) = apply { this.trustManager = trustManager }

        /** The host name verifier of the fetch. Default: `HttpsURLConnection`'s. */
        fun hostnameVerifier(verifier: HostnameVerifier) = apply { this.hostnameVerifier = verifier }

        /** Connect and read timeout of the fetch (default 30 seconds). */
        fun timeout(amount: Long, unit: TimeUnit) = apply {
            require(amount > 0) { "timeout must be positive: $amount $unit" }
            this.timeoutMillis = unit.toMillis(amount).coerceAtMost(Int.MAX_VALUE.toLong()).toInt()
        }

        /** Where fetch failures and refusals are logged. Default: `java.util.logging` "kz.qorgan". */
        fun logger(logger: QorganLogger) = apply { this.logger = logger }

        /** @throws IllegalArgumentException when the URL is not an absolute `https://` URL. */
        fun build(): QorganBundleUpdater {
            val uri = try {
                URI(url)
            } catch (e: java.net.URISyntaxException) {
                throw IllegalArgumentException("bundle URL $url is not a URL: ${e.message}", e)
            }
            require(uri.scheme.equals("https", ignoreCase = true) && !uri.host.isNullOrEmpty()) {
                "bundle URL $url must be an absolute https:// URL (the bundle is signed, but a plain-HTTP fetch tells every observer what the app knows)"
            }
            val tm = trustManager ?: QorganTrustManager.platformTrustManager(null)
            val context = SSLContext.getInstance("TLS").apply { init(null, arrayOf(tm), null) }
            return QorganBundleUpdater(uri, directory, apply, context.socketFactory, hostnameVerifier, timeoutMillis, logger)
        }
    }

    companion object {
        private const val BUNDLE = "bundle.qbundle"
        private const val ETAG = "bundle.etag"
        private const val LAST_MODIFIED = "bundle.last-modified"
        private const val VERSION = "bundle.version"

        /** The most bytes one fetch reads (the engine refuses bundles over about 1 MiB anyway). */
        const val MAX_DOWNLOAD_BYTES = 4 * 1024 * 1024

        /**
         * The version of the last bundle accepted and stored in [directory], 0 when none: pass it
         * to `QorganTrustManager.Builder.bundleMinVersion` (or `QorganConfig.bundleMinVersion`)
         * so that after a restart an older bundle is refused.
         */
        @JvmStatic
        fun storedVersion(directory: File): Long =
            File(directory, VERSION).takeIf { it.isFile }?.readText()?.trim()?.toLongOrNull() ?: 0
    }
}
