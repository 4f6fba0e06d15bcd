package kz.qorgan

import java.io.File

/**
 * The engine's per-handshake check as one direct JNI call (Rust crate `qorgan-ffi`, `src/jni.rs`), for
 * [QorganTrustManager]'s common case: a chain the platform validated, to a public root, with
 * nothing to report.
 *
 * Through the generated bindings (UniFFI over JNA) that check serializes the chain, crosses JNA
 * several times and deserializes a whole [kz.qorgan.ffi.Verdict]: tens of microseconds, dozens
 * of times OkHttp's pin check. Here the DER bytes go in and one number comes out. Only
 * [CLEAN] lets the trust manager skip the full verdict; any other answer (something to report,
 * a closed engine, bad input, a missing symbol) sends it down the bindings path, which explains,
 * reports and, in enforce mode, refuses or fails closed. So this path can only ever make a
 * decision the full path would make.
 */
internal object QorganNative {
    /** `trusted`, nothing to report. */
    const val CLEAN = 1

    /** Something to report or refuse: ask for the full verdict. */
    const val NOT_CLEAN = 0

    /** Whether the JNI symbols are bound: false when the library cannot be loaded by the JVM. */
    val available: Boolean by lazy { load() }

    /**
     * [CLEAN], [NOT_CLEAN] or a negative error code (no engine with [handle], bad arguments, an
     * engine error, a caught panic); see `rust-core/ffi/src/native.rs`.
     */
    @JvmStatic
    external fun checkValidated(handle: Long, chain: Array<ByteArray>, host: ByteArray?): Int

    /**
     * Loads the library the bindings use (`libqorgan_ffi.so`; the JVM's `dlopen` returns the copy
     * JNA already opened) so that the JVM binds [checkValidated]: by name from
     * `java.library.path` (Android's app libraries), else from `jna.library.path` (where JNA
     * looked: plain JVMs and the tests). Honours UniFFI's `uniffi.component.qorgan.libraryOverride`.
     */
    private fun load(): Boolean {
        val name = System.getProperty("uniffi.component.qorgan.libraryOverride") ?: "qorgan_ffi"
        val candidates = mutableListOf<() -> Unit>({ System.loadLibrary(name) })
        val jnaPath = System.getProperty("jna.library.path").orEmpty()
        for (dir in jnaPath.split(File.pathSeparator).filter { it.isNotEmpty() }) {
            val file = File(dir, System.mapLibraryName(name))
            if (file.isFile) candidates += { System.load(file.absolutePath) }
        }
        if (File(name).isAbsolute) candidates.add(0) { System.load(name) }
        for (load in candidates) {
            try {
                load()
                return bound()
            } catch (e: UnsatisfiedLinkError) {
                continue
            } catch (e: SecurityException) {
                continue
            }
        }
        return false
    }

    /** Calls the entry point once with an empty chain: throws if the symbol is not there. */
    private fun bound(): Boolean = try {
        checkValidated(0, emptyArray(), null) < 0
    } catch (e: UnsatisfiedLinkError) {
        false
    }
}
