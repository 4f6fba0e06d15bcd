package kz.qorgan

import java.io.ByteArrayInputStream
import java.io.File
import java.security.MessageDigest
import java.security.cert.CertPathValidator
import java.security.cert.CertificateFactory
import java.security.cert.PKIXParameters
import java.security.cert.TrustAnchor
import java.security.cert.X509Certificate
import java.util.Base64
import java.util.Date
import kotlin.system.exitProcess
import kz.qorgan.ffi.PlatformView
import kz.qorgan.ffi.Qorgan
import kz.qorgan.ffi.QorganConfig
import kz.qorgan.ffi.VerdictKind
import kz.qorgan.ffi.spkiPin
import kz.qorgan.ffi.verdictIsAcceptable
import kz.qorgan.ffi.verdictKindName
import okhttp3.CertificatePinner

/*
 * The JVM benchmark of scripts/bench-jvm.sh: what QorganTrustManager adds to a handshake after the
 * platform validated the chain (the validated chain to DER, the engine's check through the native
 * fast path, QorganNative, and for comparison through UniFFI + JNA, the decision; see
 * QorganTrustManager.checkValidatedChain), beside OkHttp 5's own
 * CertificatePinner.check(hostname, certificates) with a matching pin set, on the same real chains,
 * in one JVM. Not a test: numbers, printed and written as JSON.
 *
 *   java ... kz.qorgan.JvmBenchKt <out.json> [quick]
 */

private class Stats(
    /** Median over the samples of the per-operation thread CPU time (ns). */
    val medianNs: Double,
    val p10Ns: Double,
    val p90Ns: Double,
    /** Median over the samples of the per-operation wall-clock time (ns). */
    val wallMedianNs: Double,
    val iterations: Int,
)

/** One thing to time. */
private class Contender(val key: String, val label: String, val op: (Int) -> Unit) {
    var k = 0
    var iterations = 0
    val cpu = ArrayList<Double>()
    val wall = ArrayList<Double>()
}

private val threadCpu = java.lang.management.ManagementFactory.getThreadMXBean()

/**
 * Warms every contender up, sizes its batches to about [sampleNanos], then takes [samples]
 * batches of each in turn (round robin), so that the load of a busy machine falls on all of them
 * alike. Each batch is timed in the thread's CPU time (what the check costs, without the time the
 * thread waited for a core) and in wall time (which includes that wait and garbage collection).
 */
private fun measureAll(contenders: List<Contender>, samples: Int, sampleNanos: Long, warmupNanos: Long): Map<String, Stats> {
    for (c in contenders) {
        val t0 = threadCpu.currentThreadCpuTime
        var ops = 0
        while (threadCpu.currentThreadCpuTime - t0 < warmupNanos) {
            repeat(32) { c.op(c.k++) }
            ops += 32
        }
        val perOp = (threadCpu.currentThreadCpuTime - t0).toDouble() / ops
        c.iterations = (sampleNanos / perOp).toInt().coerceIn(8, 1_000_000)
    }
    repeat(samples) {
        for (c in contenders) {
            val w0 = System.nanoTime()
            val t0 = threadCpu.currentThreadCpuTime
            for (i in 0 until c.iterations) c.op(c.k++)
            val t1 = threadCpu.currentThreadCpuTime
            val w1 = System.nanoTime()
            c.cpu += (t1 - t0).toDouble() / c.iterations
            c.wall += (w1 - w0).toDouble() / c.iterations
        }
    }
    return contenders.associate { c ->
        val cpu = c.cpu.sorted()
        val wall = c.wall.sorted()
        c.key to Stats(cpu[cpu.size / 2], cpu[cpu.size / 10], cpu[cpu.size - 1 - cpu.size / 10], wall[wall.size / 2], c.iterations)
    }
}

private fun certs(file: File): List<X509Certificate> = file.inputStream().use { s ->
    CertificateFactory.getInstance("X.509").generateCertificates(s).map { it as X509Certificate }
}

/** [n] freshly parsed copies of [chain]: each handshake gets new certificate objects, as here. */
private fun copies(chain: List<X509Certificate>, n: Int): List<List<X509Certificate>> {
    val cf = CertificateFactory.getInstance("X.509")
    return List(n) { chain.map { cf.generateCertificate(ByteArrayInputStream(it.encoded)) as X509Certificate } }
}

private fun sha256B64(bytes: ByteArray): String = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(bytes))

/**
 * OkHttp's check written with the JDK alone: SHA-256 over publicKey.encoded per certificate, first
 * match wins. Calibrates what the bare work costs on this machine.
 */
private class JdkPinCheck(pins: List<String>) {
    private val digests: List<ByteArray> = pins.map { Base64.getDecoder().decode(it.removePrefix("sha256/")) }
    fun check(chain: List<X509Certificate>) {
        for (c in chain) {
            val d = MessageDigest.getInstance("SHA-256").digest(c.publicKey.encoded)
            for (p in digests) if (MessageDigest.isEqual(p, d)) return
        }
        throw IllegalStateException("no pin matched")
    }
}

private class Row(val key: String, val label: String, val stats: Stats)

fun main(args: Array<String>) {
    val out = File(args.getOrNull(0) ?: "target/bench/jvm.json")
    val quick = args.getOrNull(1) == "quick"
    val samples = if (quick) 9 else 41
    val sampleNanos = if (quick) 3_000_000L else 10_000_000L
    val warmupNanos = if (quick) 200_000_000L else 1_000_000_000L
    val repo = File(System.getProperty("qorgan.repo") ?: ".")
    val dir = File(repo, "rust-core/engine/tests/data/real-chains/limbo-online")

    data class Case(val name: String, val host: String, val note: String)
    val cases = listOf(
        Case("google.com", "google.com", "ECDSA P-256 leaf, RSA intermediate, RSA root"),
        Case("amazon.com", "amazon.com", "RSA 2048 leaf, RSA intermediate, RSA root"),
    )

    val rows = mutableListOf<Row>()
    val perCase = linkedMapOf<String, Map<String, Double>>()
    System.err.println("bench-jvm: ${if (quick) "quick run, " else ""}$samples interleaved samples per figure; medians of per-batch means, thread CPU time (and wall time)")
    for (case in cases) {
        val chain = certs(File(dir, "${case.name}.chain.pem")) + certs(File(dir, "${case.name}.root.pem"))
        check(chain.size >= 3) { "${case.name}: expected leaf, intermediate(s) and root" }
        val pool = copies(chain, 512)
        val m = pool.size
        val pins = chain.map { spkiPin(it.encoded) }
        val leafPin = pins.first()
        val intermediatePin = pins[1]
        val rootPin = pins.last()
        val backup = "sha256/" + sha256B64("a backup key that is not in the chain".toByteArray())

        // OkHttp 5's CertificatePinner, without a chain cleaner: checks the list it is given (the
        // platform's validated chain, as OkHttp passes it after its own cleaning).
        fun pinner(vararg p: String) = CertificatePinner.Builder().add(case.host, *p).build()
        val okIntermediate = pinner(backup, intermediatePin)
        val okLeaf = pinner(leafPin, backup)
        val okRoot = pinner(backup, rootPin)
        val jdk = JdkPinCheck(listOf(backup, intermediatePin))

        // Qorgan with the same pin set, in a policy: pins and interception checked on the chain.
        val policy = QorganPinPolicy.Builder().add(case.host, backup, intermediatePin).build()
        val engine = Qorgan(QorganConfig(emptyList(), emptyList(), PlatformView.ANY, 86_400uL, policy.text))
        val cold = QorganTrustManager.Builder().qorgan(engine).verdictCache(0).logger(QorganLogger.NONE).build()
        check(cold.usesNativeFastPath) { "the native fast path did not load (QorganNative)" }
        val coldBindings = QorganTrustManager.Builder().qorgan(engine).verdictCache(0).nativeFastPath(false)
            .logger(QorganLogger.NONE).build()
        val handle = engine.nativeHandle().toLong()
        val hostBytes = case.host.toByteArray()
        val warm = QorganTrustManager.Builder().qorgan(engine).logger(QorganLogger.NONE).build()
        val verdict = engine.analyzeValidated(case.host, chain.map { it.encoded })
        check(verdict.verdict == VerdictKind.TRUSTED && verdict.findings.isEmpty()) {
            "${case.name}: expected a clean trusted verdict, got ${verdict.verdict} ${verdict.findings}"
        }
        warm.checkValidatedChain(case.host, pool[0])
        check(warm.cachedVerdicts == 1) { "the warm trust manager did not remember the verdict" }
        val ders = chain.map { it.encoded }
        val derArray = ders.toTypedArray()
        check(QorganNative.checkValidated(handle, derArray, hostBytes) == QorganNative.CLEAN) { "${case.name}: the native check is not clean" }

        // The platform's own validation, which runs before Qorgan on every handshake (context).
        val params = PKIXParameters(setOf(TrustAnchor(chain.last(), null))).apply {
            isRevocationEnabled = false
            date = Date(chain.first().notBefore.time + 86_400_000L) // inside the leaf's validity
        }
        val validator = CertPathValidator.getInstance("PKIX")
        val cf = CertificateFactory.getInstance("X.509")

        val contenders = listOf(
            Contender("okhttp_pinner_ns", "OkHttp CertificatePinner.check, pins {backup, intermediate}") { okIntermediate.check(case.host, pool[it % m]) },
            Contender("okhttp_pinner_leaf_ns", "OkHttp CertificatePinner.check, pins {leaf, backup}") { okLeaf.check(case.host, pool[it % m]) },
            Contender("okhttp_pinner_root_ns", "OkHttp CertificatePinner.check, pins {backup, root}") { okRoot.check(case.host, pool[it % m]) },
            Contender("jdk_pin_check_ns", "JDK-only SHA-256(publicKey.encoded), same pins") { jdk.check(pool[it % m]) },
            Contender("qorgan_cold_ns", "Qorgan checkValidatedChain, cold (native fast path)") { cold.checkValidatedChain(case.host, pool[it % m]) },
            Contender("qorgan_cold_bindings_ns", "Qorgan checkValidatedChain, cold (UniFFI+JNA only)") { coldBindings.checkValidatedChain(case.host, pool[it % m]) },
            Contender("qorgan_warm_ns", "Qorgan checkValidatedChain, warm (cache hit)") { warm.checkValidatedChain(case.host, pool[it % m]) },
            // Where the cold time goes.
            Contender("encode_ns", "  part: chain to DER (getEncoded per cert)") { i -> pool[i % m].forEach { it.encoded } },
            Contender("native_check_ns", "  part: QorganNative.checkValidated (JNI + engine)") { QorganNative.checkValidated(handle, derArray, hostBytes) },
            Contender("ffi_analyze_validated_ns", "  part: analyzeValidated via UniFFI+JNA") { engine.analyzeValidated(case.host, ders) },
            Contender("ffi_verdict_is_acceptable_ns", "  part: verdictIsAcceptable (not on TRUSTED)") { check(verdictIsAcceptable(verdict)) },
            Contender("ffi_floor_ns", "  floor: trivial UniFFI call (verdictKindName)") { verdictKindName(VerdictKind.TRUSTED) },
            Contender("platform_pkix_validate_ns", "  context: JDK PKIX validation of the chain") { i ->
                validator.validate(cf.generateCertPath(pool[i % m].dropLast(1)), params)
            },
        )
        System.err.println("${case.name}: ${case.note}")
        val stats = measureAll(contenders, samples, sampleNanos, warmupNanos)
        val figures = linkedMapOf<String, Double>()
        for (c in contenders) {
            val st = stats.getValue(c.key)
            figures[c.key] = st.medianNs
            figures[c.key.removeSuffix("_ns") + "_wall_ns"] = st.wallMedianNs
            rows += Row("${c.key}_${case.name}", "${case.name}  ${c.label}", st)
            System.err.println(
                String.format("  %-56s cpu %9.0f ns (p10 %.0f, p90 %.0f)  wall %9.0f ns  [%d per batch]", c.label, st.medianNs, st.p10Ns, st.p90Ns, st.wallMedianNs, st.iterations),
            )
        }
        perCase[case.name] = figures
        engine.close()
    }

    fun mean(key: String) = perCase.values.map { it.getValue(key) }.average()
    val qCold = mean("qorgan_cold_ns")
    val qWarm = mean("qorgan_warm_ns")
    val ok = mean("okhttp_pinner_ns")
    val okLeaf = mean("okhttp_pinner_leaf_ns")
    val jdk = mean("jdk_pin_check_ns")
    val result = linkedMapOf<String, Any>(
        "jvm_qorgan_cold_ns" to qCold,
        "jvm_qorgan_warm_ns" to qWarm,
        "jvm_okhttp_pinner_ns" to ok,
        "jvm_over_okhttp_cold" to qCold / ok,
        "jvm_over_okhttp_warm" to qWarm / ok,
        "jvm_qorgan_cold_bindings_ns" to mean("qorgan_cold_bindings_ns"),
        "jvm_over_okhttp_cold_bindings" to mean("qorgan_cold_bindings_ns") / ok,
        "jvm_native_check_ns" to mean("native_check_ns"),
        "jvm_okhttp_pinner_leaf_match_ns" to okLeaf,
        "jvm_over_okhttp_leaf_match_cold" to qCold / okLeaf,
        "jvm_over_okhttp_leaf_match_warm" to qWarm / okLeaf,
        "jvm_okhttp_pinner_root_match_ns" to mean("okhttp_pinner_root_ns"),
        "jvm_jdk_pin_check_ns" to jdk,
        "jvm_okhttp_over_jdk_calibration" to ok / jdk,
        "jvm_encode_ns" to mean("encode_ns"),
        "jvm_ffi_analyze_validated_ns" to mean("ffi_analyze_validated_ns"),
        "jvm_ffi_verdict_is_acceptable_ns" to mean("ffi_verdict_is_acceptable_ns"),
        "jvm_ffi_floor_ns" to mean("ffi_floor_ns"),
        "jvm_platform_pkix_validate_ns" to mean("platform_pkix_validate_ns"),
        "jvm_qorgan_cold_wall_ns" to mean("qorgan_cold_wall_ns"),
        "jvm_qorgan_warm_wall_ns" to mean("qorgan_warm_wall_ns"),
        "jvm_okhttp_pinner_wall_ns" to mean("okhttp_pinner_wall_ns"),
        "jvm_over_okhttp_cold_wall" to mean("qorgan_cold_wall_ns") / mean("okhttp_pinner_wall_ns"),
        "jvm_over_okhttp_warm_wall" to mean("qorgan_warm_wall_ns") / mean("okhttp_pinner_wall_ns"),
        "timing" to "medians of per-batch means of thread CPU time (ns per check); *_wall_* keys: wall-clock time",
        "target_cold_max" to 3.0,
        "target_warm_max" to 1.2,
        "samples" to samples,
        "quick" to quick,
        "java" to (System.getProperty("java.vm.name") + " " + System.getProperty("java.version")),
        "chains" to cases.map { it.name },
        "per_chain" to perCase,
    )

    println()
    println(String.format("%-44s %12s %12s %12s", "per check (median ns, thread CPU)", cases[0].name, cases[1].name, "mean"))
    fun line(label: String, key: String) = println(
        String.format("%-44s %12.0f %12.0f %12.0f", label, perCase.getValue(cases[0].name).getValue(key), perCase.getValue(cases[1].name).getValue(key), mean(key)),
    )
    line("OkHttp CertificatePinner {backup, interm.}", "okhttp_pinner_ns")
    line("OkHttp CertificatePinner {leaf, backup}", "okhttp_pinner_leaf_ns")
    line("OkHttp CertificatePinner {backup, root}", "okhttp_pinner_root_ns")
    line("JDK-only pin check (calibration)", "jdk_pin_check_ns")
    line("Qorgan cold (native fast path)", "qorgan_cold_ns")
    line("Qorgan cold, UniFFI+JNA only (before)", "qorgan_cold_bindings_ns")
    line("Qorgan warm (verdict cache hit)", "qorgan_warm_ns")
    line("  chain to DER", "encode_ns")
    line("  QorganNative.checkValidated (JNI+engine)", "native_check_ns")
    line("  analyzeValidated via UniFFI+JNA", "ffi_analyze_validated_ns")
    line("  verdictIsAcceptable (not on TRUSTED)", "ffi_verdict_is_acceptable_ns")
    line("  trivial UniFFI call (floor)", "ffi_floor_ns")
    line("  JDK PKIX validation (context)", "platform_pkix_validate_ns")
    line("wall: OkHttp {backup, interm.}", "okhttp_pinner_wall_ns")
    line("wall: Qorgan cold", "qorgan_cold_wall_ns")
    line("wall: Qorgan warm", "qorgan_warm_wall_ns")
    println()
    println(String.format("Qorgan / OkHttp (CPU time): cold %.1fx (target <= 3x), warm %.2fx (target <= 1.2x); against a leaf-pin OkHttp set: cold %.1fx, warm %.2fx",
        qCold / ok, qWarm / ok, qCold / okLeaf, qWarm / okLeaf))
    println(String.format("Qorgan / OkHttp (wall time): cold %.1fx, warm %.2fx",
        mean("qorgan_cold_wall_ns") / mean("okhttp_pinner_wall_ns"), mean("qorgan_warm_wall_ns") / mean("okhttp_pinner_wall_ns")))

    out.parentFile?.mkdirs()
    out.writeText(toJson(result, "") + "\n")
    println("wrote $out")
    exitProcess(0)
}

private fun toJson(v: Any?, indent: String): String = when (v) {
    null -> "null"
    is String -> "\"" + v.replace("\\", "\\\\").replace("\"", "\\\"") + "\""
    is Double -> if (v.isFinite()) String.format(java.util.Locale.ROOT, "%.3f", v).trimEnd('0').trimEnd('.') else "null"
    is Number, is Boolean -> v.toString()
    is Map<*, *> -> v.entries.joinToString(",\n", "{\n", "\n$indent}") { (k, x) -> "$indent  \"$k\": ${toJson(x, "$indent  ")}" }
    is List<*> -> v.joinToString(", ", "[", "]") { toJson(it, indent) }
    else -> "\"$v\""
}
