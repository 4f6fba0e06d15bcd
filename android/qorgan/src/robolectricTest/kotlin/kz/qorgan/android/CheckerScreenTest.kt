package kz.qorgan.android

import android.os.Looper
import android.view.View
import android.view.ViewGroup
import android.widget.Button
import android.widget.TextView
import java.net.InetAddress
import java.util.Locale
import java.util.concurrent.TimeUnit
import javax.net.ssl.SSLServerSocket
import javax.net.ssl.SSLSocket
import kotlin.concurrent.thread
import kz.qorgan.QorganChecker
import kz.qorgan.checker.CheckActivity
import kz.qorgan.checker.R
import org.junit.After
import org.junit.Assert.assertEquals
import org.junit.Assert.assertNotNull
import org.junit.Assert.assertTrue
import org.junit.Before
import org.junit.Test
import org.junit.runner.RunWith
import org.robolectric.Robolectric
import org.robolectric.RobolectricTestRunner
import org.robolectric.Shadows.shadowOf
import org.robolectric.annotation.Config

/**
 * The checker app's screen (android/checker) on the Android framework, in each language: the
 * button is pressed, the real checker probes a loopback TLS server whose chain ends at a root the
 * phone's store holds as user-installed (`user:` alias), and the screen shows the engine's words
 * in the device's language under the app's own headings (res/values, -kk, -ru).
 */
@RunWith(RobolectricTestRunner::class)
class CheckerScreenTest {
    private lateinit var server: SSLServerSocket
    private lateinit var serving: Thread

    @Before
    fun startServer() {
        server = TestCerts.serverContext("local-root").serverSocketFactory
            .createServerSocket(0, 8, InetAddress.getLoopbackAddress()) as SSLServerSocket
        serving = thread(isDaemon = true, name = "checker-screen-server") {
            while (!server.isClosed) {
                val socket = runCatching { server.accept() as SSLSocket }.getOrNull() ?: break
                thread(isDaemon = true) {
                    runCatching { socket.use { it.soTimeout = 10_000; it.startHandshake(); it.inputStream.read() } }
                }
            }
        }
    }

    @After
    fun stopServer() {
        server.close()
        serving.join(5_000)
    }

    /** What the screen shows after one press of its button, as text views in order. */
    private class Screen(val activity: CheckActivity) {
        val views: List<View> = buildList { collect(activity.window.decorView, this) }
        val texts: List<String> = views.filterIsInstance<TextView>().map { it.text.toString() }
        fun tagged(tag: String): List<TextView> = views.filterIsInstance<TextView>().filter { it.tag == tag }

        private fun collect(v: View, into: MutableList<View>) {
            into += v
            if (v is ViewGroup) for (i in 0 until v.childCount) collect(v.getChildAt(i), into)
        }
    }

    private fun runCheck(): Screen {
        val activity = Robolectric.buildActivity(CheckActivity::class.java).setup().get()
        val port = server.localPort
        activity.checkerFactory = {
            QorganChecker.Builder()
                .addTarget("localhost", 443, "127.0.0.1:$port")
                .trustStore(TestCerts.store("local-root", "user:local-root"))
                .timeout(10, TimeUnit.SECONDS)
                .build()
        }
        val button = Screen(activity).views.filterIsInstance<Button>().first()
        assertEquals(activity.getString(R.string.check_button), button.text.toString())
        button.performClick()
        // The probe runs on background threads; its result is posted to the main looper.
        val deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30)
        while (System.nanoTime() < deadline) {
            shadowOf(Looper.getMainLooper()).idle()
            if (Screen(activity).tagged("headline").isNotEmpty()) break
            Thread.sleep(50)
        }
        return Screen(activity)
    }

    private fun assertScreen(button: String, headings: List<String>, intercepted: String) {
        val screen = runCheck()
        val a = screen.activity
        assertEquals("the device's language", button, a.getString(R.string.check_button))
        assertEquals(headings, screen.tagged("heading").map { it.text.toString() })
        val headline = screen.tagged("headline").singleOrNull()?.text?.toString()
        assertNotNull("no headline in ${screen.texts}", headline)
        // The engine speaks the device's language too (Locale follows the qualifiers).
        assertTrue("headline \"$headline\" in ${Locale.getDefault()}", headline!!.contains(intercepted))
        // the installed certificate: its name, what it is, how to remove it, a button to Settings
        val i = screen.texts.indexOf("Qorgan Test Local Root")
        assertTrue("the user-installed root is listed: ${screen.texts}", i >= 0)
        val open = screen.views.filterIsInstance<Button>().single { it.tag == "open-settings" }
        assertEquals(a.getString(R.string.open_settings), open.text.toString())
        open.performClick()
        assertEquals(CheckActivity.ACTION_TRUSTED_CREDENTIALS_USER, shadowOf(a).nextStartedActivity.action)
        // the site, under the group of the root that vouched for it
        assertTrue("a site group names the root: ${screen.texts}",
            screen.texts.any { it.contains("Qorgan Test Local Root") && it != "Qorgan Test Local Root" })
        assertTrue("the site line: ${screen.texts}", screen.texts.any { it.matches(Regex("localhost(:\\d+)? — .+")) })
        assertEquals(
            a.resources.getQuantityString(R.plurals.sites_checked, 1, 1, 0),
            screen.tagged("counts").single().text.toString(),
        )
        println("     ${Locale.getDefault()}: $headline")
    }

    @Test
    @Config(qualifiers = "en")
    fun theScreenInEnglish() = assertScreen(
        "Check my connection",
        listOf("Certificates installed on this phone", "Sites checked", "What to do"),
        "intercepted",
    )

    @Test
    @Config(qualifiers = "kk")
    fun theScreenInKazakh() = assertScreen(
        "Байланысымды тексеру",
        listOf("Осы телефонға орнатылған сертификаттар", "Тексерілген сайттар", "Не істеу керек"),
        "ұстал",
    )

    @Test
    @Config(qualifiers = "ru")
    fun theScreenInRussian() = assertScreen(
        "Проверить соединение",
        listOf("Сертификаты, установленные на этом телефоне", "Проверенные сайты", "Что делать"),
        "перехват",
    )
}
