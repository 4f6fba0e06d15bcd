package kz.qorgan

import java.security.KeyStore
import java.security.cert.X509Certificate
import java.util.concurrent.CancellationException
import java.util.concurrent.CompletableFuture
import java.util.concurrent.CompletionException
import java.util.concurrent.ConcurrentLinkedQueue
import java.util.concurrent.CountDownLatch
import java.util.concurrent.ExecutionException
import java.util.concurrent.Executor
import java.util.concurrent.LinkedBlockingQueue
import java.util.concurrent.RejectedExecutionException
import java.util.concurrent.ThreadFactory
import java.util.concurrent.ThreadPoolExecutor
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicBoolean
import java.util.concurrent.atomic.AtomicInteger
import javax.net.ssl.TrustManagerFactory
import javax.net.ssl.X509ExtendedTrustManager
import kotlin.coroutines.resume
import kotlin.coroutines.resumeWithException
import kotlin.coroutines.suspendCoroutine
import kz.qorgan.ffi.CheckVerdict
import kz.qorgan.ffi.CheckerReport
import kz.qorgan.ffi.DevicePlatform
import kz.qorgan.ffi.PlatformView
import kz.qorgan.ffi.ProbeError
import kz.qorgan.ffi.ProbeErrorCode
import kz.qorgan.ffi.ProbeResult
import kz.qorgan.ffi.Qorgan
import kz.qorgan.ffi.QorganConfig
import kz.qorgan.ffi.TrustedCertificate
import kz.qorgan.ffi.defaultProbeTargets
import kz.qorgan.ffi.defaultProbeTimeoutMs
import kz.qorgan.ffi.summarizeCheck

/**
 * The standalone checker: "is my connection intercepted?" for a person, not for an app's own
 * servers. It audits the device's trust store and probes a set of sites with real TLS handshakes
 * made by the platform's own TLS stack (what the phone's apps see; the engine judges each one)
 * (by default the domains Kazakhstan intercepted in 2019 and 2021-2024, and a few controls), both
 * at once, and gives back the engine's plain-language screen model ([CheckerReport]: an overall
 * status, a headline and what to do, written once in Rust for every platform).
 *
 * ```kotlin
 * // Android (kz.qorgan.android): AndroidCAStore with its user:/system: aliases
 * val checker = QorganAndroid.checker(context)
 * lifecycleScope.launch {
 *     val result = checker.check()                 // suspends; never blocks the main thread
 *     headline.text = result.report.headline
 * }
 *
 * // Anywhere (JVM): a callback or a future
 * QorganChecker.Builder().trustStore(keyStore).build()
 *     .runAsync { result, error -> ... }           // called on a background thread
 * ```
 *
 * **Threads.** Each probe is a blocking network operation of up to [timeoutMillis] (DNS, connect
 * and handshake). [run] blocks: call it from `Dispatchers.IO`, a background executor or a worker,
 * never from the main thread. [runAsync] and [check] return at once and run on a background
 * thread. At most [parallelism] (≤ [MAX_PARALLELISM]) probes and the audit run at the same time,
 * on the [Builder.executor] or on threads of their own that end with the run.
 *
 * **Failures are results.** A site that does not answer is `unreachable` (with a
 * [ProbeErrorCode]), never an exception; when nothing answered the status is `OFFLINE`. A trust
 * store that cannot be read gives a result without audit ([CheckerResult.auditError] says why).
 *
 * Immutable; one instance can run any number of times, also concurrently. Each run reads the
 * trust store again (a certificate the person just removed is gone from the next run).
 */
class QorganChecker private constructor(
    /** The sites to probe, in the order of [CheckerResult.probes]. */
    val targets: List<Target>,
    /** Each probe's time limit, DNS, connect and handshake together. */
    val timeoutMillis: Int,
    /** Probes (and the audit) at once, at most. */
    val parallelism: Int,
    /** Whose removal steps the advice gives ([summarizeCheck]). */
    val devicePlatform: DevicePlatform,
    /** The language of the headline, advice and findings (a BCP 47 tag; default the device's). */
    val language: String,
    private val enginePlatform: PlatformView,
    private val trustStore: (() -> KeyStore?)?,
    private val userAdded: (alias: String, certificate: X509Certificate) -> Boolean,
    private val sharedEngine: Qorgan?,
    private val executor: Executor?,
    private val logger: QorganLogger,
) {
    /**
     * One site to probe: [host] is sent as SNI and checked against the certificate; [port] is the
     * TCP port; [connectAddress] (`IP:PORT`, `[IPv6]:PORT`) connects there instead of resolving
     * [host], to test a name against a given address.
     */
    data class Target @JvmOverloads constructor(
        val host: String,
        val port: Int = 443,
        val connectAddress: String? = null,
    ) {
        init {
            require(host.isNotBlank()) { "QorganChecker.Target: the host is empty" }
            require(port in 1..65535) { "QorganChecker.Target($host): port $port is not in 1..65535" }
            require(connectAddress == null || CONNECT_ADDRESS.matches(connectAddress)) {
                "QorganChecker.Target($host): connectAddress \"$connectAddress\" is not IP:PORT " +
                    "(for example 203.0.113.7:443 or [2001:db8::1]:443)"
            }
        }
    }

    /** Receives the outcome of [runAsync]: a result, or the error that prevented one. */
    fun interface Callback {
        /** Exactly one of [result] and [error] is non-null. Called on a background thread. */
        fun onComplete(result: CheckerResult?, error: Throwable?)
    }

    /**
     * Runs the audit and the probes and summarizes them. **Blocks** for up to about
     * `ceil((targets + 1) / parallelism) × timeoutMillis`.
     *
     * @throws InterruptedException when the calling thread is interrupted while waiting (the
     *   probes under way finish in the background within their timeout; no new one starts).
     */
    @Throws(InterruptedException::class)
    fun run(): CheckerResult {
        // 1. The trust store, read once for the audit and for the engine that judges the probes
        //    (a root installed by the user makes a probe intercepted_local, not untrusted).
        var auditError: Throwable? = null
        var entries: List<Pair<String, X509Certificate>>? = null
        var flags: List<Boolean> = emptyList()
        var keyStore: KeyStore? = null
        if (trustStore != null) {
            try {
                keyStore = trustStore.invoke()
                entries = keyStore?.let { x509Entries(it) }
                flags = entries?.map { (alias, cert) -> userAdded(alias, cert) } ?: emptyList()
            } catch (e: Exception) {
                auditError = e
                entries = null
                keyStore = null
                logger.warn("QorganChecker could not read the trust store; checking without an audit", e)
            }
        }
        // The operating system's own verdict on each probed chain: the same store (user CAs
        // included on Android), or the platform's default one without it.
        val handshake = PlatformHandshake(platformTrustManager(keyStore))

        // 2. The engine: shared, or built for this run from the store.
        val engine: Qorgan = sharedEngine ?: run {
            val store = entries.orEmpty().mapIndexed { i, (_, cert) -> TrustedCertificate(cert.encoded, flags[i]) }
            try {
                newEngine(store)
            } catch (e: Exception) {
                // A certificate the engine cannot read: probe without the store rather than not at all.
                logger.warn("QorganChecker: the engine refused the trust store; checking without an audit", e)
                auditError = e
                entries = null
                newEngine(emptyList())
            }
        }
        try {
            // 3. The audit and the probes, at most `parallelism` at once.
            var audit: TrustStoreAudit.Result? = null
            val probes = arrayOfNulls<ProbeResult>(targets.size)
            val tasks = ArrayList<() -> Unit>(targets.size + 1)
            val auditEntries = entries
            if (auditEntries != null) {
                tasks += {
                    try {
                        audit = TrustStoreAudit(engine).audit(auditEntries, flags)
                    } catch (e: Exception) {
                        auditError = e
                        logger.warn("QorganChecker: the trust-store audit failed", e)
                    }
                }
            }
            targets.forEachIndexed { i, t -> tasks += { probes[i] = probe(engine, handshake, t) } }
            runBounded(tasks)

            val results = probes.mapIndexed { i, p -> p ?: failedProbe(targets[i], "the probe did not run") }
            val a = audit
            return CheckerResult(summarizeCheck(a?.report, results, devicePlatform, language), results, a, auditError)
        } finally {
            // Safe with probes still in flight after an interruption: the engine is freed after
            // the last call into it returns.
            if (sharedEngine == null) engine.close()
        }
    }

    /**
     * Starts a run on a background thread and returns at once. Cancelling the future interrupts
     * the run ([run]'s rules apply). Completes exceptionally only for a failure inside Qorgan
     * itself (for example a missing native library).
     */
    fun runAsync(): CompletableFuture<CheckerResult> {
        val future = CompletableFuture<CheckerResult>()
        // The coordinating thread waits for the probes; it must not take a slot of [executor]
        // (with a one-thread executor the probes would never start).
        val thread = Thread({
            try {
                future.complete(run())
            } catch (e: InterruptedException) {
                future.completeExceptionally(CancellationException("QorganChecker run interrupted").initCause(e))
            } catch (e: Throwable) {
                future.completeExceptionally(e)
            }
        }, "qorgan-checker")
        thread.isDaemon = true
        future.whenComplete { _, e -> if (e is CancellationException) thread.interrupt() }
        thread.start()
        return future
    }

    /** As [runAsync], calling [callback] when done (on a background thread). */
    fun runAsync(callback: Callback): CompletableFuture<CheckerResult> {
        val future = runAsync()
        future.whenComplete { r, e -> callback.onComplete(r, e?.let(::unwrap)) }
        return future
    }

    /**
     * Runs the check without blocking the calling thread: callable from `Dispatchers.Main`.
     * Needs only the Kotlin standard library. Not cancellable (the run ends within its timeouts
     * anyway); with kotlinx-coroutines, `runAsync().await()` (`kotlinx.coroutines.future`) is.
     */
    suspend fun check(): CheckerResult = suspendCoroutine { cont ->
        runAsync().whenComplete { r, e ->
            if (e == null) cont.resume(r) else cont.resumeWithException(unwrap(e))
        }
    }

    private fun newEngine(store: List<TrustedCertificate>) = Qorgan(
        QorganConfig(
            trustedCertificates = store,
            allowedAnchorPins = emptyList(),
            platform = enginePlatform,
            reportDedupSeconds = 0uL,
            language = language,
        ),
    )

    /**
     * One probe: the handshake with the platform's TLS, judged by the engine (the same judgement
     * as `qorgan check` on a desktop).
     */
    private fun probe(engine: Qorgan, handshake: PlatformHandshake, t: Target): ProbeResult =
        try {
            val seen = handshake.observe(t.host, t.port, t.connectAddress, timeoutMillis)
            val result = engine.judgeHandshake(seen.observation)
            val interrupted = seen.interrupted
            if (interrupted == null) {
                result
            } else {
                // The handshake failed after the chain was presented: judge that chain, with the
                // failure beside the verdict, as the desktop probe does. A chain that would be
                // trusted stays unreachable: without a proof of its key, a replayed genuine
                // chain looks the same.
                val chain = engine.judgeHandshake(seen.observation.copy(outcome = interrupted))
                if (chain.verdict == CheckVerdict.TRUSTED) result.copy(presentedChain = interrupted.presentedChain)
                else chain.copy(error = result.error, elapsedMs = result.elapsedMs)
            }
        } catch (e: Exception) {
            // Network failures are results already; this is Qorgan itself failing for one site.
            logger.warn("QorganChecker could not probe ${t.host}:${t.port}", e)
            failedProbe(t, "Qorgan could not probe ${t.host}: ${e.message ?: e.javaClass.name}")
        } catch (e: LinkageError) {
            logger.warn("QorganChecker could not probe ${t.host}:${t.port}", e)
            failedProbe(t, "Qorgan could not probe ${t.host}: ${e.message ?: e.javaClass.name}")
        }

    private fun platformTrustManager(store: KeyStore?): X509ExtendedTrustManager? = try {
        val factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm())
        factory.init(store)
        factory.trustManagers.filterIsInstance<X509ExtendedTrustManager>().firstOrNull()
    } catch (e: Exception) {
        logger.warn("QorganChecker: no platform trust manager; probes carry no platform verdict", e)
        null
    }

    /** Runs [tasks] with at most [parallelism] at once; returns when all are done. */
    private fun runBounded(tasks: List<() -> Unit>) {
        if (tasks.isEmpty()) return
        val queue = ConcurrentLinkedQueue(tasks)
        val workers = minOf(parallelism, tasks.size)
        val done = CountDownLatch(workers)
        val stopped = AtomicBoolean(false)
        val ownPool = if (executor == null) newPool(workers) else null
        val exec: Executor = executor ?: ownPool!!
        val worker = Runnable {
            try {
                while (!stopped.get()) {
                    val task = queue.poll() ?: break
                    task()
                }
            } finally {
                done.countDown()
            }
        }
        try {
            repeat(workers) {
                try {
                    exec.execute(worker)
                } catch (e: RejectedExecutionException) {
                    logger.warn("QorganChecker: the executor rejected a worker; running it on the calling thread", e)
                    worker.run()
                }
            }
            done.await()
        } catch (e: InterruptedException) {
            stopped.set(true)
            throw e
        } finally {
            ownPool?.shutdown()
        }
    }

    companion object {
        /** The most probes that run at once. */
        const val MAX_PARALLELISM = 8

        /** Each probe's default time limit: the engine's ([defaultProbeTimeoutMs]), as on iOS and in the CLI. */
        val DEFAULT_TIMEOUT_MILLIS: Int = defaultProbeTimeoutMs().toInt()

        private val CONNECT_ADDRESS = Regex("""(\d{1,3}(\.\d{1,3}){3}|\[[0-9A-Fa-f:.%a-z]+]):\d{1,5}""")

        /** The engine's default targets ([defaultProbeTargets]) on port 443. */
        @JvmStatic
        fun defaultTargets(): List<Target> = defaultProbeTargets().map { Target(it.host) }

        private fun failedProbe(t: Target, message: String) = ProbeResult(
            host = t.host,
            port = t.port.toUShort(),
            verdict = CheckVerdict.UNREACHABLE,
            findings = emptyList(),
            error = ProbeError(ProbeErrorCode.TLS_ERROR, message),
            tls = null,
            path = emptyList(),
            anchor = null,
            platformTrusted = null,
            address = null,
            elapsedMs = 0uL,
            presentedChain = emptyList(),
        )

        private fun unwrap(e: Throwable): Throwable =
            if ((e is CompletionException || e is ExecutionException) && e.cause != null) e.cause!! else e

        private val poolIds = AtomicInteger()

        private fun newPool(threads: Int): ThreadPoolExecutor {
            val id = poolIds.incrementAndGet()
            val n = AtomicInteger()
            val factory = ThreadFactory { r ->
                Thread(r, "qorgan-checker-$id-${n.incrementAndGet()}").apply { isDaemon = true }
            }
            return ThreadPoolExecutor(threads, threads, 10, TimeUnit.SECONDS, LinkedBlockingQueue(), factory)
        }
    }

    /**
     * Builds a [QorganChecker]. Defaults: the engine's default targets, 5 s per probe, 8 at once,
     * no trust-store audit (give one with [trustStore]), advice for Android.
     */
    class Builder {
        private val targets = mutableListOf<Target>()
        private var timeoutMillis = DEFAULT_TIMEOUT_MILLIS
        private var parallelism = MAX_PARALLELISM
        private var devicePlatform = DevicePlatform.ANDROID
        private var language: String? = null
        private var enginePlatform = PlatformView.ANY
        private var trustStore: (() -> KeyStore?)? = null
        private var userAdded: (String, X509Certificate) -> Boolean = { alias, _ -> isUserAlias(alias) }
        private var qorgan: Qorgan? = null
        private var executor: Executor? = null
        private var logger: QorganLogger = QorganLogger.JAVA_UTIL_LOGGING

        /**
         * The language the person reads: a BCP 47 tag (`kk`, `ru`, `en`). Default: the device's
         * locale. Qorgan speaks Kazakh, Russian and English; any other language gets English.
         */
        fun language(tag: String) = apply { language = tag }

        /** Probes [target] (in addition to the others added). Without any, [defaultTargets]. */
        fun addTarget(target: Target) = apply { targets += target }

        /** Probes [host] on [port], optionally at [connectAddress] (`IP:PORT`). */
        @JvmOverloads
        fun addTarget(host: String, port: Int = 443, connectAddress: String? = null) = addTarget(Target(host, port, connectAddress))

        /** Probes these targets (in addition to the others added). */
        fun targets(targets: List<Target>) = apply { this.targets += targets }

        /** Each probe's time limit (default 5 s): DNS, connect and handshake together. */
        fun timeout(amount: Long, unit: TimeUnit) = apply {
            val ms = unit.toMillis(amount)
            require(ms in 1..Int.MAX_VALUE) { "QorganChecker timeout must be between 1 ms and ${Int.MAX_VALUE} ms: $amount $unit" }
            timeoutMillis = ms.toInt()
        }

        /** Probes at once, 1 to [MAX_PARALLELISM] (default 8). */
        fun parallelism(n: Int) = apply {
            require(n in 1..MAX_PARALLELISM) { "QorganChecker parallelism must be in 1..$MAX_PARALLELISM: $n" }
            parallelism = n
        }

        /**
         * The trust store to audit, and whose roots the engine knows when it judges the probes
         * (read at each run). On Android, AndroidCAStore (see `QorganAndroid.checker`).
         */
        fun trustStore(keyStore: KeyStore) = apply { trustStore = { keyStore } }

        /** As `trustStore(KeyStore)`, loading the store at each run; null from [loader]: no audit. */
        fun trustStore(loader: () -> KeyStore?) = apply { trustStore = loader }

        /** Which entries the platform says a user installed. Default: AndroidCAStore's `user:` aliases. */
        fun userAdded(predicate: (alias: String, certificate: X509Certificate) -> Boolean) = apply { userAdded = predicate }

        /** Whose advice (removal steps) to give: [DevicePlatform.ANDROID] by default. */
        fun devicePlatform(platform: DevicePlatform) = apply { devicePlatform = platform }

        /** Whose root programs count as public for the engine built per run (default [PlatformView.ANY]). */
        fun platform(view: PlatformView) = apply { enginePlatform = view }

        /**
         * Probes and audits with this engine instead of one built per run from the trust store.
         * Its trusted certificates decide whether a probe to a locally installed root is
         * `intercepted_local` or `untrusted`. Not closed by the checker.
         */
        fun qorgan(qorgan: Qorgan) = apply { this.qorgan = qorgan }

        /**
         * Where the probes and the audit run (at most [parallelism] of its threads at once). Default:
         * threads of each run's own, ended with it.
         */
        fun executor(executor: Executor) = apply { this.executor = executor }

        /** Where the checker's own problems are logged. */
        fun logger(logger: QorganLogger) = apply { this.logger = logger }

        fun build(): QorganChecker = QorganChecker(
            targets = targets.toList().ifEmpty { defaultTargets() },
            timeoutMillis = timeoutMillis,
            parallelism = parallelism,
            devicePlatform = devicePlatform,
            language = language ?: deviceLanguage(),
            enginePlatform = enginePlatform,
            trustStore = trustStore,
            userAdded = userAdded,
            sharedEngine = qorgan,
            executor = executor,
            logger = logger,
        )
    }
}

/** What a [QorganChecker] run found. */
data class CheckerResult(
    /** The screen model: status, headline and advice, from [summarizeCheck]. */
    val report: CheckerReport,
    /** Each target's probe, in the order of [QorganChecker.targets]. */
    val probes: List<ProbeResult>,
    /** The trust-store audit; null without a trust store, or when it could not be made. */
    val audit: TrustStoreAudit.Result?,
    /** Why there is no audit although a trust store was given. */
    val auditError: Throwable? = null,
)
