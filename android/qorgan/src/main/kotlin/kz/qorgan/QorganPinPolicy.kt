package kz.qorgan

import java.io.File
import java.io.InputStream
import java.time.LocalDate
import java.util.Date
import java.util.TimeZone
import kz.qorgan.ffi.PinPolicyBuilder
import kz.qorgan.ffi.PlatformView
import kz.qorgan.ffi.Qorgan
import kz.qorgan.ffi.QorganConfig
import kz.qorgan.ffi.QorganException
import kz.qorgan.ffi.pinPolicyToJson

/**
 * An app's pin policy, already checked by the engine: the text for
 * [QorganTrustManager.Builder.pinPolicy] (Qorgan's JSON format, or an Android Network Security
 * Config document as-is) and what was risky in it.
 *
 * ```kotlin
 * val policy = QorganPinPolicy.Builder()
 *     .add("**.example.com",
 *          "sha256/C5+lpZ7tcVwmwQIMcRtPbsQtWLABXhQzejna0wHFr8M=",   // your CA's key
 *          "sha256/<the backup key you hold>")
 *     .expiration("2027-01-31")          // fails open from that day on (00:00 UTC)
 *     .reportOnly()                      // measure first; enforce in a later release
 *     .reportUri("https://reports.example.com/pins")
 *     .build()
 * val trustManager = QorganTrustManager.Builder().pinPolicy(policy).build()
 * ```
 *
 * or the app's own `res/xml/network_security_config.xml`, unchanged
 * ([fromNetworkSecurityConfig]; on Android `QorganAndroid.networkSecurityConfig(context, R.xml...)`
 * reads it from the APK).
 *
 * How pins are checked (the engine's rules, `rust-core/engine/src/pinning`):
 *
 * - on the chain the platform **validated**, never on what the server merely sent: a CA
 *   certificate an attacker appends cannot satisfy a pin;
 * - only the most specific rule for a host applies (`api.example.com` over `*.example.com` over
 *   `**.example.com`). **Where OkHttp differs:** `CertificatePinner` takes the union of the pins
 *   of every matching pattern; Qorgan does not, so a broad rule cannot weaken a narrow one;
 * - a root installed on the device (by the user, an MDM, a government) never bypasses pins; only
 *   [Builder.dangerousDebugOverride] in an engine built with
 *   [QorganTrustManager.Builder.dangerousDebugBuild] does, and the mismatch is still reported;
 * - pins past their expiration date are not enforced (the app fails open rather than locking its
 *   users out) and every check says so (finding `pin_policy_expired`).
 *
 * Pinning is dangerous, as OkHttp's documentation says: a pin set that no longer matches your
 * servers' keys locks every installed copy of the app out until users update. Pin at least two
 * keys (one a backup you hold, or a second CA's), set an expiration, and ship report-only first.
 *
 * Immutable and thread-safe. Equal when the texts are equal.
 */
class QorganPinPolicy private constructor(
    /** The policy as the engine reads it (`QorganConfig.pinPolicy`): JSON, or NSC XML as given. */
    val text: String,
    /**
     * What was risky when the engine loaded it (a single pin without a backup, expired pins, an
     * ignored `overridePins`), one sentence each. Worth logging in debug builds.
     */
    val warnings: List<String>,
) {
    /** True when [text] is a Network Security Config document (XML), false for JSON. */
    val isNetworkSecurityConfig: Boolean get() = firstSignificantChar(text) == '<'

    override fun equals(other: Any?): Boolean = other is QorganPinPolicy && other.text == text
    override fun hashCode(): Int = text.hashCode()
    override fun toString(): String = text

    companion object {
        /**
         * Loads and checks a policy: Qorgan's JSON format or a Network Security Config document,
         * told apart by the first character that is not white space (`{` or `<`). Keeps [text]
         * as given.
         *
         * @throws QorganException.InvalidConfig with the engine's message (`pin policy: ...`,
         *   with a line and column for XML, a JSON path for JSON).
         */
        @JvmStatic
        @Throws(QorganException::class)
        fun fromText(text: String): QorganPinPolicy {
            // The engine is the only judge of a policy: load it once, keep its warnings.
            val engine = Qorgan(
                QorganConfig(
                    trustedCertificates = emptyList(),
                    allowedAnchorPins = emptyList(),
                    platform = PlatformView.ANY,
                    reportDedupSeconds = 0uL,
                    pinPolicy = text,
                ),
            )
            return engine.use { QorganPinPolicy(text, it.pinPolicyWarnings()) }
        }

        /**
         * An Android Network Security Config document, as in `res/xml/network_security_config.xml`
         * (its `<pin-set>`s, `<domain-config>`s, `<trust-anchors>` and `<debug-overrides>`).
         * `src="@raw/..."` anchors cannot be read here (a warning says so): give their files to
         * the overload with `resources`.
         *
         * On a device the file in the APK is compiled binary XML: use
         * `QorganAndroid.pinPolicy(context, R.xml.network_security_config)`, which turns it back
         * into text and reads the `@raw` files from the resources.
         *
         * @throws QorganException.InvalidConfig when it is not XML or the engine refuses it.
         */
        @JvmStatic
        @Throws(QorganException::class)
        fun fromNetworkSecurityConfig(xml: String): QorganPinPolicy {
            requireXml(xml)
            return fromText(xml)
        }

        private fun requireXml(xml: String) {
            if (firstSignificantChar(xml) != '<') {
                throw QorganException.InvalidConfig(
                    "pin policy: not a Network Security Config document (it does not start with '<'); " +
                        "for Qorgan's JSON format use QorganPinPolicy.fromJson",
                )
            }
        }

        /**
         * An Android Network Security Config document with the certificate files behind its
         * `<certificates src="@raw/name"/>` trust anchors, keyed as written (`"@raw/name"`, PEM or
         * DER): their keys become anchors the owner accepts, as Android trusts them. The engine
         * cannot read those files later, so the policy's [text] is then the engine's canonical
         * JSON of the document (its warnings are the document's); without [resources] this is
         * [fromNetworkSecurityConfig]`(xml)`.
         *
         * @throws QorganException.InvalidConfig when it is not XML, the engine refuses it, or a
         *   certificate file is unusable.
         */
        @JvmStatic
        @Throws(QorganException::class)
        fun fromNetworkSecurityConfig(xml: String, resources: Map<String, ByteArray>): QorganPinPolicy {
            if (resources.isEmpty()) return fromNetworkSecurityConfig(xml)
            requireXml(xml) // the engine reads the document once, below
            val built = pinPolicyToJson(xml, resources)
            return QorganPinPolicy(built.text, built.warnings)
        }

        /**
         * A policy in Qorgan's JSON format (documented in `rust-core/engine/src/pinning/json.rs`).
         *
         * @throws QorganException.InvalidConfig when it is not JSON or the engine refuses it.
         */
        @JvmStatic
        @Throws(QorganException::class)
        fun fromJson(json: String): QorganPinPolicy {
            if (firstSignificantChar(json) != '{') {
                throw QorganException.InvalidConfig(
                    "pin policy: not a JSON object (it does not start with '{'); for a Network Security Config " +
                        "document use QorganPinPolicy.fromNetworkSecurityConfig",
                )
            }
            return fromText(json)
        }

        /** Reads [stream] as UTF-8 (closing it) and loads it with [fromText]. */
        @JvmStatic
        @Throws(QorganException::class, java.io.IOException::class)
        fun read(stream: InputStream): QorganPinPolicy = fromText(stream.use { it.readBytes().decodeToString() })

        /** Reads [file] as UTF-8 and loads it with [fromText]. */
        @JvmStatic
        @Throws(QorganException::class, java.io.IOException::class)
        fun read(file: File): QorganPinPolicy = fromText(file.readText())

        private fun firstSignificantChar(s: String): Char? = s.firstOrNull { !it.isWhitespace() && it != '\uFEFF' }
    }

    /**
     * Builds a policy in code, as OkHttp's `CertificatePinner.Builder` does: a thin wrapper over
     * the engine's builder ([PinPolicyBuilder], `rust-core/ffi/src/pins.rs`), which checks the
     * policy and writes it in Qorgan's JSON format (the same text the iOS
     * `QorganPinPolicy.Builder` gives, since it wraps the same builder).
     *
     * Patterns are OkHttp's: `example.com` (that host only), `*.example.com` (exactly one more
     * label), `**.example.com` (`example.com` and every name under it). Pins are `sha256/<base64>`
     * (or bare base64) of the SHA-256 of a SubjectPublicKeyInfo, as printed by a
     * [QorganCertificateException] or [QorganTrustManager.pin].
     *
     * The methods with an optional `pattern` apply to the pattern most recently passed to [add]
     * when it is null, so that `add(...).expiration(...).reportOnly()` reads as one entry.
     * Adding a pattern again adds pins to the same entry.
     *
     * Like OkHttp's builders it is mutable and not thread-safe; the [QorganPinPolicy] it builds
     * is immutable. Everything except calling an entry method before any [add] is checked by the
     * engine in [build], which names the entry at fault.
     */
    class Builder {
        private var engine = PinPolicyBuilder()
        private var current: String? = null

        /** Pins [pins] for hosts matching [pattern] and makes it the current entry. */
        fun add(pattern: String, vararg pins: String) = add(pattern, pins.asList())

        /** Pins [pins] for hosts matching [pattern] and makes it the current entry. */
        fun add(pattern: String, pins: List<String>) = apply {
            engine = engine.add(pattern, pins)
            current = pattern
        }

        /**
         * Stops enforcing the pins from [date] on (`yyyy-MM-dd`, from 00:00 UTC that day), so that
         * an app nobody updates fails open instead of locking its users out.
         */
        @JvmOverloads
        fun expiration(date: String, pattern: String? = null) = apply {
            engine = engine.expiration(target(pattern, "expiration(\"$date\")"), date)
        }

        /**
         * As `expiration(String)`, from a [LocalDate] (`java.time`: Android API 26+, or API 24-25
         * with core library desugaring).
         */
        @JvmOverloads
        fun expiration(date: LocalDate, pattern: String? = null) = expiration(date.toString(), pattern)

        /** As `expiration(String)`, from the UTC calendar day of [date] (any API level). */
        @JvmOverloads
        fun expiration(date: Date, pattern: String? = null) = expiration(utcDay(date), pattern)

        /** Report-only: a mismatch is reported (a `pin_mismatch` warning), the connection is not refused. */
        @JvmOverloads
        fun reportOnly(pattern: String? = null) = apply { engine = engine.reportOnly(target(pattern, "reportOnly()")) }

        /**
         * Where pin failures of this entry are reported: it lands in `Report.reportUris`, where
         * [QorganReportUploader] posts. Use HTTPS.
         */
        @JvmOverloads
        fun reportUri(uri: String, pattern: String? = null) = apply {
            engine = engine.reportUri(target(pattern, "reportUri(\"$uri\")"), uri)
        }

        /**
         * Hosts matching [pattern] are not pinned, although a broader entry covers them. The pattern
         * must lie under an added entry's domain.
         */
        fun exclude(pattern: String) = apply { engine = engine.exclude(pattern) }

        /**
         * Accepts a non-public anchor (an enterprise TLS proxy, a test CA) by its key: for every host
         * when [pattern] is null, else for that entry only (replacing the policy-wide list there).
         * Chains to it are still reported, and it never bypasses pins.
         */
        @JvmOverloads
        fun allowAnchor(pin: String, pattern: String? = null) = apply { engine = engine.allowAnchor(pin, pattern) }

        /**
         * **Dangerous.** Lets anchors with this key (or `"user"`: user-installed ones, or `"system"`)
         * bypass pins, but only in an engine built with
         * [QorganTrustManager.Builder.dangerousDebugBuild]`(true)`; mismatches are still reported.
         * A known interception CA is never let through.
         */
        fun dangerousDebugOverride(anchor: String) = apply { engine = engine.dangerousDebugOverride(anchor) }

        /**
         * The policy in Qorgan's JSON format, as [build] gives it (the engine's canonical text).
         *
         * @throws QorganException.InvalidConfig as [build] does.
         */
        val json: String
            get() = engine.build().text

        /**
         * Checks every pin, pattern and date (in the engine) and gives the policy.
         *
         * @throws QorganException.InvalidConfig with the engine's message naming the entry at
         *   fault (`pin policy: QorganPinPolicy.Builder entry "example.com": ...`), or for an
         *   [exclude] outside every added pattern.
         */
        @Throws(QorganException::class)
        fun build(): QorganPinPolicy {
            val built = engine.build()
            return QorganPinPolicy(built.text, built.warnings)
        }

        private fun target(pattern: String?, call: String): String =
            pattern ?: current
                ?: throw IllegalStateException(
                    "QorganPinPolicy.Builder: $call was called before any add(pattern, pins); call add first " +
                        "or pass the pattern, for example $call with pattern = \"example.com\"",
                )

        private companion object {
            fun utcDay(date: Date): String {
                val c = java.util.Calendar.getInstance(TimeZone.getTimeZone("UTC"))
                c.time = date
                return String.format(
                    java.util.Locale.ROOT, "%04d-%02d-%02d",
                    c.get(java.util.Calendar.YEAR), c.get(java.util.Calendar.MONTH) + 1, c.get(java.util.Calendar.DAY_OF_MONTH),
                )
            }
        }
    }
}
