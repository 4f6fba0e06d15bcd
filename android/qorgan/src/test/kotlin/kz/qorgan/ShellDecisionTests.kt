package kz.qorgan

import java.io.File
import java.security.cert.CertificateException
import java.security.cert.X509Certificate
import kz.qorgan.ffi.PlatformView
import kz.qorgan.ffi.Qorgan
import kz.qorgan.ffi.QorganConfig
import kz.qorgan.ffi.findingCodeName
import kz.qorgan.ffi.verdictKindName

/**
 * The decision table shared with the Swift suite and the Rust test of `evaluateValidated`
 * (rust-core/engine/tests/shell-decisions.tsv): the same chains and policies must give the same
 * decision, refusal finding, CA and report through this trust manager as through Swift's
 * evaluator and the engine itself.
 */
fun shellDecisionTests(suite: TestSuite) {
    val table = File(TestCa.repo, "rust-core/engine/tests/shell-decisions.tsv").readLines().filter { it.isNotBlank() }
    val header = table.first().split('\t')
    val rows = table.drop(1).map { line -> header.zip(line.split('\t')).toMap() }

    fun chain(name: String): List<X509Certificate> = when (name) {
        "google.com" -> realChain("google.com")
        else -> TestCa.chain(name)
    }

    for (row in rows) {
        val case = row.getValue("case")
        suite.test("shared decision table: $case") {
            val certs = chain(row.getValue("chain"))
            val allowedPins = row.getValue("allowed_anchor").takeIf { it != "-" }?.let { listOf(QorganTrustManager.pin(TestCa.root(it))) }
            val q = Qorgan(
                QorganConfig(
                    emptyList(),
                    allowedPins ?: emptyList(),
                    PlatformView.ANY,
                    0uL,
                    row.getValue("policy").takeIf { it != "-" },
                ),
            )
            q.use {
                val reports = Reports()
                val mode = if (row.getValue("mode") == "enforce") QorganTrustManager.Mode.ENFORCE else QorganTrustManager.Mode.REPORT_ONLY
                val tm = QorganTrustManager.Builder()
                    .qorgan(q)
                    .mode(mode)
                    .delegate(QorganTrustManager.platformTrustManager(TestCa.trusting("local-root")))
                    .verdictCache(0)
                    .reportListener(reports)
                    .logger(Logs())
                    .build()
                var refusal: QorganCertificateException? = null
                val allowed = if (row.getValue("platform") == "validated") {
                    try {
                        tm.checkValidatedChain(row.getValue("host"), certs, 443)
                        true
                    } catch (e: QorganCertificateException) {
                        refusal = e
                        false
                    }
                } else {
                    // The platform refuses (its store holds only the local root); Qorgan explains.
                    val e = assertThrows<CertificateException>("the platform's refusal") { tm.checkServerTrusted(certs.toTypedArray(), "RSA") }
                    assertTrue(e !is QorganCertificateException) { "$case: refused by Qorgan instead of the platform: $e" }
                    false
                }
                assertEquals(row.getValue("allowed").toBoolean(), allowed, "$case: allowed")
                val report = synchronized(reports.all) { reports.all.toList() }
                val verdict = refusal?.verdict ?: report.firstOrNull()?.verdict
                if (verdict != null) assertEquals(row.getValue("verdict"), verdictKindName(verdict.verdict), "$case: verdict")
                refusal?.let { r ->
                    assertEquals(row.getValue("finding"), r.finding?.code?.let { findingCodeName(it) }, "$case: refusal finding")
                    assertEquals(row.getValue("ca"), r.certificateAuthority ?: "-", "$case: refusal CA")
                    assertContains(r.message, r.finding!!.message.lineSequence().first(), "$case: the refusal names the main finding")
                }
                if (row.getValue("report") == "-") {
                    assertEquals(0, report.size, "$case: reports")
                } else {
                    assertEquals(1, report.size, "$case: reports")
                    assertEquals(row.getValue("report").toUInt(), report[0].validationResult, "$case: validation-result")
                    assertContains(report[0].interceptionCa ?: "-", row.getValue("report_ca"), "$case: report CA")
                }
            }
        }
    }
}
