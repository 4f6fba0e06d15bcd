package kz.qorgan.checker

import android.content.Context
import android.graphics.Color
import android.graphics.Typeface
import android.util.Log
import android.view.View
import android.widget.Button
import android.widget.LinearLayout
import android.widget.TextView
import kz.qorgan.CheckerResult
import kz.qorgan.ffi.CheckStatus
import kz.qorgan.ffi.InstalledCertificate
import kz.qorgan.ffi.Severity
import kz.qorgan.ffi.SiteGroup

/**
 * Draws one check's result into [column]: the headline, the certificates installed on this phone
 * (each with what it is, how to remove it and a button to the settings screen), the sites
 * checked grouped by the authority that vouched for them, and what to do next.
 *
 * Every sentence about what was found is the engine's ([kz.qorgan.ffi.CheckerReport], in the
 * device's language); only the headings and buttons are the app's own (res/values*). Views are
 * built in code: the app needs no AndroidX and no layout inflation.
 */
internal class CheckScreen(
    private val context: Context,
    private val column: LinearLayout,
    private val openCertificateSettings: () -> Unit,
) {
    private val density = context.resources.displayMetrics.density
    private val gap = (12 * density).toInt()

    fun showProgress(message: String) {
        column.removeAllViews()
        column.addView(text(message, size = 18f).apply { setTextColor(Color.DKGRAY) })
    }

    /** A failed run: a sentence for the person; the details go to the log, for the developer. */
    fun showFailure(error: Throwable?) {
        Log.w(LOG_TAG, "the check could not run", error)
        column.removeAllViews()
        column.addView(text(context.getString(R.string.check_failed), size = 18f))
    }

    fun show(result: CheckerResult) {
        column.removeAllViews()
        val report = result.report
        column.addView(
            text(report.headline, size = 20f, bold = true).apply {
                setTextColor(statusColor(report.status))
                tag = TAG_HEADLINE
            },
        )

        heading(R.string.section_installed)
        when {
            result.audit == null -> {
                Log.w(LOG_TAG, "the trust store could not be audited", result.auditError)
                column.addView(text(context.getString(R.string.installed_unreadable)))
            }
            report.installed.isEmpty() -> column.addView(text(context.getString(R.string.installed_none)))
            else -> report.installed.forEach(::installed)
        }

        heading(R.string.section_sites)
        report.siteGroups.forEach(::siteGroup)
        column.addView(
            text(
                context.resources.getQuantityString(
                    R.plurals.sites_checked,
                    report.hostsChecked.toInt(),
                    report.hostsChecked.toInt(),
                    report.hostsUnreachable.toInt(),
                ),
            ).apply { tag = TAG_COUNTS },
        )

        heading(R.string.section_next)
        if (report.advice.isEmpty()) {
            column.addView(text(context.getString(R.string.nothing_to_do)))
        }
        for (advice in report.advice) {
            column.addView(text(advice.title, bold = true).apply { setTextColor(severityColor(advice.severity)) })
            column.addView(text(advice.explanation))
            column.addView(text("→ ${advice.action}").apply { setPadding(0, 0, 0, gap) })
        }
    }

    private fun installed(c: InstalledCertificate) {
        column.addView(text(c.name, bold = true).apply { setTextColor(severityColor(c.severity)) })
        column.addView(text(c.whatItIs))
        column.addView(text(c.howToRemove))
        if (c.userAdded) {
            // Only what a person (or an app) added can be removed in Settings; a CA shipped with
            // the system can only be turned off there, which the text above says.
            column.addView(
                Button(context).apply {
                    text = context.getString(R.string.open_settings)
                    tag = TAG_OPEN_SETTINGS
                    setOnClickListener { openCertificateSettings() }
                },
            )
        }
        column.addView(View(context).apply { minimumHeight = gap })
    }

    private fun siteGroup(g: SiteGroup) {
        column.addView(text(g.title, bold = true).apply { setTextColor(severityColor(g.severity)) })
        for (site in g.sites) {
            val port = if (site.port.toInt() == 443) "" else ":${site.port}"
            column.addView(
                text("${site.host}$port — ${site.summary}").apply { setTextColor(severityColor(site.severity)) },
            )
        }
        column.addView(View(context).apply { minimumHeight = gap })
    }

    private fun heading(id: Int) {
        column.addView(
            text(context.getString(id), size = 18f, bold = true).apply {
                setPadding(0, gap * 2, 0, gap / 2)
                tag = TAG_HEADING
            },
        )
    }

    private fun text(s: String, size: Float = 16f, bold: Boolean = false) = TextView(context).apply {
        text = s
        textSize = size
        if (bold) setTypeface(typeface, Typeface.BOLD)
        textAlignment = View.TEXT_ALIGNMENT_VIEW_START
    }

    internal companion object {
        const val LOG_TAG = "QorganChecker"
        const val TAG_HEADLINE = "headline"
        const val TAG_HEADING = "heading"
        const val TAG_COUNTS = "counts"
        const val TAG_OPEN_SETTINGS = "open-settings"

        fun statusColor(status: CheckStatus): Int = when (status) {
            CheckStatus.SAFE -> Color.rgb(0x1B, 0x5E, 0x20)
            CheckStatus.WARNING -> Color.rgb(0xE6, 0x51, 0x00)
            CheckStatus.INTERCEPTED -> Color.rgb(0xB7, 0x1C, 0x1C)
            CheckStatus.OFFLINE -> Color.DKGRAY
        }

        fun severityColor(severity: Severity): Int = when (severity) {
            Severity.CRITICAL -> Color.rgb(0xB7, 0x1C, 0x1C)
            Severity.WARNING -> Color.rgb(0xE6, 0x51, 0x00)
            Severity.INFO -> Color.DKGRAY
        }
    }
}
