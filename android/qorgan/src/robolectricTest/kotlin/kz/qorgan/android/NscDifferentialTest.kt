package kz.qorgan.android

import android.content.pm.ApplicationInfo
import android.security.net.config.CertificatesEntryRef
import android.security.net.config.NetworkSecurityConfig
import android.security.net.config.XmlConfigSource
import java.time.Instant
import java.time.ZoneOffset
import kz.qorgan.ffi.QorganException
import kz.qorgan.ffi.pinPolicyToJson
import kz.qorgan.ffi.spkiPin
import org.json.JSONArray
import org.json.JSONObject
import org.junit.Assert.assertEquals
import org.junit.Assert.assertTrue
import org.junit.Test
import org.junit.runner.RunWith
import org.robolectric.ParameterizedRobolectricTestRunner
import org.robolectric.ParameterizedRobolectricTestRunner.Parameters

/**
 * Android's own Network Security Config parser (`android.security.net.config.XmlConfigSource`,
 * the platform's code in android-all) against Qorgan's (`QorganAndroid.pinPolicy`: the compiled
 * XML written back as text, `@raw` certificates read from the resources, the engine's reader),
 * over every res/xml file of the tests: the repository's NSC files and the cases of
 * src/robolectricTest/res/xml. Both see the same compiled resource.
 *
 * Compared: each domain (name, includeSubdomains), its pins, their expiration, its trust anchors
 * (`user`, `@raw` certificates by key, overridePins), the base config's anchors, the debug
 * overrides, and whether the file is refused. Equal unless [EXPECTED] says how and why a case
 * differs; a case listed there that no longer differs fails too, so the list stays true.
 *
 * One difference holds for every file and is not listed per case: `src="system"` outside
 * `<debug-overrides>` is left out of Android's side. Qorgan does not validate chains (the
 * platform does); it accepts public roots anyway and has nothing to record for "system".
 */
@RunWith(ParameterizedRobolectricTestRunner::class)
class NscDifferentialTest(private val case: String, private val file: String) {
    /** What one parser made of a file: its view, or its refusal. */
    private class Outcome(val view: String?, val refusal: String?, val warnings: List<String> = emptyList()) {
        override fun toString() = view ?: "refused: $refusal"
    }

    /** How a case is expected to differ, and why. */
    sealed class Expect(val reason: String) {
        /** Both refuse the file, each with a message containing these words. */
        class BothRefuse(val android: String, val qorgan: String) : Expect("")

        /** Only Qorgan refuses it; Android's view holds [android]. */
        class OnlyQorganRefuses(reason: String, val qorgan: String, val android: String) : Expect(reason)

        /**
         * Both accept it; Qorgan's view is Android's with [change] applied (lines of the view), and
         * Qorgan warns about it with a message containing [warning].
         */
        class Differs(reason: String, val warning: String, val change: (List<String>) -> List<String>) : Expect(reason)
    }

    companion object {
        @JvmStatic
        @Parameters(name = "{0} ({1})")
        fun cases(): List<Array<Any>> = nscFiles.map { arrayOf<Any>(it.first, it.second) }

        private fun replace(from: String, to: String): (List<String>) -> List<String> = { lines ->
            check(lines.any { it.contains(from) }) { "no \"$from\" in Android's view" }
            lines.map { it.replace(from, to) }
        }

        private const val TRAILING_DOT = "Android keeps the trailing dot of a domain (a name it never matches, " +
            "host names come without it); Qorgan normalizes the name, dropping the dot (and warns)"
        private const val UNICODE_DOMAIN = "Android keeps a domain's Unicode letters (TLS host names are ASCII, so it " +
            "never matches); Qorgan converts the name to its ASCII (punycode) form, the name TLS uses (and warns)"
        private const val TRAILING_DOT_WARNING = "Android keeps the final dot"
        private const val UNICODE_DOMAIN_WARNING = "ASCII (punycode, xn--) form"
        private const val NOT_A_BOOLEAN = "includeSubdomains that is not \"true\" or \"false\": Android reads it as " +
            "false (the attribute's default); Qorgan refuses it rather than pin less than the author meant"

        /** The cases that differ, or that both refuse (with the words of each refusal). */
        val EXPECTED: Map<String, Expect> = mapOf(
            "nsc_two_base_configs" to Expect.BothRefuse("Only one base-config allowed", "only one <base-config>"),
            "nsc_two_debug_overrides" to Expect.BothRefuse("Only one debug-overrides allowed", "only one <debug-overrides>"),
            "nsc_sha1_digest" to Expect.BothRefuse("Unsupported pin digest algorithm: SHA-1", "SHA-1"),
            "nsc_domain_config_without_domain" to Expect.BothRefuse("No domain elements in domain-config", "has no <domain>"),
            "nsc_bad_base64" to Expect.BothRefuse("Invalid pin digest", "not*base64!"),
            "nsc_pin_wrong_length" to Expect.BothRefuse("does not match expected length", "2jmj7l5rSw0yVb/vlWAYkK/YBwk="),
            "nsc_bad_expiration" to Expect.BothRefuse("Invalid expiration date in pin-set", "next year"),
            "nsc_duplicate_domain" to Expect.BothRefuse("example.com has already been specified", "example.com is specified more than once"),
            "nsc_pin_set_in_base_config" to Expect.BothRefuse("pin-set", "<pin-set> is not allowed in <base-config>"),
            "nsc_domain_in_base_config" to Expect.BothRefuse("domain", "<domain> is not allowed in <base-config>"),
            "nsc_two_pin_sets" to Expect.BothRefuse("pin-set", "only one <pin-set>"),
            "nsc_unknown_src" to Expect.BothRefuse("Unknown certificates src", "unknown certificates src=\"everyone\""),
            "nsc_expiration_month_13" to Expect.BothRefuse("Invalid expiration date in pin-set", "2099-13-01"),
            "nsc_expiration_short_digits" to Expect.OnlyQorganRefuses(
                "Android parses the date with java.text.SimpleDateFormat(\"yyyy-MM-dd\"), which takes 2099-1-5; " +
                    "Qorgan takes only the form the documentation gives (yyyy-MM-dd, ten characters) and refuses " +
                    "the file when it is loaded rather than read a date another way than the platform might",
                "2099-1-5",
                "expiration=2099-01-05",
            ),
            "nsc_expiration_trailing_text" to Expect.OnlyQorganRefuses(
                "SimpleDateFormat.parse stops after the date and ignores the rest (T12:00); Qorgan refuses " +
                    "text it does not understand rather than drop it",
                "2099-01-01T12:00",
                "expiration=2099-01-01",
            ),
            "nsc_override_pins" to Expect.Differs(
                "overridePins=\"true\" outside <debug-overrides>: Android lets user CAs bypass the pins; Qorgan " +
                    "never lets a locally installed anchor bypass pins, so it reads the anchor without the override " +
                    "(and warns)",
                "overridePins=\"true\" on src=\"user\" in <base-config> is ignored",
                replace("user+overridePins", "user"),
            ),
            "nsc_debug_implicit_override" to Expect.Differs(
                "<debug-overrides> without overridePins: Android's default there is true; Qorgan requires " +
                    "overridePins=\"true\" written out before any anchor may bypass pins (and warns)",
                "Qorgan requires overridePins=\"true\" written out",
                replace("debug: user+overridePins", "debug: user"),
            ),
            "nsc_trailing_dot" to Expect.Differs(TRAILING_DOT, TRAILING_DOT_WARNING, replace("domain example.com.", "domain example.com")),
            "nsc_wildcard_domain" to Expect.Differs(
                "Android compares <domain> literally, so *.example.com matches no host; Qorgan reads a " +
                    "leading *. as OkHttp's one-label wildcard and pins every x.example.com (and warns)",
                "Android compares the name as written",
                replace("domain *.example.com", "domain *.example.com (Qorgan: one-label wildcard)"),
            ),
            "nsc_unicode_domain" to Expect.Differs(UNICODE_DOMAIN, UNICODE_DOMAIN_WARNING, replace("domain пример.қаз", "domain xn--e1afmkfd.xn--80ao21a")),
            "nsc_include_subdomains_yes" to Expect.OnlyQorganRefuses(
                NOT_A_BOOLEAN, "includeSubdomains=\"yes\"", "domain example.com subdomains=false",
            ),
            // The pin-policy fuzzers' corpus (rust-core/engine/fuzz/corpus/pin_policy), by content hash:
            // 075b497900ea..., a Cyrillic letter inside www.pinned-elsewhere.com
            "repo_d7273cc04d56" to Expect.Differs(
                UNICODE_DOMAIN, UNICODE_DOMAIN_WARNING, replace("domain www.pinned-elsewhereқom", "domain www.xn--pinned-elsewhereom-9kq"),
            ),
            // 5c66be3de945..., a domain "ogomocd."
            "repo_8c8636bd1779" to Expect.Differs(TRAILING_DOT, TRAILING_DOT_WARNING, replace("domain ogomocd.", "domain ogomocd")),
            // b7c654a4feed..., includeSubdomains="ture"
            "repo_5c373d05669b" to Expect.OnlyQorganRefuses(
                NOT_A_BOOLEAN, "includeSubdomains=\"ture\"", "domain unsecured.good.com subdomains=false",
            ),
        )

        /** Android's parser over res/xml [resId], for an app targeting API 34, debuggable or not. */
        private fun android(resId: Int, debuggable: Boolean): XmlConfigSource {
            val info = ApplicationInfo(context.applicationInfo)
            info.targetSdkVersion = 34
            info.flags = if (debuggable) info.flags or ApplicationInfo.FLAG_DEBUGGABLE else info.flags and ApplicationInfo.FLAG_DEBUGGABLE.inv()
            return XmlConfigSource(context, resId, info)
        }

        /** A config's trust anchors (its own or inherited): `system`, `user`, `key:sha256/...` of @raw certificates. */
        private fun anchors(config: NetworkSecurityConfig): List<String> {
            val field = NetworkSecurityConfig::class.java.getDeclaredField("mCertificatesEntryRefs").apply { isAccessible = true }
            @Suppress("UNCHECKED_CAST")
            val refs = field.get(config) as List<CertificatesEntryRef>
            return refs.flatMap { ref ->
                val source = CertificatesEntryRef::class.java.getDeclaredField("mSource").apply { isAccessible = true }.get(ref)
                val overrides = CertificatesEntryRef::class.java.getDeclaredField("mOverridesPins").apply { isAccessible = true }.getBoolean(ref)
                val names = when (source.javaClass.simpleName) {
                    "SystemCertificateSource" -> listOf("system")
                    "UserCertificateSource" -> listOf("user")
                    "ResourceCertificateSource" -> ref.trustAnchors.map { "key:" + spkiPin(it.certificate.encoded) }
                    else -> listOf(source.javaClass.simpleName)
                }
                names.map { if (overrides) "$it+overridePins" else it }
            }.sorted()
        }

        private fun line(what: String, anchors: List<String>) = "$what: ${anchors.joinToString(", ")}"

        private fun androidView(resId: Int): Outcome = try {
            val release = android(resId, debuggable = false)
            val lines = mutableListOf<String>()
            val notSystem = { a: List<String> -> a.filter { it != "system" } }
            val base = anchors(release.defaultConfig)
            lines += line("base", notSystem(base))
            for (p in release.perDomainConfigs) {
                val (domain, config) = p.first to p.second
                val pins = config.pins.pins.map { "sha256/" + java.util.Base64.getEncoder().encodeToString(it.digest) }.sorted()
                val expiration = config.pins.expirationTime.takeIf { it != Long.MAX_VALUE }
                    ?.let { Instant.ofEpochMilli(it).atZone(ZoneOffset.UTC).toLocalDate().toString() }
                lines += "domain ${domain.hostname} subdomains=${domain.subdomainsIncluded} pins=$pins expiration=$expiration " +
                    line("anchors", notSystem(anchors(config)))
            }
            // Debug overrides: what a debuggable build's base config has beyond the release one's.
            val debug = anchors(android(resId, debuggable = true).defaultConfig).toMutableList()
            base.forEach { debug.remove(it) }
            if (debug.isNotEmpty()) lines += line("debug", debug)
            Outcome(lines.sorted().joinToString("\n"), null)
        } catch (e: RuntimeException) {
            // XmlConfigSource wraps its ParserException: "Failed to parse XML configuration from ..."
            Outcome(null, generateSequence<Throwable>(e) { it.cause }.joinToString(" / ") { "${it.message}" })
        }

        private fun qorganView(resId: Int): Outcome = try {
            val policy = QorganAndroid.pinPolicy(context, resId)
            val json = JSONObject(pinPolicyToJson(policy.text, emptyMap()).text)
            fun strings(a: JSONArray?) = if (a == null) emptyList() else (0 until a.length()).map { a.getString(it) }
            fun anchorNames(list: List<String>) = list.map { if (it == "user") it else "key:$it" }.sorted()
            val top = anchorNames(strings(json.optJSONArray("allowed-anchors")))
            val lines = mutableListOf(line("base", top))
            val domains = json.getJSONArray("domains")
            for (i in 0 until domains.length()) {
                val d = domains.getJSONObject(i)
                val name = d.getString("domain").let { if (it.startsWith("*.")) "$it (Qorgan: one-label wildcard)" else it }
                val own = d.optJSONArray("allowed-anchors")
                val anchors = if (own == null) top else anchorNames(strings(own) + if (d.optBoolean("trust-user-anchors")) listOf("user") else emptyList())
                lines += "domain $name subdomains=${d.getBoolean("include-subdomains")} pins=${strings(d.optJSONArray("pins")).sorted()} " +
                    "expiration=${d.optString("expiration").ifEmpty { null }} " + line("anchors", anchors)
            }
            json.optJSONObject("debug-overrides")?.let { o ->
                val over = o.getBoolean("override-pins")
                val list = strings(o.getJSONArray("anchors")).map { a ->
                    val name = if (a == "user" || a == "system") a else "key:$a"
                    if (over) "$name+overridePins" else name
                }.sorted()
                if (list.isNotEmpty()) lines += line("debug", list)
            }
            Outcome(lines.sorted().joinToString("\n"), null, policy.warnings)
        } catch (e: QorganException.InvalidConfig) {
            Outcome(null, e.message)
        }
    }

    @Test
    fun sameDomainsPinsAnchorsAndRefusals() {
        val resId = xml(case)
        val android = androidView(resId)
        val qorgan = qorganView(resId)
        val where = "$case ($file)\nAndroid:\n$android\nQorgan:\n$qorgan\n"
        when (val expect = EXPECTED[case]) {
            null -> {
                assertEquals("$where: one refuses, the other accepts", android.refusal != null, qorgan.refusal != null)
                assertEquals(where, android.view, qorgan.view)
            }
            is Expect.BothRefuse -> {
                assertTrue("$where: Android should refuse with \"${expect.android}\"", android.refusal?.contains(expect.android) == true)
                assertTrue("$where: Qorgan should refuse with \"${expect.qorgan}\"", qorgan.refusal?.contains(expect.qorgan) == true)
            }
            is Expect.OnlyQorganRefuses -> {
                assertTrue("$where: Android should accept with \"${expect.android}\" (${expect.reason})", android.view?.contains(expect.android) == true)
                assertTrue("$where: Qorgan should refuse with \"${expect.qorgan}\" (${expect.reason})", qorgan.refusal?.contains(expect.qorgan) == true)
            }
            is Expect.Differs -> {
                val view = android.view ?: throw AssertionError("$where: Android refused (expected: ${expect.reason})")
                assertTrue("$where: the views no longer differ; drop the case from EXPECTED (${expect.reason})", view != qorgan.view)
                assertEquals("$where: expected difference: ${expect.reason}", expect.change(view.lines()).sorted().joinToString("\n"), qorgan.view)
                assertTrue("$where: Qorgan should warn \"${expect.warning}\": ${qorgan.warnings}", qorgan.warnings.any { it.contains(expect.warning) })
            }
        }
        // Said where the run log shows it: every difference, with its reason.
        EXPECTED[case]?.takeIf { it !is Expect.BothRefuse }?.let { println("    $case differs by design: ${it.reason}") }
    }
}

/** EXPECTED lists only files that exist (a renamed case must not leave a stale expectation). */
@RunWith(org.robolectric.RobolectricTestRunner::class)
class NscDifferentialCasesTest {
    @Test
    fun everyExpectationNamesATestFile() {
        val names = nscFiles.map { it.first }.toSet()
        assertEquals(emptySet<String>(), NscDifferentialTest.EXPECTED.keys - names)
    }
}
