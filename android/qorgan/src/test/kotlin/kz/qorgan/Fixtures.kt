package kz.qorgan

import java.io.File
import java.net.InetAddress
import java.net.InetSocketAddress
import java.net.Proxy
import java.net.ServerSocket
import java.net.Socket
import java.net.SocketTimeoutException
import java.net.URL
import java.security.KeyStore
import java.security.cert.CertificateFactory
import java.security.cert.X509Certificate
import java.util.Collections
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicInteger
import javax.net.ssl.HttpsURLConnection
import javax.net.ssl.KeyManagerFactory
import javax.net.ssl.SSLContext
import javax.net.ssl.SSLServerSocket
import javax.net.ssl.SSLSocket
import kz.qorgan.ffi.Report
import okhttp3.OkHttpClient
import okhttp3.Request

/** 127.0.0.1 everywhere: every test leaf names it (SAN IP), and it never resolves to ::1. */
const val HOST = "127.0.0.1"

/** Test certificates of rust-core/engine/tests/test-ca (scripts/make-test-ca.sh). */
object TestCa {
    val repo: File = File(System.getProperty("qorgan.repo") ?: error("run with -Dqorgan.repo=<checkout>"))
    private val dir = File(repo, "rust-core/engine/tests/test-ca")

    fun cert(path: File): X509Certificate =
        path.inputStream().use { CertificateFactory.getInstance("X.509").generateCertificate(it) as X509Certificate }

    fun certs(path: File): List<X509Certificate> =
        path.inputStream().use { s -> CertificateFactory.getInstance("X.509").generateCertificates(s).map { it as X509Certificate } }

    fun root(scenario: String) = cert(File(dir, "$scenario/root.pem"))
    fun chain(scenario: String) = certs(File(dir, "$scenario/chain.pem"))
    fun p12(scenario: String) = File(dir, "$scenario/server.p12")

    /** The real Kazakh 2019 "Qaznet Trust Network" root (rust-core/engine/data/interception/certs). */
    val qaznet: X509Certificate by lazy {
        cert(File(repo, "rust-core/engine/data/interception/certs/00309c736dd661da6f1eb24173aa849944c168a43a15bffd192eecfdb6f8dbd2.pem"))
    }

    /** An in-memory trust store holding [certs] under the given aliases. */
    fun trustStore(vararg certs: Pair<String, X509Certificate>): KeyStore =
        KeyStore.getInstance(KeyStore.getDefaultType()).apply {
            load(null, null)
            for ((alias, cert) in certs) setCertificateEntry(alias, cert)
        }

    /** A client trust store that holds only [scenario]'s root (as if the user installed it). */
    fun trusting(scenario: String): KeyStore = trustStore("$scenario-root" to root(scenario))

    fun serverContext(scenario: String): SSLContext {
        val ks = KeyStore.getInstance("PKCS12")
        p12(scenario).inputStream().use { ks.load(it, "qorgan".toCharArray()) }
        val kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm())
        kmf.init(ks, "qorgan".toCharArray())
        return SSLContext.getInstance("TLS").apply { init(kmf.keyManagers, null, null) }
    }

    /**
     * A server context presenting [scenario]'s chain but holding [keyOf]'s leaf key, as a server
     * replaying a chain whose key it does not have: its handshake signatures do not verify.
     */
    fun replayingContext(scenario: String, keyOf: String): SSLContext {
        val theirs = KeyStore.getInstance("PKCS12")
        p12(keyOf).inputStream().use { theirs.load(it, "qorgan".toCharArray()) }
        val key = theirs.getKey("server", "qorgan".toCharArray())
        val ks = KeyStore.getInstance("PKCS12").apply { load(null, null) }
        ks.setKeyEntry("server", key, "qorgan".toCharArray(), chain(scenario).toTypedArray())
        val kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm())
        kmf.init(ks, "qorgan".toCharArray())
        return SSLContext.getInstance("TLS").apply { init(kmf.keyManagers, null, null) }
    }
}

/**
 * A real HTTPS server on 127.0.0.1 (ephemeral port) serving [scenario]'s certificate with the
 * JDK's TLS stack: answers every request with `200 ok` and closes. Stops when closed, and by
 * itself after [lifetimeSeconds] at the latest.
 */
class TlsServer(
    scenario: String,
    lifetimeSeconds: Long = 60,
    context: SSLContext = TestCa.serverContext(scenario),
) : AutoCloseable {
    private val socket: SSLServerSocket =
        context.serverSocketFactory.createServerSocket() as SSLServerSocket
    private val deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(lifetimeSeconds)
    val handshakes = AtomicInteger()
    val handshakeFailures = AtomicInteger()
    val port: Int
    private val thread: Thread

    init {
        socket.bind(InetSocketAddress(InetAddress.getByName(HOST), 0))
        socket.soTimeout = 200
        port = socket.localPort
        thread = Thread(::serve, "tls-server-$scenario-$port").apply { isDaemon = true; start() }
    }

    val url get() = "https://$HOST:$port/"

    private fun serve() {
        try {
            while (!socket.isClosed && System.nanoTime() < deadline) {
                val client = try {
                    socket.accept() as SSLSocket
                } catch (_: SocketTimeoutException) {
                    continue
                }
                client.use { c ->
                    try {
                        c.soTimeout = 5_000
                        c.startHandshake()
                        handshakes.incrementAndGet()
                        val input = c.inputStream.bufferedReader()
                        while (true) {
                            val line = input.readLine() ?: break
                            if (line.isEmpty()) break
                        }
                        c.outputStream.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok".toByteArray())
                        c.outputStream.flush()
                    } catch (_: java.io.IOException) {
                        handshakeFailures.incrementAndGet()
                    }
                }
            }
        } catch (_: java.io.IOException) {
            // closed
        } finally {
            socket.close()
        }
    }

    override fun close() {
        socket.close()
        thread.join(5_000)
    }
}

/** GET [url] with HttpsURLConnection through [tm]; returns the body. */
fun httpsUrlConnectionGet(url: String, tm: QorganTrustManager, proxy: Proxy? = null): String {
    val c = (if (proxy != null) URL(url).openConnection(proxy) else URL(url).openConnection()) as HttpsURLConnection
    c.sslSocketFactory = tm.sslSocketFactory()
    c.connectTimeout = 5_000
    c.readTimeout = 5_000
    c.useCaches = false
    try {
        return c.inputStream.use { it.readBytes().decodeToString() }
    } finally {
        c.disconnect()
    }
}

/** GET [url] with OkHttp 5 through [tm] (`sslSocketFactory(factory, trustManager)`); returns the body. */
fun okHttpGet(url: String, tm: QorganTrustManager, proxy: Proxy? = null): String {
    val client = OkHttpClient.Builder()
        .sslSocketFactory(tm.sslSocketFactory(), tm)
        .also { b -> proxy?.let { b.proxy(it) } }
        .connectTimeout(5, TimeUnit.SECONDS)
        .readTimeout(5, TimeUnit.SECONDS)
        .callTimeout(15, TimeUnit.SECONDS)
        .retryOnConnectionFailure(false)
        .build()
    try {
        return client.newCall(Request.Builder().url(url).build()).execute().use { r ->
            check(r.isSuccessful) { "HTTP ${r.code}" }
            r.body.string()
        }
    } finally {
        client.dispatcher.executorService.shutdown()
        client.connectionPool.evictAll()
    }
}

/** Collects reports (thread-safe). */
class Reports : QorganReportListener {
    val all: MutableList<Report> = Collections.synchronizedList(mutableListOf())
    override fun onReport(report: Report) {
        all += report
    }

    fun single(): Report {
        val copy = synchronized(all) { all.toList() }
        assertEquals(1, copy.size, "number of reports delivered")
        return copy[0]
    }
}

/** Collects log lines (thread-safe). */
class Logs : QorganLogger {
    val all: MutableList<Pair<String, Throwable?>> = Collections.synchronizedList(mutableListOf())
    override fun warn(message: String, error: Throwable?) {
        all += message to error
    }
}

/**
 * A plain TCP server on 127.0.0.1 for one connection at a time: reads the client's first bytes
 * (its ClientHello), runs [answer] on the socket, waits [holdMillis] (a silent server), then
 * closes. What blocking middleboxes do: cut, answer with an alert, or drop packets.
 */
class RawServer(private val holdMillis: Long = 0, private val answer: (java.net.Socket) -> Unit) : AutoCloseable {
    private val server = java.net.ServerSocket(0, 8, InetAddress.getByName(HOST))
    val port: Int = server.localPort
    private val thread = Thread({
        while (!server.isClosed) {
            val s = try {
                server.accept()
            } catch (e: java.io.IOException) {
                break
            }
            try {
                s.soTimeout = 5_000
                s.getInputStream().read(ByteArray(16 * 1024))
                answer(s)
                if (holdMillis > 0) Thread.sleep(holdMillis)
            } catch (e: Exception) {
                // the client went away first
            } finally {
                s.close()
            }
        }
    }, "raw-server-$port").apply { isDaemon = true; start() }

    override fun close() = server.close()
}

/**
 * An HTTP proxy on loopback that only tunnels (`CONNECT host:port`), to loopback targets only.
 * Each tunnel pumps bytes both ways on daemon threads; [close] stops accepting and closes every
 * tunnel. [connects] holds the CONNECT targets seen, in order.
 */
class ConnectProxy : AutoCloseable {
    private val server = ServerSocket(0, 50, InetAddress.getByName(HOST))
    private val open: MutableList<Socket> = Collections.synchronizedList(mutableListOf())
    val connects: MutableList<String> = Collections.synchronizedList(mutableListOf())
    val port: Int = server.localPort
    val proxy: Proxy get() = Proxy(Proxy.Type.HTTP, InetSocketAddress(HOST, port))

    init {
        Thread({
            while (!server.isClosed) {
                val client = try { server.accept() } catch (_: java.io.IOException) { break }
                open += client
                Thread({ tunnel(client) }, "connect-proxy-$port").apply { isDaemon = true; start() }
            }
        }, "connect-proxy-accept-$port").apply { isDaemon = true; start() }
    }

    private fun tunnel(client: Socket) {
        try {
            client.soTimeout = 10_000
            val input = client.getInputStream()
            // The request head, byte by byte up to the blank line (nothing of the tunnel is read).
            val head = StringBuilder()
            while (!head.endsWith("\r\n\r\n")) {
                val b = input.read()
                if (b < 0 || head.length > 8192) return
                head.append(b.toChar())
            }
            val target = Regex("^CONNECT (\\S+):(\\d+) HTTP/1\\.[01]\r\n").find(head)
            if (target == null) {
                client.getOutputStream().write("HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n".toByteArray())
                return
            }
            val (host, port) = target.destructured
            connects += "$host:$port"
            require(host == LOCALHOST || InetAddress.getByName(host).isLoopbackAddress) { "not a loopback target: $host" }
            val upstream = Socket(InetAddress.getByName(HOST), port.toInt())
            open += upstream
            client.getOutputStream().write("HTTP/1.1 200 Connection established\r\n\r\n".toByteArray())
            client.getOutputStream().flush()
            val back = Thread({ pump(upstream, client) }, "connect-proxy-back-$port").apply { isDaemon = true; start() }
            pump(client, upstream)
            back.join(10_000)
        } catch (_: Exception) {
        } finally {
            client.close()
        }
    }

    private fun pump(from: Socket, to: Socket) {
        try {
            from.getInputStream().copyTo(to.getOutputStream())
        } catch (_: java.io.IOException) {
        } finally {
            // one side done: end both (a TLS client that gave up has nothing more to say)
            from.close()
            to.close()
        }
    }

    override fun close() {
        server.close()
        synchronized(open) { open.forEach { runCatching { it.close() } } }
    }
}

/**
 * `openssl s_server` presenting [scenario]'s chain at security level 0, for what a JDK server
 * will not serve (RSA-1024 keys with SHA-1 handshake signatures...). [args] go to s_server as
 * they are. Stops after [connections] handshakes, or when closed.
 */
class OpensslServer(scenario: String, connections: Int = 1, vararg args: String) : AutoCloseable {
    private val process: Process
    private val extraChain: File?
    val port: Int

    init {
        val dir = File(TestCa.repo, "rust-core/engine/tests/test-ca/$scenario")
        val end = "-----END CERTIFICATE-----"
        val rest = File(dir, "chain.pem").readText().substringAfter(end, "").trim()
        extraChain = if (rest.isEmpty()) null else File.createTempFile("qorgan-chain-", ".pem").apply { writeText(rest + "\n") }
        val command = mutableListOf(
            "openssl", "s_server", "-accept", "$HOST:0", "-naccept", connections.toString(),
            "-cert", File(dir, "leaf.pem").path, "-key", File(dir, "leaf.key").path, "-cipher", "DEFAULT:@SECLEVEL=0",
        )
        extraChain?.let { command += listOf("-cert_chain", it.path) }
        command += args
        // stdin stays open (s_server quits at the end of its input); stderr is not read.
        process = ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start()
        val out = process.inputStream.bufferedReader()
        var found: Int? = null
        while (found == null) {
            val line = out.readLine() ?: run { process.destroy(); error("openssl s_server $scenario did not start") }
            found = line.trim().removePrefix("ACCEPT ").takeIf { it != line.trim() }?.substringAfterLast(':')?.toInt()
        }
        port = found
        Thread({ runCatching { out.readText() } }, "openssl-s_server-$port").apply { isDaemon = true; start() }
    }

    override fun close() {
        process.destroy()
        process.waitFor(5, TimeUnit.SECONDS)
        extraChain?.delete()
    }
}
