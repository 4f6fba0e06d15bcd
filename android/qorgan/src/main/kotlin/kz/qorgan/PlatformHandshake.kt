package kz.qorgan

import java.io.EOFException
import java.io.IOException
import java.net.ConnectException
import java.net.InetAddress
import java.net.InetSocketAddress
import java.net.NoRouteToHostException
import java.net.Socket
import java.net.SocketException
import java.net.SocketTimeoutException
import java.net.UnknownHostException
import java.nio.ByteBuffer
import java.security.cert.CertificateException
import java.security.cert.X509Certificate
import java.util.concurrent.ExecutionException
import java.util.concurrent.FutureTask
import java.util.concurrent.TimeUnit
import java.util.concurrent.TimeoutException
import javax.net.ssl.SNIHostName
import javax.net.ssl.SSLContext
import javax.net.ssl.SSLEngine
import javax.net.ssl.SSLEngineResult.HandshakeStatus
import javax.net.ssl.SSLEngineResult.Status
import javax.net.ssl.SSLException
import javax.net.ssl.X509ExtendedTrustManager
import kz.qorgan.ffi.HandshakeObservation
import kz.qorgan.ffi.HandshakeOutcome
import kz.qorgan.ffi.ProbeError
import kz.qorgan.ffi.ProbeErrorCode
import kz.qorgan.ffi.TlsInfo

/**
 * One probe's handshake, made with the platform's own TLS stack (Conscrypt on Android, JSSE on a
 * JVM): what the phone's apps themselves would see. The engine then judges what was seen
 * (`Qorgan.judgeHandshake`); the phone library carries no TLS client of its own.
 *
 * How it stays safe and informative:
 * - The chain is accepted only to be examined: a capturing trust manager records it, while the
 *   TLS stack still verifies the server's handshake signature (the server holds the leaf's key).
 *   A weak chain (RSA-1024, SHA-1) completes where the platform's TLS stack allows it (a JVM's
 *   JSSE does, see android/README.md). When the handshake fails after the chain was presented
 *   (a signature the stack refuses or that does not verify), [Observed.interrupted] still carries
 *   the chain, so that it is judged and a known interception CA named, with the failure kept.
 *   No application data is ever sent; the connection is closed right after the handshake.
 * - The operating system's own verdict comes from [platformTrust] (the device's trust store, user
 *   CAs included), asked for this host name inside the handshake.
 * - The handshake runs on an [SSLEngine] over a plain socket, so every byte the server sends is
 *   seen: a connection cut before any answer (how SNI-based blocking looks) is told apart from a
 *   later failure, and a TLS alert from the server is named.
 * - Everything (DNS, connect, handshake) fits in one time limit.
 */
internal class PlatformHandshake(
    /** The OS verdict on a chain; null: the verdict is unavailable. */
    private val platformTrust: X509ExtendedTrustManager?,
) {
    /**
     * What [observe] saw: the observation for `judgeHandshake`, and, when the handshake failed
     * after the server presented its chain (the platform refused its handshake signature, for
     * instance), that chain as a completed outcome, so that it can be judged all the same: a
     * known interception CA is then named rather than hidden behind the error.
     */
    class Observed(val observation: HandshakeObservation, val interrupted: HandshakeOutcome.Completed?)

    /** The handshake's state, for [observe] to look at after a failure. */
    private class Attempt {
        var capture: CapturingTrustManager? = null
        var engine: SSLEngine? = null
    }

    /** Connects to [host] (or [connectAddress]) and observes the handshake. Never throws for network failures. */
    fun observe(host: String, port: Int, connectAddress: String?, timeoutMillis: Int): Observed {
        val attempt = Attempt()
        val observation = attempt(host, port, connectAddress, timeoutMillis, attempt)
        val chain = attempt.capture?.chain
        if (observation.outcome !is HandshakeOutcome.Failed || chain == null) return Observed(observation, null)
        val session = try {
            attempt.engine?.handshakeSession ?: attempt.engine?.session
        } catch (e: RuntimeException) {
            null
        }
        val tls = TlsInfo(
            version = session?.protocol?.takeIf { it != "NONE" } ?: "",
            cipherSuite = session?.cipherSuite?.takeIf { it != "SSL_NULL_WITH_NULL_NULL" } ?: "",
            alpn = null,
        )
        return Observed(
            observation,
            HandshakeOutcome.Completed(chain.map { it.encoded }, tls, attempt.capture?.platformTrusted),
        )
    }

    private fun attempt(host: String, port: Int, connectAddress: String?, timeoutMillis: Int, attempt: Attempt): HandshakeObservation {
        val start = System.nanoTime()
        val deadline = start + TimeUnit.MILLISECONDS.toNanos(timeoutMillis.toLong())
        // A failure before any connection reports the port that was to be used.
        val given: InetSocketAddress? = connectAddress?.let(::parseAddress)
        fun elapsedMs() = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start).toULong()
        fun failed(code: ProbeErrorCode, message: String, peer: InetSocketAddress? = null) = HandshakeObservation(
            host = host,
            port = (peer ?: given)?.port?.toUShort() ?: port.toUShort(),
            address = peer?.let(::formatAddress),
            elapsedMs = elapsedMs(),
            outcome = HandshakeOutcome.Failed(ProbeError(code, message)),
        )
        fun remainingMs(): Long = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())

        // 1. Addresses: the given one, or the host's, resolved within the time limit.
        val candidates: List<InetSocketAddress> = if (given != null) {
            listOf(given)
        } else {
            when (val resolved = resolve(host, remainingMs())) {
                is Resolved.Addresses -> resolved.addresses.map { InetSocketAddress(it, port) }
                is Resolved.Failure -> return failed(resolved.code, resolved.message)
            }
        }

        // 2. A TCP connection to the first address that accepts one.
        var connected: Pair<Socket, InetSocketAddress>? = null
        var lastError = ""
        var timedOut = false
        var refused = true // every address refused (nothing listens): the host is up and reached
        for (candidate in candidates) {
            val left = remainingMs()
            if (left <= 0) break
            val s = Socket()
            try {
                s.connect(candidate, left.toInt().coerceAtLeast(1))
                connected = s to candidate
                break
            } catch (e: IOException) {
                s.close()
                lastError = "${formatAddress(candidate)}: ${e.message ?: e.javaClass.simpleName}"
                if (e !is ConnectException || e.message?.contains("refused", ignoreCase = true) != true) refused = false
                if (e is SocketTimeoutException) {
                    timedOut = true // the time limit is spent
                    break
                }
            }
        }
        val (socket, peer) = connected ?: return if (timedOut || remainingMs() <= 0) {
            failed(ProbeErrorCode.TIMEOUT, "connecting to $host took longer than the timeout")
        } else if (refused && lastError.isNotEmpty()) {
            failed(ProbeErrorCode.CONNECTION_REFUSED, "$host refused the connection: $lastError")
        } else {
            failed(ProbeErrorCode.CONNECT_FAILED, "could not connect to $host: $lastError")
        }

        // 3. The handshake.
        return socket.use { s ->
            s.tcpNoDelay = true
            val capture = CapturingTrustManager(platformTrust)
            val engine = newEngine(host, peer.port, capture)
            attempt.capture = capture
            attempt.engine = engine
            val io = EngineIo(s, engine) { remainingMs() }
            try {
                io.handshake()
            } catch (e: SocketTimeoutException) {
                return failed(ProbeErrorCode.TIMEOUT, "$host stopped answering during the TLS handshake (packets dropped?)", peer)
            } catch (e: IOException) {
                val alert = io.alertReceived ?: alertIn(e)
                return when {
                    alert != null -> failed(ProbeErrorCode.TLS_ALERT, "$host answered with the TLS alert $alert", peer)
                    io.received == 0L && (e is EOFException || e is SocketException) -> failed(
                        ProbeErrorCode.RESET_AFTER_CLIENT_HELLO,
                        "the connection to $host was cut right after the ClientHello, before any answer: " +
                            "this is how SNI-based blocking usually looks",
                        peer,
                    )
                    // The JDK's and Conscrypt's words for a first record that is not TLS (a
                    // plain-HTTP server on the port).
                    io.received > 0L && NOT_TLS.any { e.message?.contains(it, ignoreCase = true) == true } ->
                        failed(ProbeErrorCode.NOT_TLS, "$host answered, but not with TLS: ${e.message}", peer)
                    else -> failed(ProbeErrorCode.TLS_ERROR, "the TLS handshake with $host failed: ${e.message ?: e.javaClass.simpleName}", peer)
                }
            }
            val chain = capture.chain
                ?: return failed(ProbeErrorCode.TLS_ERROR, "the TLS handshake with $host ended without a server certificate", peer)
            val session = engine.session
            val tls = TlsInfo(
                version = session.protocol,
                cipherSuite = session.cipherSuite,
                alpn = negotiatedProtocol(engine),
            )
            io.close()
            HandshakeObservation(
                host = host,
                port = peer.port.toUShort(),
                address = formatAddress(peer),
                elapsedMs = elapsedMs(),
                outcome = HandshakeOutcome.Completed(chain.map { it.encoded }, tls, capture.platformTrusted),
            )
        }
    }

    private fun newEngine(host: String, port: Int, capture: CapturingTrustManager): SSLEngine {
        val context = SSLContext.getInstance("TLS")
        context.init(null, arrayOf(capture), null)
        val engine = context.createSSLEngine(host, port)
        engine.useClientMode = true
        val params = engine.sslParameters
        // Look like a browser: interceptors and blockers key on the ClientHello (SNI, ALPN).
        if (!isIpLiteral(host)) params.serverNames = listOf(SNIHostName(host))
        // The platform's verdict includes the host name (the capturing trust manager asks it).
        params.endpointIdentificationAlgorithm = "HTTPS"
        try {
            params.applicationProtocols = arrayOf("h2", "http/1.1")
        } catch (e: NoSuchMethodError) {
            // Android before API 29 has no ALPN setter: the probe goes without.
        }
        engine.sslParameters = params
        return engine
    }

    private fun negotiatedProtocol(engine: SSLEngine): String? = try {
        engine.applicationProtocol?.takeIf { it.isNotEmpty() }
    } catch (e: NoSuchMethodError) {
        null
    } catch (e: UnsupportedOperationException) {
        null
    }

    private sealed class Resolved {
        class Addresses(val addresses: List<InetAddress>) : Resolved()
        class Failure(val code: ProbeErrorCode, val message: String) : Resolved()
    }

    /** The system resolver has no time limit of its own: the lookup runs on a daemon thread. */
    private fun resolve(host: String, limitMs: Long): Resolved {
        val lookup = FutureTask { InetAddress.getAllByName(host).toList() }
        Thread(lookup, "qorgan-dns").apply { isDaemon = true }.start()
        return try {
            val addresses = lookup.get(limitMs.coerceAtLeast(1), TimeUnit.MILLISECONDS)
            if (addresses.isEmpty()) Resolved.Failure(ProbeErrorCode.DNS_FAILED, "$host has no address")
            else Resolved.Addresses(addresses)
        } catch (e: TimeoutException) {
            lookup.cancel(true)
            Resolved.Failure(ProbeErrorCode.TIMEOUT, "looking up $host took longer than the timeout")
        } catch (e: ExecutionException) {
            val cause = e.cause ?: e
            val why = if (cause is UnknownHostException) "no such name" else cause.message ?: cause.javaClass.simpleName
            Resolved.Failure(ProbeErrorCode.DNS_FAILED, "$host did not resolve: $why")
        }
    }

    /**
     * Accepts whatever chain the server presents, to examine it, and asks the platform's trust
     * manager for its own verdict on the way. Never used to trust a connection that carries data.
     */
    private class CapturingTrustManager(private val platform: X509ExtendedTrustManager?) : X509ExtendedTrustManager() {
        @Volatile var chain: List<X509Certificate>? = null
        @Volatile var platformTrusted: Boolean? = null

        override fun checkServerTrusted(chain: Array<out X509Certificate>, authType: String, engine: SSLEngine) {
            this.chain = chain.toList()
            platformTrusted = platform?.let {
                try {
                    it.checkServerTrusted(chain, authType, engine)
                    true
                } catch (e: CertificateException) {
                    false
                } catch (e: RuntimeException) {
                    null // the platform could not answer; not a verdict
                }
            }
        }

        override fun checkServerTrusted(chain: Array<out X509Certificate>, authType: String, socket: Socket?) =
            throw CertificateException("QorganChecker handshakes run on an SSLEngine")

        override fun checkServerTrusted(chain: Array<out X509Certificate>, authType: String) =
            throw CertificateException("QorganChecker handshakes run on an SSLEngine")

        override fun checkClientTrusted(chain: Array<out X509Certificate>, authType: String, engine: SSLEngine?) =
            throw CertificateException("QorganChecker is a client")

        override fun checkClientTrusted(chain: Array<out X509Certificate>, authType: String, socket: Socket?) =
            throw CertificateException("QorganChecker is a client")

        override fun checkClientTrusted(chain: Array<out X509Certificate>, authType: String) =
            throw CertificateException("QorganChecker is a client")

        override fun getAcceptedIssuers(): Array<X509Certificate> = emptyArray()
    }

    /**
     * Drives [engine]'s handshake over [socket], counting what the server sends and watching its
     * plaintext records for an alert.
     */
    private class EngineIo(private val socket: Socket, private val engine: SSLEngine, private val remainingMs: () -> Long) {
        private val input = socket.getInputStream()
        private val output = socket.getOutputStream()
        private var netIn: ByteBuffer = ByteBuffer.allocate(engine.session.packetBufferSize).apply { flip() }
        private var netOut: ByteBuffer = ByteBuffer.allocate(engine.session.packetBufferSize)
        private var app: ByteBuffer = ByteBuffer.allocate(engine.session.applicationBufferSize)
        private val readBuffer = ByteArray(16 * 1024)
        private val records = RecordWatcher()

        /** Bytes received from the server. */
        var received = 0L
            private set

        /** The alert the server sent in the clear, by name; null when none. */
        val alertReceived: String? get() = records.alert

        fun handshake() {
            engine.beginHandshake()
            var status = engine.handshakeStatus
            while (status != HandshakeStatus.FINISHED && status != HandshakeStatus.NOT_HANDSHAKING) {
                status = when (status) {
                    HandshakeStatus.NEED_WRAP -> wrap()
                    HandshakeStatus.NEED_TASK -> {
                        while (true) (engine.delegatedTask ?: break).run()
                        engine.handshakeStatus
                    }
                    else -> unwrap() // NEED_UNWRAP, and NEED_UNWRAP_AGAIN (Java 9+) by name
                }
            }
        }

        private fun wrap(): HandshakeStatus {
            netOut.clear()
            val r = engine.wrap(EMPTY, netOut)
            if (r.status == Status.BUFFER_OVERFLOW) {
                netOut = ByteBuffer.allocate(netOut.capacity() * 2)
                return engine.handshakeStatus
            }
            netOut.flip()
            output.write(netOut.array(), 0, netOut.limit())
            output.flush()
            if (r.status == Status.CLOSED) throw SSLException("the TLS engine closed during the handshake")
            return r.handshakeStatus
        }

        private fun unwrap(): HandshakeStatus {
            while (true) {
                val r = engine.unwrap(netIn, app)
                when (r.status) {
                    Status.OK -> return r.handshakeStatus
                    Status.BUFFER_UNDERFLOW -> readMore()
                    Status.BUFFER_OVERFLOW -> app = ByteBuffer.allocate(app.capacity() * 2)
                    else -> throw EOFException("the server closed the TLS connection during the handshake")
                }
            }
        }

        private fun readMore() {
            val left = remainingMs()
            if (left <= 0) throw SocketTimeoutException("the time limit ran out")
            socket.soTimeout = left.toInt().coerceAtLeast(1)
            val n = input.read(readBuffer)
            if (n < 0) throw EOFException("the server closed the connection")
            received += n
            records.feed(readBuffer, n)
            if (netIn.capacity() - netIn.remaining() < n) {
                val bigger = ByteBuffer.allocate(maxOf(netIn.capacity() * 2, netIn.remaining() + n))
                bigger.put(netIn)
                netIn = bigger
            } else {
                netIn.compact()
            }
            netIn.put(readBuffer, 0, n)
            netIn.flip()
        }

        /** Says goodbye (close_notify) without sending any application data. */
        fun close() {
            try {
                engine.closeOutbound()
                netOut.clear()
                engine.wrap(EMPTY, netOut)
                netOut.flip()
                output.write(netOut.array(), 0, netOut.limit())
                output.flush()
            } catch (e: IOException) {
                // The handshake's outcome is known; a failed goodbye changes nothing.
            }
        }
    }

    /** Follows the TLS record headers of what the server sends and names the first plaintext alert. */
    private class RecordWatcher {
        private val header = ByteArray(5)
        private var headerFill = 0
        private var bodyLength = 0
        private var bodyLeft = 0
        private var inAlert = false
        var alert: String? = null
            private set

        fun feed(bytes: ByteArray, n: Int) {
            var i = 0
            while (i < n && alert == null) {
                if (bodyLeft > 0) {
                    val take = minOf(bodyLeft, n - i)
                    val at = bodyLength - bodyLeft
                    // An alert's body: the level (1 warning, 2 fatal), then the description.
                    if (inAlert && 1 in at until at + take) alert = alertName(bytes[i + 1 - at].toInt() and 0xff)
                    bodyLeft -= take
                    i += take
                } else {
                    header[headerFill++] = bytes[i++]
                    if (headerFill == 5) {
                        headerFill = 0
                        inAlert = header[0].toInt() == 21 // ContentType.alert
                        bodyLength = ((header[3].toInt() and 0xff) shl 8) or (header[4].toInt() and 0xff)
                        bodyLeft = bodyLength
                    }
                }
            }
        }
    }

    companion object {
        private val EMPTY: ByteBuffer = ByteBuffer.allocate(0)

        /** The JSSE and BoringSSL (Conscrypt) wordings of a received alert. */
        private val RECEIVED_ALERT = Regex("""received fatal alert: ?(\w+)|(?:SSLV3|TLSV1)_ALERT_(\w+)""", RegexOption.IGNORE_CASE)

        private fun alertIn(e: Throwable): String? {
            var t: Throwable? = e
            while (t != null) {
                val m = RECEIVED_ALERT.find(t.message.orEmpty())
                if (m != null) return (m.groupValues[1].ifEmpty { m.groupValues[2] }).lowercase()
                t = t.cause
            }
            return null
        }

        /** RFC 8446 §6 and RFC 5246 §7.2 alert descriptions. */
        private fun alertName(code: Int): String = when (code) {
            0 -> "close_notify"
            10 -> "unexpected_message"
            20 -> "bad_record_mac"
            22 -> "record_overflow"
            40 -> "handshake_failure"
            42 -> "bad_certificate"
            43 -> "unsupported_certificate"
            44 -> "certificate_revoked"
            45 -> "certificate_expired"
            46 -> "certificate_unknown"
            47 -> "illegal_parameter"
            48 -> "unknown_ca"
            49 -> "access_denied"
            50 -> "decode_error"
            51 -> "decrypt_error"
            70 -> "protocol_version"
            71 -> "insufficient_security"
            80 -> "internal_error"
            86 -> "inappropriate_fallback"
            90 -> "user_canceled"
            109 -> "missing_extension"
            110 -> "unsupported_extension"
            112 -> "unrecognized_name"
            113 -> "bad_certificate_status_response"
            115 -> "unknown_psk_identity"
            116 -> "certificate_required"
            120 -> "no_application_protocol"
            else -> "number $code"
        }

        private val IPV4 = Regex("""\d{1,3}(\.\d{1,3}){3}""")

        /** SNI carries names only (RFC 6066 §3). */
        private fun isIpLiteral(host: String) = host.contains(':') || IPV4.matches(host)

        /** `IP:PORT` or `[IPv6]:PORT`, checked by [QorganChecker.Target]; IP literals never touch DNS. */
        private fun parseAddress(s: String): InetSocketAddress {
            val colon = s.lastIndexOf(':')
            val ip = s.substring(0, colon).removePrefix("[").removeSuffix("]")
            return InetSocketAddress(InetAddress.getByName(ip), s.substring(colon + 1).toInt())
        }

        private fun formatAddress(a: InetSocketAddress): String {
            val ip = a.address?.hostAddress ?: a.hostString
            return if (ip.contains(':')) "[$ip]:${a.port}" else "$ip:${a.port}"
        }
    }
}

/** How the JDK (`Unsupported or unrecognized SSL message`) and Conscrypt say the first bytes back
 *  were not a TLS record. */
private val NOT_TLS = listOf("unrecognized SSL message", "WRONG_VERSION_NUMBER", "NOT_SSL_RECORD", "plaintext connection")
