package kz.qorgan.checker

import android.app.Activity
import android.graphics.Color
import android.os.Bundle
import android.view.View
import android.widget.Button
import android.widget.LinearLayout
import android.widget.ScrollView
import android.widget.TextView
import java.util.concurrent.CompletableFuture
import kz.qorgan.CheckerResult
import kz.qorgan.QorganChecker
import kz.qorgan.android.QorganAndroid
import kz.qorgan.ffi.CheckStatus
import kz.qorgan.ffi.Severity

/**
 * "Check my connection": runs [QorganChecker] (AndroidCAStore audit + probes of the default
 * targets) off the main thread and shows the engine's screen model: the headline coloured by
 * status, then each piece of advice. Views are built in code so that the checker app needs
 * no resources and no AndroidX.
 */
class CheckActivity : Activity() {
    private lateinit var button: Button
    private lateinit var headline: TextView
    private lateinit var adviceList: LinearLayout
    private var running: CompletableFuture<CheckerResult>? = null

    private val checker: QorganChecker by lazy { QorganAndroid.checker(applicationContext) }

    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        val pad = (16 * resources.displayMetrics.density).toInt()
        button = Button(this).apply {
            text = "Check my connection"
            setOnClickListener { startCheck() }
        }
        headline = TextView(this).apply {
            textSize = 20f
            setPadding(0, pad, 0, pad)
        }
        adviceList = LinearLayout(this).apply { orientation = LinearLayout.VERTICAL }
        val column = LinearLayout(this).apply {
            orientation = LinearLayout.VERTICAL
            setPadding(pad, pad, pad, pad)
            addView(button)
            addView(headline)
            addView(adviceList)
        }
        setContentView(ScrollView(this).apply { addView(column) })
    }

    override fun onDestroy() {
        running?.cancel(true)
        super.onDestroy()
    }

    private fun startCheck() {
        button.isEnabled = false
        headline.setTextColor(Color.DKGRAY)
        headline.text = "Checking… (up to a minute on a slow network)"
        adviceList.removeAllViews()
        // runAsync returns at once; the probes run on background threads. The callback comes
        // on one of them, so hop to the main thread to touch views.
        running = checker.runAsync { result, error ->
            runOnUiThread { if (!isFinishing && !isDestroyed) show(result, error) }
        }
    }

    private fun show(result: CheckerResult?, error: Throwable?) {
        button.isEnabled = true
        if (result == null) {
            headline.setTextColor(Color.DKGRAY)
            headline.text = "The check could not run: ${error?.message ?: error}"
            return
        }
        val report = result.report
        headline.text = report.headline
        headline.setTextColor(
            when (report.status) {
                CheckStatus.SAFE -> Color.rgb(0x1B, 0x5E, 0x20)
                CheckStatus.WARNING -> Color.rgb(0xE6, 0x51, 0x00)
                CheckStatus.INTERCEPTED -> Color.rgb(0xB7, 0x1C, 0x1C)
                CheckStatus.OFFLINE -> Color.DKGRAY
            },
        )
        for (advice in report.advice) {
            adviceList.addView(
                TextView(this).apply {
                    val marker = when (advice.severity) {
                        Severity.CRITICAL -> "‼ "
                        Severity.WARNING -> "! "
                        Severity.INFO -> ""
                    }
                    text = "$marker${advice.title}\n${advice.explanation}\n→ ${advice.action}"
                    setPadding(0, 0, 0, headline.paddingBottom)
                    textAlignment = View.TEXT_ALIGNMENT_VIEW_START
                },
            )
        }
        val checked = "${report.hostsChecked} sites checked, ${report.hostsUnreachable} unreachable" +
            (result.audit?.let { ", ${it.entries.size} trusted certificates audited" } ?: "")
        adviceList.addView(TextView(this).apply { text = checked })
    }
}
