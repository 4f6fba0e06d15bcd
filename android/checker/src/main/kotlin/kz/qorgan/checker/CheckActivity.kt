package kz.qorgan.checker

import android.app.Activity
import android.content.ActivityNotFoundException
import android.content.Intent
import android.os.Bundle
import android.provider.Settings
import android.widget.Button
import android.widget.LinearLayout
import android.widget.ScrollView
import android.widget.TextView
import java.util.concurrent.CompletableFuture
import kz.qorgan.CheckerResult
import kz.qorgan.QorganChecker
import kz.qorgan.android.QorganAndroid

/**
 * The checker a person installs: one button, then what is installed on this phone, how each
 * site answered, and what to do. In Kazakh, Russian or English, following the device.
 *
 * Nothing leaves the phone but the probes (TLS handshakes with the checked sites, made by the
 * platform's own TLS stack so that they see what the phone's apps see): no analytics, no
 * reports, no network otherwise.
 */
class CheckActivity : Activity() {
    private lateinit var button: Button
    private lateinit var screen: CheckScreen
    private var running: CompletableFuture<CheckerResult>? = null

    /**
     * Makes the checker for each run: AndroidCAStore and the default targets. Public so that a
     * test (or an app embedding this screen) can give its own targets and trust store.
     */
    var checkerFactory: () -> QorganChecker = { QorganAndroid.checker(applicationContext) }

    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        val pad = (16 * resources.displayMetrics.density).toInt()
        val results = LinearLayout(this).apply { orientation = LinearLayout.VERTICAL }
        screen = CheckScreen(this, results, ::openCertificateSettings)
        button = Button(this).apply {
            text = getString(R.string.check_button)
            setOnClickListener { startCheck() }
        }
        val privacy = TextView(this).apply {
            text = getString(R.string.privacy)
            setPadding(0, pad / 2, 0, pad)
        }
        val column = LinearLayout(this).apply {
            orientation = LinearLayout.VERTICAL
            setPadding(pad, pad, pad, pad)
            addView(button)
            addView(privacy)
            addView(results)
        }
        setContentView(ScrollView(this).apply { addView(column) })
    }

    override fun onDestroy() {
        running?.cancel(true)
        super.onDestroy()
    }

    internal fun startCheck() {
        button.isEnabled = false
        screen.showProgress(getString(R.string.checking))
        // runAsync returns at once; the probes run on background threads, and the callback comes
        // on one of them: hop to the main thread to touch views.
        running = checkerFactory().runAsync { result, error ->
            runOnUiThread { if (!isFinishing && !isDestroyed) show(result, error) }
        }
    }

    internal fun show(result: CheckerResult?, error: Throwable?) {
        button.isEnabled = true
        if (result == null) screen.showFailure(error) else screen.show(result)
    }

    /**
     * The list of user certificates in Settings. `com.android.settings.TRUSTED_CREDENTIALS_USER`
     * opens its "User" tab (the action Android's own "network may be monitored" notification
     * uses; not a public constant, so some vendors lack it): else the security settings.
     */
    private fun openCertificateSettings() {
        try {
            startActivity(Intent(ACTION_TRUSTED_CREDENTIALS_USER))
        } catch (_: ActivityNotFoundException) {
            startActivity(Intent(Settings.ACTION_SECURITY_SETTINGS))
        }
    }

    companion object {
        /** The Settings screen with the user-installed certificates (see [openCertificateSettings]). */
        const val ACTION_TRUSTED_CREDENTIALS_USER = "com.android.settings.TRUSTED_CREDENTIALS_USER"
    }
}
