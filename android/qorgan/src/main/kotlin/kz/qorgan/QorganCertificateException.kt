package kz.qorgan

import java.security.cert.CertificateException
import kz.qorgan.ffi.Finding
import kz.qorgan.ffi.Remedy
import kz.qorgan.ffi.Verdict

/**
 * A handshake refused by Qorgan in [QorganTrustManager.Mode.ENFORCE]: the platform accepted the
 * chain, but Qorgan found who vouched for it unacceptable, or could not decide (fail closed).
 *
 * The message is meant for the developer who reads the stack trace: the host, the verdict, the
 * anchor with its pin, every finding, and what to change. For example:
 *
 * ```
 * Qorgan refused 127.0.0.1: intercepted_local — This connection is vouched for by "Qorgan Test Local Root", ...
 *   Anchor: Qorgan Test Local Root (non_public_root) sha256/kbK3...=
 *   Findings:
 *     warning non_public_anchor: This connection is vouched for by ...
 *   If this is your own CA (an enterprise proxy, a test CA), allow it:
 *     QorganTrustManager.Builder().allowAnchor("sha256/kbK3...=")
 * ```
 *
 * TLS stacks usually wrap it (`SSLHandshakeException` with this as the cause); look for it with
 * `generateSequence(e) { it.cause }.filterIsInstance<QorganCertificateException>()`.
 */
class QorganCertificateException internal constructor(
    message: String,
    /** The host name connected to, when known. */
    val host: String?,
    /** Qorgan's verdict; null when Qorgan could not decide (then [cause] says why). */
    val verdict: Verdict?,
    cause: Throwable?,
    /** The finding that explains the refusal (the engine's main finding); null on a failure. */
    val finding: Finding? = null,
    /**
     * The CA responsible, by name: a known interception CA's label, else the non-public anchor's
     * name (the engine's `Evaluation.interceptionCa`); null when no CA is to blame.
     */
    val certificateAuthority: String? = null,
    /**
     * What the app's owner can do about the refusal, the engine's rule (`Evaluation.remedy`):
     * [Remedy.AllowAnchor] with the pin to allow (an enterprise proxy, a test CA),
     * [Remedy.RemoveKnownCa] (never allowed: the device's owner should remove it), or
     * [Remedy.None]; null when Qorgan could not decide. The message says the same in words.
     */
    val remedy: Remedy? = null,
) : CertificateException(message, cause) {

    /** The anchor's pin, `sha256/...`, when the chain had one. */
    val anchorPin: String? get() = verdict?.anchor?.let { "sha256/" + it.spkiSha256B64 }

    companion object {
        /**
         * The refusal of [verdict], headed by [mainFinding]: the finding the engine says explains
         * it (`Evaluation.mainFinding`), not a choice made here.
         */
        internal fun refused(
            host: String?,
            verdict: Verdict,
            mainFinding: Finding?,
            ca: String?,
            remedy: Remedy,
        ): QorganCertificateException {
            val name = host ?: "the server"
            val headline = mainFinding?.message ?: "no acceptable anchor"
            val text = buildString {
                append("Qorgan refused ").append(name).append(": ").append(verdict.verdict.wireName)
                append(" — ").append(headline)
                verdict.anchor?.let { a ->
                    append("\n  Anchor: ").append(a.known?.label ?: a.subject)
                    append(" (").append(a.`class`.wireName)
                    if (a.userAdded) append(", user-installed")
                    append(") sha256/").append(a.spkiSha256B64)
                }
                if (verdict.findings.isNotEmpty()) {
                    append("\n  Findings:")
                    verdict.findings.forEach { f ->
                        // The main finding's text is the headline already: a multi-line one (a
                        // pin mismatch, with the chain's pins) is not repeated.
                        val text = if (f == mainFinding && f.message.contains('\n')) {
                            f.message.lineSequence().first() + " (above)"
                        } else {
                            f.message.replace("\n", "\n      ")
                        }
                        append("\n    ").append(f.severity.wireName).append(' ').append(f.code.wireName)
                        append(": ").append(text)
                    }
                }
                // What to do is the engine's rule (Evaluation.remedy); only its wording in this
                // API is written here.
                when (remedy) {
                    is Remedy.RemoveKnownCa ->
                        append("\n  This is a known interception CA; it cannot be allowed. ")
                            .append("Whoever holds its key can read this traffic: remove it from the device's trust store.")
                    is Remedy.AllowAnchor ->
                        append("\n  If this is your own CA (an enterprise proxy, a test CA), allow it:")
                            .append("\n    QorganTrustManager.Builder().allowAnchor(\"").append(remedy.pin).append("\")")
                    is Remedy.None -> Unit
                }
            }
            return QorganCertificateException(text, host, verdict, null, mainFinding, ca, remedy)
        }

        internal fun failedClosed(host: String?, cause: Throwable): QorganCertificateException {
            val text = "Qorgan refused ${host ?: "the server"}: Qorgan could not check the connection " +
                "(${cause.javaClass.name}: ${cause.message}) and enforce mode fails closed. " +
                "If this persists, it is a bug in Qorgan or its packaging (native library missing or " +
                "not matching the Kotlin bindings); use Mode.REPORT_ONLY to fail open instead."
            return QorganCertificateException(text, host, null, cause)
        }
    }
}
