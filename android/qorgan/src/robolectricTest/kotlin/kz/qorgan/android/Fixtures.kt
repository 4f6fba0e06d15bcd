package kz.qorgan.android

import android.content.Context
import java.io.File
import java.net.InetAddress
import java.security.KeyStore
import java.security.cert.CertificateFactory
import java.security.cert.X509Certificate
import javax.net.ssl.KeyManagerFactory
import javax.net.ssl.SSLContext
import javax.net.ssl.SSLServerSocket
import javax.net.ssl.SSLSocket
import javax.net.ssl.TrustManagerFactory
import javax.net.ssl.X509TrustManager
import kotlin.concurrent.thread
import kz.qorgan.QorganTrustManager
import org.robolectric.RuntimeEnvironment

/** The checkout (scripts/test-android.sh passes -Dqorgan.repo). */
val repo: File = File(System.getProperty("qorgan.repo") ?: error("run with -Dqorgan.repo=<checkout>"))

/** The test app's context: Robolectric's application over src/robolectricTest/res. */
val context: Context get() = RuntimeEnvironment.getApplication()

/** The id of `res/xml/[name].xml` (R.xml.name), looked up by name: the tests have no R class. */
fun xml(name: String): Int = context.resources.getIdentifier(name, "xml", context.packageName).also {
    check(it != 0) { "no res/xml/$name.xml in the test resources (scripts/test-android.sh compiles src/robolectricTest/res)" }
}

/** The test certificates of rust-core/engine/tests/test-ca (scripts/make-test-ca.sh), as the JVM tests use them. */
object TestCerts {
    private val dir = File(repo, "rust-core/engine/tests/test-ca")

    private fun read(file: File): List<X509Certificate> = file.inputStream().use { s ->
        CertificateFactory.getInstance("X.509").generateCertificates(s).map { it as X509Certificate }
    }

    fun root(scenario: String): X509Certificate = read(File(dir, "$scenario/root.pem")).single()

    /** Leaf first, as the server sends it. */
    fun chain(scenario: String): Array<X509Certificate> = read(File(dir, "$scenario/chain.pem")).toTypedArray()

    /** A key store holding [scenario]'s root under [alias] (`user:...` marks it user-installed, as AndroidCAStore does). */
    fun store(scenario: String, alias: String): KeyStore = KeyStore.getInstance(KeyStore.getDefaultType()).apply {
        load(null, null)
        setCertificateEntry(alias, root(scenario))
    }

    /**
     * Open-source Conscrypt's trust manager (`org.conscrypt.TrustManagerImpl`, the code the
     * platform's `com.android.org.conscrypt` is built from) trusting [scenario]'s root: what
     * Android's default trust manager is, without Android's native crypto, which Robolectric lacks.
     */
    fun conscryptTrustManager(scenario: String): X509TrustManager {
        val factory = TrustManagerFactory.getInstance("PKIX", org.conscrypt.Conscrypt.newProvider())
        factory.init(store(scenario, "user:$scenario"))
        return factory.trustManagers.filterIsInstance<X509TrustManager>().single()
    }

    /** A server context presenting [scenario]'s chain (server.p12, password "qorgan"). */
    fun serverContext(scenario: String): SSLContext {
        val ks = KeyStore.getInstance("PKCS12")
        File(dir, "$scenario/server.p12").inputStream().use { ks.load(it, "qorgan".toCharArray()) }
        val kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm())
        kmf.init(ks, "qorgan".toCharArray())
        return SSLContext.getInstance("TLS").apply { init(kmf.keyManagers, null, null) }
    }
}

/**
 * One real TLS handshake on loopback: a server presenting [scenario]'s chain, a client socket
 * to `localhost` from [trustManager]'s socket factory. Throws what the client's handshake threw.
 */
fun handshake(scenario: String, trustManager: QorganTrustManager) {
    val server = TestCerts.serverContext(scenario).serverSocketFactory
        .createServerSocket(0, 1, InetAddress.getLoopbackAddress()) as SSLServerSocket
    server.use {
        server.soTimeout = 10_000
        val peer = thread(isDaemon = true, name = "tls-server-$scenario") {
            runCatching { (server.accept() as SSLSocket).use { it.soTimeout = 10_000; it.startHandshake(); it.inputStream.read() } }
        }
        (trustManager.sslSocketFactory().createSocket("localhost", server.localPort) as SSLSocket).use {
            it.soTimeout = 10_000
            it.startHandshake()
        }
        peer.join(10_000)
    }
}

/**
 * Every res/xml file of the tests, as scripts/test-android.sh lists them: the resource name and
 * the file in the repository (the repository's NSC files are named `repo_<content hash>`).
 */
val nscFiles: List<Pair<String, String>> by lazy {
    val index = Thread.currentThread().contextClassLoader.getResource("kz/qorgan/android/nsc-files.tsv")
        ?: error("no kz/qorgan/android/nsc-files.tsv on the classpath (run scripts/test-android.sh)")
    index.readText().lines().filter { it.isNotBlank() }.map { line -> line.substringBefore('\t') to line.substringAfter('\t') }
}
