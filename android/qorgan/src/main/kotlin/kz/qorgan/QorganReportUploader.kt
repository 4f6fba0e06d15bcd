package kz.qorgan

import java.net.HttpURLConnection
import java.net.InetAddress
import java.net.URI
import java.util.concurrent.Executor
import java.util.concurrent.LinkedBlockingQueue
import java.util.concurrent.RejectedExecutionException
import java.util.concurrent.ThreadPoolExecutor
import java.util.concurrent.TimeUnit
import java.util.concurrent.locks.ReentrantLock
import kotlin.concurrent.withLock
import javax.net.ssl.HostnameVerifier
import javax.net.ssl.SSLContext
import javax.net.ssl.SSLSocketFactory
import javax.net.ssl.X509TrustManager
import kz.qorgan.ffi.Report

/**
 * Posts Qorgan's reports ([Report.json], RFC 7469 / TrustKit-shaped) to the report URIs of the
 * pin rule that applied ([Report.reportUris], from [QorganPinPolicy.Builder.reportUri] or a JSON
 * policy's `report-uris`), and to the app's own [Builder.fallbackUri]s for reports that name none
 * (interception of a host that is not pinned). **There is no default endpoint**: without URIs,
 * nothing is sent anywhere.
 *
 * ```kotlin
 * val uploader = QorganReportUploader.Builder()
 *     .fallbackUri("https://api.example.com/qorgan-reports")
 *     .build()
 * val trustManager = QorganTrustManager.Builder()
 *     .pinPolicy(policy)
 *     .reportListener(uploader)                 // it is a QorganReportListener
 *     .build()
 * ```
 *
 * - [upload] returns at once: requests are sent from a background executor (one daemon thread by
 *   default), so it is safe to call on a TLS handshake thread. It never throws.
 * - Each URI gets one `POST` with `Content-Type: application/json; charset=utf-8` and bounded
 *   connect and read timeouts; a 2xx answer is a success. There is no retry: the engine already
 *   deduplicates reports (an identical one is not delivered again within
 *   [QorganTrustManager.Builder.reportDedup]), so a failed upload is seen in [Builder.onOutcome].
 * - At most [maxPending] uploads wait or run; beyond that, reports are dropped (and said so).
 * - **Pinning is not applied to the upload itself**: its `HttpsURLConnection` uses the platform's
 *   default trust manager (`TrustManagerFactory` with the default store: on Android the app's
 *   Network Security Config), set explicitly, so neither a pin failure nor an app-wide
 *   `HttpsURLConnection.setDefaultSSLSocketFactory(qorgan...)` can stop the report about it
 *   (TrustKit does the same).
 * - Only `https` URIs are used, and `http` to a loopback address (for local testing): a report
 *   holds the host names and certificate chains of the person's connections.
 */
class QorganReportUploader private constructor(
    /** Used when a report names no URI. */
    val fallbackUris: List<String>,
    /** Each request's connect timeout. */
    val connectTimeoutMillis: Int,
    /** Each request's read timeout. */
    val readTimeoutMillis: Int,
    /** Uploads waiting or running, at most. */
    val maxPending: Int,
    private val socketFactory: SSLSocketFactory,
    private val hostnameVerifier: HostnameVerifier?,
    private val executor: Executor,
    private val ownExecutor: ThreadPoolExecutor?,
    private val onOutcome: ((Outcome) -> Unit)?,
    private val logger: QorganLogger,
) : QorganReportListener {

    /** What happened to one upload. */
    data class Outcome(
        /** Where it was (or would have been) sent, as written in the policy. */
        val uri: String,
        /** The report's host. */
        val hostname: String,
        /** The report's port. */
        val port: Int,
        /** The HTTP status; null when no response came. */
        val statusCode: Int?,
        /** Why it failed (no response, a refused URI, too many pending); null with a status. */
        val error: String?,
    ) {
        /** A 2xx answer came. */
        val succeeded: Boolean get() = statusCode != null && statusCode in 200..299
    }

    private val lock = ReentrantLock()
    private val idle = lock.newCondition()
    private var pending = 0 // guarded by lock

    /** Uploads [report]; the [QorganReportListener] entry point. */
    override fun onReport(report: Report) = upload(report)

    /**
     * Queues [report] for upload to each of its URIs (or the fallback ones) and returns at once.
     * Never throws.
     */
    fun upload(report: Report) {
        try {
            val uris = report.reportUris.ifEmpty { fallbackUris }
            if (uris.isEmpty()) return
            val body = report.json.toByteArray(Charsets.UTF_8)
            for (uri in uris) enqueue(uri, report, body)
        } catch (e: Exception) {
            logger.warn("QorganReportUploader could not queue a report for ${report.hostname}", e)
        }
    }

    /**
     * Waits until every queued upload has finished, or [timeout] passed; true when idle. For tests
     * and for finishing work before the process goes away; never on the main thread.
     */
    @Throws(InterruptedException::class)
    fun awaitIdle(timeout: Long, unit: TimeUnit): Boolean {
        var left = unit.toNanos(timeout)
        lock.withLock {
            while (pending > 0) {
                if (left <= 0) return false
                left = idle.awaitNanos(left)
            }
            return true
        }
    }

    /** Stops the uploader's own thread after the queued uploads (a given executor is left alone). */
    fun shutdown() {
        ownExecutor?.shutdown()
    }

    private fun enqueue(uri: String, report: Report, body: ByteArray) {
        val port = report.port.toInt()
        val refused = refusal(uri)
        if (refused != null) {
            outcome(Outcome(uri, report.hostname, port, null, refused))
            return
        }
        val full = lock.withLock {
            if (pending >= maxPending) true else false.also { pending++ }
        }
        if (full) {
            outcome(Outcome(uri, report.hostname, port, null, "dropped: $maxPending uploads already pending"))
            return
        }
        val task = Runnable {
            try {
                outcome(post(uri, report.hostname, port, body))
            } finally {
                done()
            }
        }
        try {
            executor.execute(task)
        } catch (e: RejectedExecutionException) {
            done()
            outcome(Outcome(uri, report.hostname, port, null, "dropped: the executor rejected the upload ($e)"))
        }
    }

    private fun done() {
        lock.withLock {
            pending--
            idle.signalAll()
        }
    }

    private fun post(uri: String, hostname: String, port: Int, body: ByteArray): Outcome {
        var connection: HttpURLConnection? = null
        return try {
            val c = openOwnConnection(URI(uri), socketFactory, hostnameVerifier, connectTimeoutMillis, readTimeoutMillis)
            connection = c
            c.doOutput = true
            c.requestMethod = "POST"
            c.setRequestProperty("Content-Type", "application/json; charset=utf-8")
            c.setFixedLengthStreamingMode(body.size)
            c.outputStream.use { it.write(body) }
            val status = c.responseCode
            // Drain the answer so that the connection can be reused.
            try {
                (if (status >= 400) c.errorStream else c.inputStream)?.use { s -> s.skip(MAX_RESPONSE_BYTES) }
            } catch (_: java.io.IOException) {
            }
            Outcome(uri, hostname, port, status, null)
        } catch (e: Exception) {
            Outcome(uri, hostname, port, null, "${e.javaClass.simpleName}: ${e.message}")
        } finally {
            connection?.disconnect()
        }
    }

    private fun outcome(o: Outcome) {
        if (!o.succeeded) logger.warn("Qorgan report upload to ${o.uri} for ${o.hostname}:${o.port} failed: ${o.error ?: "HTTP ${o.statusCode}"}", null)
        val listener = onOutcome ?: return
        try {
            listener(o)
        } catch (e: Exception) {
            logger.warn("QorganReportUploader's onOutcome listener threw", e)
        }
    }

    companion object {
        /** Uploads waiting or running at most, by default. */
        const val DEFAULT_MAX_PENDING = 32

        /** Connect and read timeouts by default. */
        const val DEFAULT_TIMEOUT_MILLIS = 15_000

        private const val MAX_RESPONSE_BYTES = 64L * 1024

        /** Why [uri] is not used, or null when it is. */
        internal fun refusal(uri: String): String? {
            val u = try {
                URI(uri)
            } catch (e: Exception) {
                return "refused: not a URI ($uri)"
            }
            val host = u.host ?: return "refused: no host in $uri"
            return when (u.scheme?.lowercase()) {
                "https" -> null
                "http" -> if (isLoopback(host)) null else "refused: plain http is only used for loopback addresses; use https ($uri)"
                else -> "refused: only https report URIs are used ($uri)"
            }
        }

        /** A loopback name or literal, decided without DNS. */
        private fun isLoopback(host: String): Boolean {
            val h = host.removePrefix("[").removeSuffix("]")
            if (h.equals("localhost", ignoreCase = true)) return true
            val literal = h.matches(Regex("""\d{1,3}(\.\d{1,3}){3}""")) || h.contains(':')
            return literal && try {
                InetAddress.getByName(h).isLoopbackAddress // a literal: parsed, not resolved
            } catch (e: Exception) {
                false
            }
        }
    }

    /** Builds a [QorganReportUploader]. */
    class Builder {
        private val fallbackUris = mutableListOf<String>()
        private var connectTimeoutMillis = DEFAULT_TIMEOUT_MILLIS
        private var readTimeoutMillis = DEFAULT_TIMEOUT_MILLIS
        private var maxPending = DEFAULT_MAX_PENDING
        private var trustManager: X509TrustManager? = null
        private var hostnameVerifier: HostnameVerifier? = null
        private var executor: Executor? = null
        private var onOutcome: ((Outcome) -> Unit)? = null
        private var logger: QorganLogger = QorganLogger.JAVA_UTIL_LOGGING

        /** The app's own endpoint for reports whose rule names no URI. None by default. */
        fun fallbackUri(uri: String) = apply {
            require(refusal(uri) == null) { "QorganReportUploader: ${refusal(uri)}" }
            fallbackUris += uri
        }

        /** Connect and read timeouts of each request (default 15 s each). */
        fun timeout(amount: Long, unit: TimeUnit) = apply {
            val ms = unit.toMillis(amount)
            require(ms in 1..Int.MAX_VALUE) { "QorganReportUploader timeout must be between 1 ms and ${Int.MAX_VALUE} ms: $amount $unit" }
            connectTimeoutMillis = ms.toInt()
            readTimeoutMillis = ms.toInt()
        }

        /** Uploads waiting or running at most (default 32); beyond, reports are dropped. */
        fun maxPending(n: Int) = apply {
            require(n >= 1) { "maxPending must be at least 1: $n" }
            maxPending = n
        }

        /**
         * The trust manager of the upload connections. Default: the platform's default
         * ([QorganTrustManager.platformTrustManager] with the default store). Never pass a
         * [QorganTrustManager] with pins here: a report about a pin failure must get through.
         */
        fun trustManager(trustManager: X509TrustManager) = apply { this.trustManager = trustManager }

        /** The host name verifier of the upload connections. Default: `HttpsURLConnection`'s. */
        fun hostnameVerifier(verifier: HostnameVerifier) = apply { this.hostnameVerifier = verifier }

        /** Where uploads run. Default: one daemon thread of the uploader's own. */
        fun executor(executor: Executor) = apply { this.executor = executor }

        /** Called once per URI per report with what happened, on the upload thread. */
        fun onOutcome(listener: (Outcome) -> Unit) = apply { this.onOutcome = listener }

        /** Where failed uploads and the uploader's own problems are logged. */
        fun logger(logger: QorganLogger) = apply { this.logger = logger }

        fun build(): QorganReportUploader {
            val tm = trustManager ?: QorganTrustManager.platformTrustManager(null)
            val context = SSLContext.getInstance("TLS").apply { init(null, arrayOf(tm), null) }
            val own = if (executor == null) {
                ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS, LinkedBlockingQueue()) { r ->
                    Thread(r, "qorgan-report-uploader").apply { isDaemon = true }
                }.apply { allowCoreThreadTimeOut(true) }
            } else {
                null
            }
            return QorganReportUploader(
                fallbackUris = fallbackUris.toList(),
                connectTimeoutMillis = connectTimeoutMillis,
                readTimeoutMillis = readTimeoutMillis,
                maxPending = maxPending,
                socketFactory = context.socketFactory,
                hostnameVerifier = hostnameVerifier,
                executor = executor ?: own!!,
                ownExecutor = own,
                onOutcome = onOutcome,
                logger = logger,
            )
        }
    }
}
