package kz.qorgan.android

import android.content.Context
import android.content.res.Resources
import android.net.http.X509TrustManagerExtensions
import android.os.Build
import android.util.Log
import java.security.KeyStore
import java.security.cert.CertificateException
import java.security.cert.X509Certificate
import javax.net.ssl.X509TrustManager
import kz.qorgan.QorganChecker
import kz.qorgan.QorganLogger
import kz.qorgan.QorganPinPolicy
import kz.qorgan.QorganTrustManager
import kz.qorgan.TrustStoreAudit
import kz.qorgan.ValidatedChainBuilder
import kz.qorgan.isUserAlias
import kz.qorgan.ffi.DevicePlatform
import kz.qorgan.ffi.PlatformView
import kz.qorgan.ffi.Qorgan
import kz.qorgan.ffi.QorganConfig
import kz.qorgan.ffi.TrustedCertificate
import org.xmlpull.v1.XmlPullParser

// The Android-only part of Qorgan: everything here needs the Android SDK (android.*) and is not
// compiled by scripts/test-kotlin.sh. The logic it feeds (QorganTrustManager, TrustStoreAudit) is
// plain JVM code and is tested there.

/**
 * Qorgan on Android: one call gives an OkHttp-ready trust manager that knows the device's own
 * trust store.
 *
 * ```kotlin
 * class App : Application() {
 *     val trustManager by lazy {
 *         QorganAndroid.trustManager(this) {
 *             mode(QorganTrustManager.Mode.REPORT_ONLY)
 *             reportListener { report -> ReportUploader.enqueue(report.json) }
 *         }
 *     }
 * }
 * val client = OkHttpClient.Builder()
 *     .sslSocketFactory(app.trustManager.sslSocketFactory(), app.trustManager)
 *     .build()
 * ```
 *
 * ## Why the device store matters
 *
 * Since Android 7 (API 24) apps ignore user-installed CAs unless their Network Security Config
 * opts in, so an interception root installed by the user is refused by the platform already —
 * but not in apps that opt in, not in WebViews of some vendors, not for CAs pushed by a
 * device-policy app into the system store of a managed device, and not on rooted devices where
 * the "user" CA was copied into the system store. Qorgan therefore checks the anchor of every
 * validated chain by key, and tells the app which roots are installed at all
 * ([auditTrustStore]), including the Kazakh government roots the 2019 and later campaigns
 * asked users to install.
 *
 * User-installed certificates are recognised by their `AndroidCAStore` alias (`user:...`) and by
 * `X509TrustManagerExtensions.isUserAddedCertificate`.
 *
 * All functions may be called from any thread; they read the key store and parse certificates,
 * so call them off the main thread.
 */
object QorganAndroid {
    /** The logcat tag. */
    const val TAG = "Qorgan"

    /** The key store type of Android's CA store (API 14+). */
    const val ANDROID_CA_STORE = "AndroidCAStore"

    @Volatile
    private var initialized = false

    @Volatile
    private var sharedEngine: Qorgan? = null

    /**
     * Loads the native engine and connects it to the platform. Idempotent; [trustManager],
     * [qorgan] and [auditTrustStore] call it.
     *
     * @throws IllegalStateException when `libqorgan_ffi.so` is missing for this device's ABI, with
     *   the ABIs the device supports and where Android looked.
     */
    @JvmStatic
    fun initialize(context: Context) {
        if (initialized) return
        synchronized(this) {
            if (initialized) return
            val app = context.applicationContext ?: context
            try {
                // JNA would load it lazily on the first call; loading it here turns a packaging
                // mistake into one clear error at start-up instead of a failed handshake later.
                System.loadLibrary("qorgan_ffi")
            } catch (e: UnsatisfiedLinkError) {
                throw IllegalStateException(
                    "Qorgan: libqorgan_ffi.so is not packaged for this device (ABIs: " +
                        Build.SUPPORTED_ABIS.joinToString() + "; native library dir: " +
                        app.applicationInfo.nativeLibraryDir + "). The Qorgan AAR ships arm64-v8a, " +
                        "armeabi-v7a and x86_64: build it with scripts/build-android.sh, and do not filter " +
                        "those ABIs out (android.defaultConfig.ndk.abiFilters / splits).",
                    e,
                )
            }
            initialized = true
        }
    }

    /** Android's CA store, loaded: `system:` and `user:` aliases, disabled system CAs absent. */
    @JvmStatic
    fun loadCaStore(): KeyStore = KeyStore.getInstance(ANDROID_CA_STORE).apply { load(null) }

    /**
     * The platform's default trust manager: `TrustManagerFactory` initialised with a null
     * `KeyStore`, which applies the app's Network Security Config (API 24+).
     */
    @JvmStatic
    fun platformTrustManager(): X509TrustManager = QorganTrustManager.platformTrustManager(null)

    /**
     * Every certificate of AndroidCAStore, marked user-added when its alias is `user:...` or the
     * platform says so (`isUserAddedCertificate`).
     */
    @JvmStatic
    @JvmOverloads
    fun trustedCertificates(trustManager: X509TrustManager = platformTrustManager()): List<TrustedCertificate> {
        val userAdded = userAddedCheck(trustManager)
        return kz.qorgan.trustedCertificates(loadCaStore()) { alias, cert -> userAdded(alias, cert) }
    }

    /**
     * A process-wide engine that knows AndroidCAStore, for audits and for sharing. Built once;
     * call [refresh] after the user changed the trust store (for example when the app returns to
     * the foreground from the security settings).
     */
    @JvmStatic
    fun qorgan(context: Context): Qorgan {
        sharedEngine?.let { return it }
        synchronized(this) {
            sharedEngine?.let { return it }
            initialize(context)
            val engine = Qorgan(
                QorganConfig(
                    trustedCertificates = trustedCertificates(),
                    allowedAnchorPins = emptyList(),
                    platform = PlatformView.ANDROID,
                    reportDedupSeconds = QorganTrustManager.DEFAULT_DEDUP_SECONDS.toULong(),
                    language = kz.qorgan.deviceLanguage(),
                ),
            )
            sharedEngine = engine
            return engine
        }
    }

    /** Forgets the engine of [qorgan], so that the next call reads AndroidCAStore again. */
    @JvmStatic
    fun refresh() {
        synchronized(this) { sharedEngine = null }
    }

    /**
     * Audits AndroidCAStore: each installed root, whether the user added it, and which ones are
     * known interception CAs.
     */
    @JvmStatic
    fun auditTrustStore(context: Context): TrustStoreAudit.Result {
        val userAdded = userAddedCheck(platformTrustManager())
        return TrustStoreAudit(qorgan(context)).audit(loadCaStore()) { alias, cert -> userAdded(alias, cert) }
    }

    /**
     * A [QorganTrustManager] over the platform's default trust manager, with the chain the
     * platform validated taken from `X509TrustManagerExtensions`, the device's CA store (with its
     * user-added flags), Android's public root program and logcat. [configure] adjusts the
     * builder (mode, allowed anchors, report listener); it must not call `qorgan(...)`, which
     * would replace the engine configured here (use [QorganTrustManager.Builder] directly for
     * that).
     */
    @JvmStatic
    @JvmOverloads
    fun trustManager(
        context: Context,
        configure: QorganTrustManager.Builder.() -> Unit = {},
    ): QorganTrustManager {
        initialize(context)
        val platform = platformTrustManager()
        return trustManager(platform, trustedCertificates(platform), configure)
    }

    /**
     * [trustManager] over a given platform trust manager and the certificates of the device's CA
     * store: the Robolectric tests give Conscrypt's trust manager and a store of their own, since
     * Robolectric has no AndroidCAStore.
     */
    internal fun trustManager(
        platform: X509TrustManager,
        trustedCertificates: List<TrustedCertificate>,
        configure: QorganTrustManager.Builder.() -> Unit,
    ): QorganTrustManager = QorganTrustManager.Builder()
        .delegate(platform)
        .validatedChainBuilder(AndroidValidatedChainBuilder(platform))
        .trustedCertificates(trustedCertificates)
        .platform(PlatformView.ANDROID)
        .logger(LogcatLogger)
        .apply(configure)
        .build()

    /**
     * The standalone checker on this device: audits AndroidCAStore (with its `user:`/`system:`
     * aliases and `isUserAddedCertificate`) and probes the default targets, with Android's root
     * program as "public" and Android removal steps in the advice. [configure] adjusts the
     * builder (targets, timeout, executor).
     *
     * ```kotlin
     * val checker = QorganAndroid.checker(context)
     * checker.runAsync { result, error -> runOnUiThread { show(result, error) } }
     * // or, in a coroutine: val result = checker.check()
     * ```
     *
     * Reads the CA store at each run, so a certificate the person just removed is gone from the
     * next one. Each probe is a handshake by Android's own TLS stack; `platformTrusted` is
     * Android's verdict on the chain through the same store (user CAs included).
     */
    @JvmStatic
    @JvmOverloads
    fun checker(context: Context, configure: QorganChecker.Builder.() -> Unit = {}): QorganChecker {
        initialize(context)
        val userAdded = userAddedCheck(platformTrustManager())
        return QorganChecker.Builder()
            .trustStore { loadCaStore() }
            .userAdded(userAdded)
            .platform(PlatformView.ANDROID)
            .devicePlatform(DevicePlatform.ANDROID)
            .logger(LogcatLogger)
            .apply(configure)
            .build()
    }

    /**
     * The text of an XML resource as written, for a Network Security Config compiled into the APK
     * (`R.xml.network_security_config`): aapt stores res/xml files as binary XML, so this walks
     * the compiled document and writes it out again. Resource references (`src="@raw/my_ca"`)
     * come back as `@type/name`. Hand the result to [QorganPinPolicy.fromNetworkSecurityConfig]
     * (or use [pinPolicy]).
     *
     * @throws Resources.NotFoundException when [xmlResId] is not an XML resource.
     */
    @JvmStatic
    fun networkSecurityConfig(context: Context, xmlResId: Int): String {
        val res = context.resources
        val parser = res.getXml(xmlResId)
        try {
            val out = StringBuilder("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n")
            var event = parser.eventType
            while (event != XmlPullParser.END_DOCUMENT) {
                when (event) {
                    XmlPullParser.START_TAG -> {
                        out.append('<').append(parser.name)
                        for (i in 0 until parser.attributeCount) {
                            // tools:, android: and other namespaced attributes mean nothing to a policy.
                            if (!parser.getAttributeNamespace(i).isNullOrEmpty()) continue
                            out.append(' ').append(parser.getAttributeName(i)).append("=\"")
                                .append(xmlEscape(attributeValue(res, parser.getAttributeValue(i)))).append('"')
                        }
                        out.append('>')
                    }
                    XmlPullParser.END_TAG -> out.append("</").append(parser.name).append('>')
                    XmlPullParser.TEXT -> out.append(xmlEscape(parser.text))
                }
                event = parser.next()
            }
            return out.append('\n').toString()
        } finally {
            parser.close()
        }
    }

    /**
     * The app's Network Security Config as a checked [QorganPinPolicy], for
     * `QorganTrustManager.Builder().pinPolicy(...)` or `trustManager(context) { pinPolicy(...) }`.
     * The certificates behind `src="@raw/name"` trust anchors are read from the app's resources,
     * so that Qorgan accepts those anchors where Android trusts them (the policy's text is then
     * the engine's canonical JSON of the document).
     *
     * @throws kz.qorgan.ffi.QorganException.InvalidConfig when the engine refuses the document.
     */
    @JvmStatic
    fun pinPolicy(context: Context, xmlResId: Int): QorganPinPolicy {
        initialize(context)
        val xml = networkSecurityConfig(context, xmlResId)
        return QorganPinPolicy.fromNetworkSecurityConfig(xml, rawResources(context, xml))
    }

    /** The files behind the `src="@raw/name"` of [xml], from the app's resources, keyed as written. */
    private fun rawResources(context: Context, xml: String): Map<String, ByteArray> {
        val res = context.resources
        return RAW_SRC.findAll(xml).map { it.groupValues[1] }.distinct().mapNotNull { ref ->
            val id = res.getIdentifier(ref.removePrefix("@raw/"), "raw", context.packageName)
            // Not found: the engine warns that it cannot read it, as without resources.
            if (id == 0) null else ref to res.openRawResource(id).use { it.readBytes() }
        }.toMap()
    }

    private val RAW_SRC = Regex("""src="(@raw/[A-Za-z0-9_.]+)"""")

    /** A compiled reference (`@2131755008`) back to `@type/name`; anything else unchanged. */
    private fun attributeValue(res: Resources, value: String?): String {
        if (value == null) return ""
        val id = value.removePrefix("@").toIntOrNull()
        if (!value.startsWith("@") || id == null || id == 0) return value
        return try {
            "@" + res.getResourceTypeName(id) + "/" + res.getResourceEntryName(id)
        } catch (e: Resources.NotFoundException) {
            value
        }
    }

    private fun xmlEscape(s: String): String = buildString(s.length) {
        for (c in s) {
            when (c) {
                '<' -> append("&lt;")
                '>' -> append("&gt;")
                '&' -> append("&amp;")
                '"' -> append("&quot;")
                else -> append(c)
            }
        }
    }

    private fun userAddedCheck(trustManager: X509TrustManager): (String, X509Certificate) -> Boolean {
        val extensions = try {
            X509TrustManagerExtensions(trustManager)
        } catch (e: IllegalArgumentException) {
            null // not a platform trust manager: the alias is all we have
        }
        return { alias, cert -> isUserAlias(alias) || extensions?.isUserAddedCertificate(cert) == true }
    }
}

/**
 * The chain Android validated, from the platform itself:
 * `X509TrustManagerExtensions.checkServerTrusted(chain, authType, host)` (API 17) validates again
 * for [host] (Network Security Config and its pins included) and returns the path it built, leaf
 * first, anchor last. Validating twice costs a few milliseconds per new TLS session; in exchange
 * Qorgan judges exactly the anchor Android relied on.
 *
 * @throws IllegalArgumentException when [trustManager] is not a platform trust manager (Android
 *   accepts its own, or any with a `checkServerTrusted(X509Certificate[], String, String)` method).
 */
class AndroidValidatedChainBuilder(trustManager: X509TrustManager) : ValidatedChainBuilder {
    private val extensions = X509TrustManagerExtensions(trustManager)

    @Throws(CertificateException::class)
    override fun validatedChain(chain: Array<out X509Certificate>, authType: String, host: String?): List<X509Certificate> =
        // An empty host selects the Network Security Config's base configuration.
        extensions.checkServerTrusted(arrayOf(*chain), authType, host ?: "")

    /** The platform's word that the user (or a device-policy app) installed [certificate] (API 21). */
    fun isUserAddedCertificate(certificate: X509Certificate): Boolean = extensions.isUserAddedCertificate(certificate)
}

/** Qorgan's own problems to logcat, tag "Qorgan", level WARN. */
object LogcatLogger : QorganLogger {
    override fun warn(message: String, error: Throwable?) {
        Log.w(QorganAndroid.TAG, message, error)
    }
}
