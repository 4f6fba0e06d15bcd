package kz.qorgan

import java.net.Socket
import java.security.KeyStore
import java.security.cert.CertificateException
import java.security.cert.X509Certificate
import java.util.concurrent.Executor
import java.util.concurrent.TimeUnit
import javax.net.ssl.SNIHostName
import javax.net.ssl.SSLContext
import javax.net.ssl.SSLEngine
import javax.net.ssl.SSLSession
import javax.net.ssl.SSLSocket
import javax.net.ssl.SSLSocketFactory
import javax.net.ssl.TrustManagerFactory
import javax.net.ssl.X509ExtendedTrustManager
import javax.net.ssl.X509TrustManager
import kz.qorgan.ffi.BundleInfo
import kz.qorgan.ffi.Evaluation
import kz.qorgan.ffi.PlatformView
import kz.qorgan.ffi.Qorgan
import kz.qorgan.ffi.QorganBundleException
import kz.qorgan.ffi.QorganConfig
import kz.qorgan.ffi.QorganException
import kz.qorgan.ffi.Report
import kz.qorgan.ffi.ReportSink
import kz.qorgan.ffi.TrustedCertificate
import kz.qorgan.ffi.VerdictKind

/**
 * A trust manager that lets the platform decide whether a server's chain is valid, and then asks
 * Qorgan *who* vouched for it.
 *
 * ## The threat
 *
 * HTTPS is only as private as the set of root certificates a device trusts. Whoever can add a
 * root to that set can read and change every connection while the padlock still shows: in July
 * 2019 Kazakh operators told subscribers to install the government's "Qaznet Trust Network" root;
 * Lenovo shipped laptops with the Superfish root, whose private key anybody could extract;
 * enterprise proxies, antivirus products and stalkerware install their own. The platform's
 * validator cannot tell these apart from a legitimate chain: to it, an installed root is a root.
 *
 * ## What this class does
 *
 * Every `checkServerTrusted` call runs these steps, in this order:
 *
 * 1. **The platform validates first** (the [delegate]: the JDK's or Android's default trust
 *    manager, with hostname checks, Network Security Config, pinning, revocation). Qorgan never
 *    makes a chain acceptable that the platform refused.
 * 2. When the platform accepted, the chain it actually **validated** (leaf first, anchor last) is
 *    obtained from the [ValidatedChainBuilder] and judged by the engine's fast path (a lookup of
 *    every key against the known interception CAs and of the anchor against the public root
 *    programs). Working on the validated chain, not on what the server sent, matters: a server
 *    (or an attacker) can pad the sent chain with unrelated certificates; only the validated path
 *    says which anchor the device actually relied on. The common case (a public root, nothing to
 *    report) is answered by one direct JNI call ([QorganNative]); anything else takes one call
 *    through the bindings, [Qorgan.evaluateValidated], which returns the verdict, whether this
 *    mode lets it through, the finding that explains it and the report (built and delivered).
 * 3. When the platform refused, Qorgan still runs a full analysis of the sent chain
 *    ([Qorgan.evaluateRejected]), so that the app hears *why* (an unknown root, a known
 *    interception CA that is not installed, a forged certificate), delivers a report, and then
 *    rethrows the platform's own exception unchanged.
 * 4. In [Mode.ENFORCE], a verdict the engine does not accept (`verdictIsAcceptable`) fails the
 *    handshake with a [QorganCertificateException] that names the CA, the engine's main finding
 *    and what to change.
 *    Acceptable means: the chain ends at a public root, or at a non-public root whose key the app
 *    owner allowed with [Builder.allowAnchor]. Everything else is refused, in particular chains
 *    to user-installed or enterprise roots, as Android itself does for apps targeting API 24+;
 *    known interception CAs cannot be allowed at all.
 *    In [Mode.REPORT_ONLY] the connection proceeds and only the report is delivered.
 *
 * Enforcement **fails closed**: if Qorgan itself fails (a [kz.qorgan.ffi.QorganException], a
 * missing native library, a closed engine), an enforcing trust manager refuses the connection. A
 * report-only one logs and lets the platform's decision stand.
 *
 * A report is delivered for every verdict but `trusted`, and for a `trusted` one the engine says
 * needs one (`verdictNeedsReport`: a report-only pin mismatch, expired pins); the engine decides
 * that inside [Qorgan.evaluateValidated], not this class.
 *
 * Clean verdicts (`trusted`, nothing to report) are remembered per host and validated chain for
 * the rest of the UTC day, so that the next handshake with the same chain skips the engine; see
 * [Builder.verdictCache] for why that stays correct. The platform's validation (step 1) still
 * runs every time.
 *
 * Reports go through [Qorgan.report], which deduplicates identical reports (same host, port,
 * chains and findings) for the configured window and hands the rest to the report listener. A
 * listener that throws is logged; it never changes the outcome of a handshake.
 *
 * ## Use
 *
 * ```kotlin
 * val trustManager = QorganTrustManager.Builder()
 *     .mode(QorganTrustManager.Mode.ENFORCE)
 *     .allowAnchor("sha256/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=") // your enterprise proxy
 *     .reportListener { report -> upload(report.json) }
 *     .build()
 *
 * val client = OkHttpClient.Builder()
 *     .sslSocketFactory(trustManager.sslSocketFactory(), trustManager)
 *     .build()
 * ```
 *
 * Instances are immutable and thread-safe; build one per process and share it.
 */
class QorganTrustManager private constructor(
    /** The platform trust manager that decides validity. */
    val delegate: X509TrustManager,
    /** The engine. Shared with whoever built it; this class does not close it. */
    val qorgan: Qorgan,
    /** Whether a bad verdict fails the handshake or is only reported. */
    val mode: Mode,
    private val chainBuilder: ValidatedChainBuilder,
    private val reportExecutor: Executor,
    private val logger: QorganLogger,
    private val verdictCache: VerdictCache?,
    private val nativeFastPath: Boolean,
) : X509ExtendedTrustManager() {

    /** What happens when Qorgan does not accept a chain the platform accepted. */
    enum class Mode {
        /**
         * Refuse the handshake with a [QorganCertificateException] (and deliver a report). Also
         * refuses when Qorgan cannot decide (fail closed).
         */
        ENFORCE,

        /**
         * Let the connection through and deliver a report. Use it to learn what your users' networks
         * look like before enforcing. Qorgan failures are logged and ignored (fail open).
         */
        REPORT_ONLY,
    }

    private val extendedDelegate = delegate as? X509ExtendedTrustManager

    private val lazySslContext = lazy {
        SSLContext.getInstance("TLS").apply { init(null, arrayOf(this@QorganTrustManager), null) }
    }
    private val sslContext: SSLContext by lazySslContext

    /**
     * An `SSLContext` (protocol "TLS", no client certificate) whose only trust manager is this one.
     * Created once.
     */
    fun sslContext(): SSLContext = sslContext

    /**
     * The socket factory of [sslContext], for OkHttp's
     * `OkHttpClient.Builder().sslSocketFactory(factory, trustManager)` (pass this object as the
     * trust manager) or `HttpsURLConnection.setSSLSocketFactory`. Created once.
     *
     * Prefer it to `sslContext().socketFactory`: through an HTTP proxy, a client layers its TLS
     * socket over the proxy's tunnel (`createSocket(tunnel, host, port, autoClose)`), and then
     * the socket's port, and on a JVM the handshake session's peer port too, are the proxy's.
     * This factory remembers the port the client asked for, so that reports carry the origin's
     * port, as RFC 7469 wants.
     */
    fun sslSocketFactory(): SSLSocketFactory = socketFactory

    /** The origin port of each layered socket [socketFactory] made (weakly held, by identity). */
    private val originPorts: MutableMap<Socket, Int> = java.util.Collections.synchronizedMap(java.util.WeakHashMap())

    private val socketFactory: SSLSocketFactory by lazy { OriginPortSocketFactory(sslContext.socketFactory, originPorts) }

    override fun getAcceptedIssuers(): Array<X509Certificate> = delegate.acceptedIssuers

    // Client authentication is none of Qorgan's business: straight to the platform.

    override fun checkClientTrusted(chain: Array<out X509Certificate>?, authType: String?) =
        delegate.checkClientTrusted(chain, authType)

    override fun checkClientTrusted(chain: Array<out X509Certificate>?, authType: String?, socket: Socket?) {
        val d = extendedDelegate
        if (d != null) d.checkClientTrusted(chain, authType, socket) else delegate.checkClientTrusted(chain, authType)
    }

    override fun checkClientTrusted(chain: Array<out X509Certificate>?, authType: String?, engine: SSLEngine?) {
        val d = extendedDelegate
        if (d != null) d.checkClientTrusted(chain, authType, engine) else delegate.checkClientTrusted(chain, authType)
    }

    /**
     * Without a socket there is no host name: the platform cannot check it, and Qorgan's verdict
     * and report carry none. Prefer the overloads TLS stacks call (socket or engine).
     */
    override fun checkServerTrusted(chain: Array<out X509Certificate>?, authType: String?) {
        val c = requireChain(chain, authType)
        check(c, authType!!, Peer(null, 0)) { delegate.checkServerTrusted(chain, authType) }
    }

    override fun checkServerTrusted(chain: Array<out X509Certificate>?, authType: String?, socket: Socket?) {
        val c = requireChain(chain, authType)
        val ssl = socket as? SSLSocket
        // A socket layered over a proxy's tunnel: the port its creator asked for, not the proxy's.
        val origin = socket?.let { originPorts[it] }
        val peer = Peer.of(ssl?.handshakeSession, ssl?.sslParameters?.serverNames, socket?.port ?: 0, origin)
        check(c, authType!!, peer) {
            val d = extendedDelegate
            if (d != null) d.checkServerTrusted(chain, authType, socket) else delegate.checkServerTrusted(chain, authType)
        }
    }

    override fun checkServerTrusted(chain: Array<out X509Certificate>?, authType: String?, engine: SSLEngine?) {
        val c = requireChain(chain, authType)
        val peer = Peer.of(engine?.handshakeSession, engine?.sslParameters?.serverNames, engine?.peerPort ?: 0)
        check(c, authType!!, peer) {
            val d = extendedDelegate
            if (d != null) d.checkServerTrusted(chain, authType, engine) else delegate.checkServerTrusted(chain, authType)
        }
    }

    /**
     * The method Android's `X509TrustManagerExtensions` and OkHttp's Android certificate chain
     * cleaner look up by reflection (`checkServerTrusted(X509Certificate[], String, String)`
     * returning the validated chain). Runs the same checks as the other overloads for [host] and
     * returns the chain the platform validated, leaf first, anchor last.
     *
     * On a plain JVM the delegate cannot check [host] without a handshake session, so only the
     * chain is validated here; the host name is left to the `HostnameVerifier` (as OkHttp and
     * `HttpsURLConnection` do anyway). On Android the [ValidatedChainBuilder] checks it.
     *
     * Delivers no report: it is called after the handshake (by OkHttp's certificate pinner, for
     * example), which already reported the connection.
     */
    @Throws(CertificateException::class)
    fun checkServerTrusted(chain: Array<X509Certificate>, authType: String, host: String): List<X509Certificate> {
        requireChain(chain, authType)
        return check(chain, authType, Peer(host, 0), report = false) { delegate.checkServerTrusted(chain, authType) }
    }

    private fun requireChain(chain: Array<out X509Certificate>?, authType: String?): Array<out X509Certificate> {
        // The X509TrustManager contract: IllegalArgumentException for a null or empty chain/authType.
        require(!chain.isNullOrEmpty()) { "the server's certificate chain is empty" }
        require(!authType.isNullOrEmpty()) { "authType is empty" }
        return chain
    }

    /** The four steps of the class documentation. Returns the validated chain (or the sent one). */
    private fun check(
        chain: Array<out X509Certificate>,
        authType: String,
        peer: Peer,
        report: Boolean = true,
        platform: () -> Unit,
    ): List<X509Certificate> {
        // (1) The platform decides validity. Its failure is final; Qorgan only explains it.
        try {
            platform()
        } catch (e: CertificateException) {
            if (report) explainPlatformFailure(chain, peer)
            throw e
        }

        // (2) Who vouched for it: the platform-validated chain through Qorgan's fast path.
        val validated: List<X509Certificate>
        try {
            validated = chainBuilder.validatedChain(chain, authType, peer.host)
        } catch (e: Exception) {
            failedToDecide(peer, e)
            return chain.toList()
        }
        return if (judge(peer, chain, validated, report)) validated else chain.toList()
    }

    /**
     * Qorgan's part of a handshake for a chain some platform already validated (leaf first, anchor
     * last): the steps (2) to (4) of the class documentation, for TLS stacks that do not call a
     * trust manager (Cronet, a native library's own TLS) but can hand over the chain they validated.
     * The Qorgan counterpart of OkHttp's `CertificatePinner.check(hostname, peerCertificates)`.
     *
     * Delivers a report as a handshake does (with [validatedChain] as both the served and the
     * validated chain) and refuses in [Mode.ENFORCE] by throwing.
     *
     * @param port the server's port, for the report (0 when unknown).
     * @throws QorganCertificateException when the verdict is not acceptable in [Mode.ENFORCE], or
     *   when Qorgan could not decide (fail closed).
     * @throws IllegalArgumentException for an empty chain.
     */
    @JvmOverloads
    @Throws(CertificateException::class)
    fun checkValidatedChain(host: String?, validatedChain: List<X509Certificate>, port: Int = 0) {
        require(validatedChain.isNotEmpty()) { "the validated certificate chain is empty" }
        judge(Peer(host, port), null, validatedChain, report = true)
    }

    /**
     * Forgets every remembered verdict (see [Builder.verdictCache]). The cache holds only verdicts
     * that cannot change for the same chain, host, engine knowledge and UTC day; [applyBundle]
     * changes the knowledge and calls this (a handshake judged before it cannot put its verdict
     * back). Call it too after applying a bundle to this trust manager's engine by another route.
     */
    fun clearVerdictCache() {
        verdictCache?.clear()
    }

    /**
     * Applies a signed knowledge bundle to this trust manager's engine ([Qorgan.applyBundle]: the
     * engine checks the signature, expiry and version), then forgets what the bundle may change:
     * the remembered verdicts and the TLS sessions of [sslContext] (a resumed session is not
     * checked again, so a server vouched for by a CA the bundle names would otherwise still be
     * reached). A client with an `SSLContext` of its own should drop its sessions (or its
     * connection pool) too. A refused bundle changes nothing.
     *
     * @throws QorganBundleException saying which check failed.
     */
    @Throws(QorganBundleException::class)
    fun applyBundle(bytes: ByteArray): BundleInfo = qorgan.applyBundle(bytes).also {
        clearVerdictCache()
        if (lazySslContext.isInitialized()) {
            val sessions = sslContext.clientSessionContext
            for (id in sessions.ids.toList()) sessions.getSession(id)?.invalidate()
        }
    }

    /** How many verdicts are remembered now (for tests and the benchmark). */
    internal val cachedVerdicts: Int get() = verdictCache?.size ?: 0

    /**
     * Steps (2) to (4) on a validated chain. Returns true when Qorgan decided (the chain passes),
     * false when it could not decide in report-only mode; throws when the chain is refused.
     */
    private fun judge(
        peer: Peer,
        served: Array<out X509Certificate>?,
        validated: List<X509Certificate>,
        report: Boolean,
    ): Boolean {
        val evaluation: Evaluation
        val cacheKey: VerdictCache.Key?
        val cache = verdictCache
        try {
            cacheKey = cache?.key(peer.host, validated)
            // A remembered clean verdict: acceptable, nothing to report (see VerdictCache).
            if (cache != null && cacheKey != null && cache.contains(cacheKey)) return true
            val encoded = Array(validated.size) { validated[it].encoded }
            // The native fast path answers "clean" or "ask the full verdict" (see QorganNative).
            if (nativeHandle != null && nativeIsClean(nativeHandle, encoded, peer.host)) {
                if (cache != null && cacheKey != null) cache.put(cacheKey)
                return true
            }
            // (2)-(4) in one crossing: the verdict, whether this mode lets it through, what
            // explains it, and the report when one is due (delivered, deduplicated).
            evaluation = qorgan.evaluateValidated(
                peer.host,
                peer.port.toUShort(),
                served?.map { it.encoded } ?: emptyList(),
                encoded.asList(),
                mode == Mode.ENFORCE,
                report,
            )
        } catch (e: Exception) {
            failedToDecide(peer, e)
            return false
        } catch (e: LinkageError) { // the native library is missing or does not match the bindings
            failedToDecide(peer, e)
            return false
        }
        val verdict = evaluation.verdict
        if (verdict == null) {
            failedToDecide(peer, evaluation.failure ?: IllegalStateException("the engine gave neither a verdict nor an error"))
            return false
        }
        evaluation.reportFailure?.let { logger.warn("Qorgan could not build or deliver a report for ${peer.host ?: "a server"}", it) }

        // (4) Enforce: the engine already applied this mode.
        if (!evaluation.acceptable) {
            throw QorganCertificateException.refused(
                peer.host, verdict, evaluation.mainFinding, evaluation.interceptionCa, evaluation.remedy,
            )
        }
        // Remember only what the native path would call clean: trusted, nothing to report.
        if (verdict.verdict == VerdictKind.TRUSTED && !evaluation.needsReport && cache != null && cacheKey != null) {
            cache.put(cacheKey)
        }
        return true
    }

    /** The engine's handle for [QorganNative], or null when the fast path is off or unavailable. */
    private val nativeHandle: Long? = if (!nativeFastPath || !QorganNative.available) null else try {
        qorgan.nativeHandle().toLong()
    } catch (e: Exception) {
        null // an engine that is already closed: the bindings path reports it on every check
    } catch (e: LinkageError) {
        null
    }

    /** Whether the native fast path is in use (tests and the benchmark). */
    internal val usesNativeFastPath: Boolean get() = nativeHandle != null

    private fun nativeIsClean(handle: Long, chain: Array<ByteArray>, host: String?): Boolean = try {
        QorganNative.checkValidated(handle, chain, host?.toByteArray(Charsets.UTF_8)) == QorganNative.CLEAN
    } catch (e: LinkageError) {
        false // the full path decides (and fails closed in enforce mode if it cannot)
    }

    private fun failedToDecide(peer: Peer, e: Throwable) {
        if (mode == Mode.ENFORCE) {
            throw QorganCertificateException.failedClosed(peer.host, e)
        }
        logger.warn("Qorgan could not check ${peer.host ?: "a server"} (report-only mode: connection allowed)", e)
    }

    /**
     * Platform refused: a full analysis of what the server sent, for the report only
     * ([Qorgan.evaluateRejected], which also delivers the report). Runs on the report executor, so
     * that path building does not delay the handshake's failure when an executor is configured.
     */
    private fun explainPlatformFailure(chain: Array<out X509Certificate>, peer: Peer) {
        val name = peer.host ?: "a server"
        val task = Runnable {
            try {
                val evaluation = qorgan.evaluateRejected(peer.host, peer.port.toUShort(), chain.map { it.encoded }, true)
                evaluation.failure?.let { logger.warn("Qorgan could not analyze the chain $name sent", it) }
                // A throwing listener comes back as QorganException.Callback.
                evaluation.reportFailure?.let { logger.warn("Qorgan could not build or deliver a report for $name", it) }
            } catch (e: Exception) {
                logger.warn("Qorgan could not build or deliver a report for $name", e)
            } catch (e: LinkageError) { // the native library is missing or does not match the bindings
                logger.warn("Qorgan could not build or deliver a report for $name", e)
            }
        }
        try {
            reportExecutor.execute(task)
        } catch (e: RuntimeException) { // RejectedExecutionException from a shut-down executor
            logger.warn("Qorgan's report executor rejected a report for $name", e)
        }
    }

    /** Host and port of the connection being checked. */
    private class Peer(val host: String?, port: Int) {
        val port: Int = if (port in 1..65535) port else 0

        companion object {
            /**
             * The host name the client asked for: the SNI name when one was sent (that is what the
             * server saw and what hostname verification uses), else the session's peer host (the
             * host given to `createSocket`; an IP literal sends no SNI).
             */
            /**
             * The port: [origin] when known (what the client passed to a layered
             * `createSocket`; through a proxy the session's and the socket's are the proxy's on a
             * JVM), else the session's peer port, else [port].
             */
            fun of(session: SSLSession?, serverNames: List<javax.net.ssl.SNIServerName>?, port: Int, origin: Int? = null): Peer {
                val sni = serverNames?.firstNotNullOfOrNull { (it as? SNIHostName)?.asciiName }
                val host = sni ?: session?.peerHost?.takeIf { it.isNotEmpty() }
                val p = origin?.takeIf { it in 1..65535 } ?: session?.peerPort?.takeIf { it > 0 } ?: port
                return Peer(host, p)
            }
        }
    }

    /**
     * Builds a [QorganTrustManager]. Defaults: [Mode.ENFORCE], the platform's default trust
     * manager, a Qorgan engine created for it (knowing the delegate's accepted issuers), no pins,
     * reports deduplicated for 24 hours and delivered on the handshake thread.
     */
    class Builder {
        private var mode: Mode = Mode.ENFORCE
        private var delegate: X509TrustManager? = null
        private var chainBuilder: ValidatedChainBuilder? = null
        private var qorgan: Qorgan? = null
        private val allowedPins = linkedSetOf<String>()
        private var trustedCertificates: List<TrustedCertificate>? = null
        private var platform: PlatformView? = null
        private var dedupSeconds: Long? = null
        private var pinPolicy: String? = null
        private var dangerousDebugBuild: Boolean? = null
        private var language: String? = null
        private var bundleKeys: List<String>? = null
        private var bundlePins: Boolean? = null
        private var bundleMinVersion: Long? = null
        private var nativeFastPath: Boolean = true
        private var listener: QorganReportListener? = null
        private var reportExecutor: Executor = DIRECT
        private var logger: QorganLogger = QorganLogger.JAVA_UTIL_LOGGING
        private var verdictCacheSize: Int = DEFAULT_VERDICT_CACHE_SIZE

        /** The verdict cache's clock (tests cross a UTC midnight with it). */
        internal var verdictCacheClock: () -> Long = System::currentTimeMillis

        /** [Mode.ENFORCE] (default) or [Mode.REPORT_ONLY]. */
        fun mode(mode: Mode) = apply { this.mode = mode }

        /**
         * The platform trust manager that decides validity. Default: the platform's default
         * (`TrustManagerFactory.getDefaultAlgorithm()` initialised with a null `KeyStore`, which on
         * Android applies the app's Network Security Config).
         */
        fun delegate(trustManager: X509TrustManager) = apply { this.delegate = trustManager }

        /** Uses the platform's trust manager for [trustStore] (null: the default store). */
        fun delegate(trustStore: KeyStore?) = apply { this.delegate = platformTrustManager(trustStore) }

        /**
         * How to obtain the chain the platform validated. Default: [PkixValidatedChainBuilder] over
         * the delegate's accepted issuers (JVM). On Android use
         * `kz.qorgan.android.AndroidValidatedChainBuilder`, which asks the platform itself.
         */
        fun validatedChainBuilder(builder: ValidatedChainBuilder) = apply { this.chainBuilder = builder }

        /**
         * Allows a non-public anchor by its SPKI pin (`sha256/<base64>`, as in OkHttp's
         * `CertificatePinner` and in the message of a [QorganCertificateException]): chains to it
         * pass [Mode.ENFORCE] and are still reported (`intercepted_local`, finding
         * `allowed_anchor`). Use it for an enterprise proxy or a test CA you own. Known
         * interception CAs cannot be allowed.
         *
         * @throws IllegalArgumentException when a pin is not `sha256/` followed by the base64 of
         *   32 bytes.
         */
        fun allowAnchor(vararg pins: String) = apply {
            for (pin in pins) allowedPins += normalizePin(pin)
        }

        /** Allows this certificate's key as an anchor; see [allowAnchor]. */
        fun allowAnchorCertificate(certificate: X509Certificate) = apply {
            allowedPins += pin(certificate)
        }

        /**
         * The certificates the device trusts, with the platform's word on who installed them
         * (`userAdded`), for the engine this builder creates. Default: the delegate's accepted
         * issuers, none marked user-added. On Android pass
         * `QorganAndroid.trustedCertificates()` (AndroidCAStore, `user:` aliases).
         */
        fun trustedCertificates(certificates: List<TrustedCertificate>) = apply {
            this.trustedCertificates = certificates.toList()
        }

        /**
         * Pins the app's own servers: a Network Security Config XML document (`<network-security-config>`
         * with `<pin-set>`s, as in `res/xml`) or Qorgan's JSON policy. Pins are checked on the chain
         * the platform validated, so an extra certificate a server (or an interceptor) adds cannot
         * satisfy them, and a locally installed anchor never bypasses them. A mismatch is the
         * verdict `pin_violation` (refused in [Mode.ENFORCE]); the exception lists the chain's pins
         * and the configured ones. Pin at least two keys (one a backup) and set an expiration:
         * pins that stop matching lock every installed copy of the app out.
         *
         * @see kz.qorgan.ffi.Qorgan.pinPolicyWarnings for what was risky in the policy.
         */
        fun pinPolicy(policy: String) = apply { this.pinPolicy = policy }

        /**
         * A checked [QorganPinPolicy] (built with [QorganPinPolicy.Builder], or loaded from a
         * Network Security Config document or Qorgan's JSON); see `pinPolicy(String)`.
         */
        fun pinPolicy(policy: QorganPinPolicy) = pinPolicy(policy.text)

        /**
         * How many clean verdicts to remember (default [DEFAULT_VERDICT_CACHE_SIZE]; 0 turns the
         * cache off). A repeated handshake with the same validated chain for the same host then
         * costs a comparison of the chain's bytes instead of a call into the engine (tens of
         * microseconds through UniFFI and JNA, see scripts/bench-jvm.sh).
         *
         * What is remembered, and why it stays correct:
         *
         * - the key is the host name, every certificate of the **validated** chain (compared by
         *   `Certificate.equals`, that is byte for byte on their DER, not by a hash), and the
         *   current UTC day;
         * - only verdicts that are `trusted` with no finding above `info` are stored: acceptable,
         *   and with nothing to report. Anything else (allowed anchors, report-only mismatches,
         *   expired pins, interception) goes to the engine every time, so reports and their
         *   deduplication are unchanged;
         * - such a verdict depends only on the chain, the host and the engine's configuration
         *   (trust store flags, allowed anchors, pin policy, debug build), which is fixed for the
         *   life of this trust manager (a new configuration means a new trust manager and a new,
         *   empty cache), and on the time only through pin expirations, which fall at 00:00 UTC:
         *   a verdict computed on one UTC day cannot change before the next, hence the day in the
         *   key;
         * - the platform still validates every handshake first (step 1), so a root removed from
         *   the device or a revoked certificate is refused before the cache is consulted.
         *
         * Entries hold the chain's certificates (a few KB each); the least recently used goes first.
         */
        fun verdictCache(maxEntries: Int) = apply {
            require(maxEntries >= 0) { "verdictCache must not be negative: $maxEntries" }
            this.verdictCacheSize = maxEntries
        }

        /**
         * **Dangerous.** Marks the app as a debug build: a pin policy's `<debug-overrides>` with
         * `overridePins="true"` then lets its anchors bypass pins (still reported). Pass
         * `BuildConfig.DEBUG`; never `true` in a release build.
         */
        fun dangerousDebugBuild(enabled: Boolean) = apply { this.dangerousDebugBuild = enabled }

        /**
         * The language of Qorgan's sentences in verdicts, reports and refusals: a BCP 47 tag
         * (`kk`, `ru`, `en`). Default: the device's locale ([deviceLanguage]); Qorgan speaks
         * Kazakh, Russian and English, any other language gets English. Codes never change.
         */
        fun language(tag: String) = apply { this.language = tag }

        /**
         * The public keys signed knowledge bundles are accepted from (base64, as
         * `qorgan bundle keygen` prints; several during a key rotation): see [applyBundle] and
         * [QorganBundleUpdater]. Default: none, and every bundle is refused.
         *
         * A key that is not one fails [build] with `QorganException.InvalidConfig`.
         */
        fun bundleKeys(vararg keys: String) = apply { this.bundleKeys = keys.toList() }

        /**
         * Lets a bundle's pins replace [pinPolicy]'s for the domains the bundle names. Default off:
         * a bundle then adds known CAs and distrusted keys only.
         */
        fun bundlePins(enabled: Boolean) = apply { this.bundlePins = enabled }

        /**
         * Refuses bundles older than [version]: pass [QorganBundleUpdater.storedVersion] (the
         * last bundle the app accepted), so that a restart does not let an older one back in.
         */
        fun bundleMinVersion(version: Long) = apply {
            require(version >= 0) { "bundleMinVersion must not be negative: $version" }
            this.bundleMinVersion = version
        }

        /**
         * Whether clean chains are checked through [QorganNative]'s direct JNI call (default: on,
         * when the library's JNI symbols load) instead of the generated bindings. Both answer
         * the same; off is for comparing them.
         */
        internal fun nativeFastPath(enabled: Boolean) = apply { this.nativeFastPath = enabled }

        /** Whose root programs count as public: [PlatformView.ANY] (default) or a platform's. */
        fun platform(view: PlatformView) = apply { this.platform = view }

        /**
         * Identical reports (same host, port, chains and findings) within this window are delivered
         * once. Default 24 hours (TrustKit's choice); 0 delivers every report.
         */
        fun reportDedup(amount: Long, unit: TimeUnit) = apply {
            require(amount >= 0) { "reportDedup must not be negative: $amount $unit" }
            this.dedupSeconds = unit.toSeconds(amount)
        }

        /**
         * Receives every report that survives deduplication: connections refused by Qorgan, let
         * through in report-only mode or through an allowed anchor, and connections the platform
         * refused. Called on the [reportExecutor] (default: the handshake thread, so keep it short
         * or pass an executor). What it throws is logged and never affects the handshake.
         *
         * The listener becomes the engine's `ReportSink`; with a shared engine ([qorgan]) it
         * replaces the sink set there.
         */
        fun reportListener(listener: QorganReportListener) = apply { this.listener = listener }

        /** Where reports are built and delivered. Default: the calling (handshake) thread. */
        fun reportExecutor(executor: Executor) = apply { this.reportExecutor = executor }

        /** Where Qorgan's own problems are logged. Default: `java.util.logging` logger "kz.qorgan". */
        fun logger(logger: QorganLogger) = apply { this.logger = logger }

        /**
         * Shares an existing engine instead of creating one. Its configuration (allowed anchors,
         * trusted certificates, platform, dedup window) is fixed at its construction, so this
         * cannot be combined with [allowAnchor], [trustedCertificates], [platform] or [reportDedup].
         */
        fun qorgan(qorgan: Qorgan) = apply { this.qorgan = qorgan }

        /**
         * @throws IllegalStateException for a shared engine combined with engine settings.
         * @throws kz.qorgan.ffi.QorganException.InvalidConfig when the engine rejects a trusted
         *   certificate or a pin; its message names the entry.
         */
        @Throws(QorganException::class)
        fun build(): QorganTrustManager {
            val delegate = this.delegate ?: platformTrustManager(null)
            val engine = qorgan?.also {
                val conflicting = listOfNotNull(
                    "allowAnchor(${allowedPins.joinToString { p -> "\"$p\"" }})".takeIf { allowedPins.isNotEmpty() },
                    "trustedCertificates(...)".takeIf { trustedCertificates != null },
                    "platform(...)".takeIf { platform != null },
                    "reportDedup(...)".takeIf { dedupSeconds != null },
                    "pinPolicy(...)".takeIf { pinPolicy != null },
                    "dangerousDebugBuild(...)".takeIf { dangerousDebugBuild != null },
                    "language(...)".takeIf { language != null },
                    "bundleKeys(...)".takeIf { bundleKeys != null },
                    "bundlePins(...)".takeIf { bundlePins != null },
                    "bundleMinVersion(...)".takeIf { bundleMinVersion != null },
                )
                check(conflicting.isEmpty()) {
                    "QorganTrustManager.Builder: ${conflicting.joinToString()} configure the engine, but qorgan(...) " +
                        "passes an engine that is already built. Put these settings in the QorganConfig of that " +
                        "Qorgan (allowedAnchorPins, trustedCertificates, platform, reportDedupSeconds, pinPolicy, " +
                        "dangerousDebugBuild, bundleKeys, bundlePins, bundleMinVersion), or drop " +
                        "qorgan(...) and let the builder create the engine."
                }
            } ?: Qorgan(
                QorganConfig(
                    trustedCertificates = trustedCertificates
                        ?: delegate.acceptedIssuers.map { TrustedCertificate(it.encoded, false) },
                    allowedAnchorPins = allowedPins.toList(),
                    platform = platform ?: PlatformView.ANY,
                    reportDedupSeconds = (dedupSeconds ?: DEFAULT_DEDUP_SECONDS).toULong(),
                    pinPolicy = pinPolicy,
                    dangerousDebugBuild = dangerousDebugBuild ?: false,
                    language = language ?: deviceLanguage(),
                    bundleKeys = bundleKeys ?: emptyList(),
                    bundlePins = bundlePins ?: false,
                    bundleMinVersion = (bundleMinVersion ?: 0).toULong(),
                ),
            )
            listener?.let { engine.setReportSink(ListenerSink(it, reportExecutor, logger)) }
            return QorganTrustManager(
                delegate = delegate,
                qorgan = engine,
                mode = mode,
                chainBuilder = chainBuilder ?: PkixValidatedChainBuilder(delegate),
                reportExecutor = reportExecutor,
                logger = logger,
                verdictCache = if (verdictCacheSize > 0) VerdictCache(verdictCacheSize, verdictCacheClock) else null,
                nativeFastPath = nativeFastPath,
            )
        }
    }

    companion object {
        /** The default report executor: the calling thread. */
        internal val DIRECT = Executor { it.run() }

        /** 24 hours, as TrustKit. */
        const val DEFAULT_DEDUP_SECONDS: Long = 24 * 60 * 60

        /** Clean verdicts remembered by default ([Builder.verdictCache]). */
        const val DEFAULT_VERDICT_CACHE_SIZE: Int = 64

        /**
         * The SPKI pin of [certificate], `sha256/<base64 of SHA-256(SubjectPublicKeyInfo)>`: the
         * form [Builder.allowAnchor] and OkHttp's `CertificatePinner` take.
         */
        @JvmStatic
        @Throws(QorganException::class)
        fun pin(certificate: X509Certificate): String = kz.qorgan.ffi.spkiPin(certificate.encoded)

        /** The platform's default X509 trust manager for [trustStore] (null: the default store). */
        @JvmStatic
        fun platformTrustManager(trustStore: KeyStore?): X509TrustManager {
            val factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm())
            factory.init(trustStore)
            return factory.trustManagers.filterIsInstance<X509TrustManager>().firstOrNull()
                ?: throw IllegalStateException(
                    "TrustManagerFactory ${factory.algorithm} has no X509TrustManager: " +
                        factory.trustManagers.joinToString { it.javaClass.name },
                )
        }

        // 32 bytes in base64: 42 free characters, one carrying only 2 bits (low bits zero), one '='.
        private val PIN_BASE64 = Regex("[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=")

        internal fun normalizePin(pin: String): String {
            val howTo = "Copy the sha256/... pin from the QorganCertificateException message or from " +
                "QorganTrustManager.pin(certificate)."
            require(!pin.startsWith("sha1/")) { "Qorgan pins are SHA-256 only; got a SHA-1 pin: $pin. $howTo" }
            require(pin.startsWith("sha256/")) { "pins must start with 'sha256/': $pin. $howTo" }
            val b64 = pin.removePrefix("sha256/")
            require(PIN_BASE64.matches(b64)) {
                "pin is not the base64 of a SHA-256 digest (expected 44 characters ending in '='): $pin. $howTo"
            }
            return pin
        }
    }
}

/**
 * The report listener as the engine's sink, called on the report executor. On the default
 * (calling-thread) executor what the listener throws goes back to the engine, which then forgets
 * the report so that the next identical one is delivered, and the trust manager logs it; on
 * another executor the listener's failure is logged there.
 */
private class ListenerSink(
    private val listener: QorganReportListener,
    private val executor: Executor,
    private val logger: QorganLogger,
) : ReportSink {
    override fun onReport(report: Report) {
        if (executor === QorganTrustManager.DIRECT) {
            listener.onReport(report)
            return
        }
        val task = Runnable {
            try {
                listener.onReport(report)
            } catch (e: Exception) {
                logger.warn("Qorgan's report listener failed for ${report.hostname.ifEmpty { "a server" }}", e)
            }
        }
        try {
            executor.execute(task)
        } catch (e: RuntimeException) { // RejectedExecutionException from a shut-down executor
            logger.warn("Qorgan's report executor rejected a report for ${report.hostname.ifEmpty { "a server" }}", e)
        }
    }
}

/**
 * [delegate], remembering in [originPorts] the port asked for with each layered socket
 * (`createSocket(socket, host, port, autoClose)`: a TLS socket over a proxy's tunnel).
 */
private class OriginPortSocketFactory(
    private val delegate: SSLSocketFactory,
    private val originPorts: MutableMap<Socket, Int>,
) : SSLSocketFactory() {
    override fun getDefaultCipherSuites(): Array<String> = delegate.defaultCipherSuites
    override fun getSupportedCipherSuites(): Array<String> = delegate.supportedCipherSuites

    override fun createSocket(s: Socket?, host: String?, port: Int, autoClose: Boolean): Socket =
        delegate.createSocket(s, host, port, autoClose).also { originPorts[it] = port }

    override fun createSocket(s: Socket?, consumed: java.io.InputStream?, autoClose: Boolean): Socket =
        delegate.createSocket(s, consumed, autoClose)

    override fun createSocket(): Socket = delegate.createSocket()
    override fun createSocket(host: String?, port: Int): Socket = delegate.createSocket(host, port)
    override fun createSocket(host: String?, port: Int, localHost: java.net.InetAddress?, localPort: Int): Socket =
        delegate.createSocket(host, port, localHost, localPort)
    override fun createSocket(host: java.net.InetAddress?, port: Int): Socket = delegate.createSocket(host, port)
    override fun createSocket(address: java.net.InetAddress?, port: Int, localAddress: java.net.InetAddress?, localPort: Int): Socket =
        delegate.createSocket(address, port, localAddress, localPort)
}
