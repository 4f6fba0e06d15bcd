package kz.qorgan

import java.security.cert.X509Certificate

/**
 * The clean verdicts a [QorganTrustManager] remembers: see [QorganTrustManager.Builder.verdictCache]
 * for what is stored and why it stays correct. Thread-safe; least recently used entries go first.
 *
 * A key is the host, the UTC day and every certificate of the validated chain. Equality is
 * `Certificate.equals`, which by its contract compares the encoded (DER) forms byte for byte (the
 * JDK does it without copying them); the hash mixes the certificates' serial numbers (at least 64
 * random bits each for public CAs, and already parsed), so a lookup copies and hashes no DER. A
 * hash collision can cost time, never correctness.
 */
internal class VerdictCache(
    private val maxEntries: Int,
    /** Milliseconds since the epoch; replaced in tests to cross a UTC midnight. */
    private val clock: () -> Long = System::currentTimeMillis,
) {
    class Key(
        private val host: String?,
        private val day: Long,
        chain: List<X509Certificate>,
        /** The cache's generation when the key was made: not part of equality (see [put]). */
        internal val generation: Long = 0,
    ) {
        private val chain: List<X509Certificate> = chain.toList()

        private val hash: Int = run {
            var h = (host?.hashCode() ?: 0) * 31 + day.hashCode()
            for (c in this.chain) h = h * 31 + c.serialNumber.hashCode()
            h
        }

        override fun hashCode(): Int = hash

        override fun equals(other: Any?): Boolean {
            if (this === other) return true
            if (other !is Key || other.hash != hash || other.day != day || other.host != host) return false
            if (other.chain.size != chain.size) return false
            for (i in chain.indices) if (chain[i] != other.chain[i]) return false // DER equality
            return true
        }
    }

    private val entries = object : LinkedHashMap<Key, Unit>(16, 0.75f, true) {
        override fun removeEldestEntry(eldest: MutableMap.MutableEntry<Key, Unit>?): Boolean = size > maxEntries
    }

    /** Bumped by [clear]: a verdict judged before it must not come back after it. */
    @Volatile
    private var generation = 0L

    /** The key for [host] and the validated [chain] now. Make it before judging the chain. */
    fun key(host: String?, chain: List<X509Certificate>): Key =
        Key(host, Math.floorDiv(clock(), MILLIS_PER_DAY), chain, generation)

    fun contains(key: Key): Boolean = synchronized(entries) { entries[key] != null }

    /**
     * Remembers [key]'s chain as clean, unless the cache was cleared since the key was made: a
     * handshake judged with the engine's knowledge before a bundle must not put its verdict back
     * after [clear].
     */
    fun put(key: Key) {
        synchronized(entries) { if (key.generation == generation) entries[key] = Unit }
    }

    fun clear() {
        synchronized(entries) {
            generation++
            entries.clear()
        }
    }

    val size: Int get() = synchronized(entries) { entries.size }

    private companion object {
        const val MILLIS_PER_DAY = 86_400_000L
    }
}
