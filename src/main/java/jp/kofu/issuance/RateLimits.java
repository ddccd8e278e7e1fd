package jp.kofu.issuance;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import jakarta.inject.Singleton;
import jp.kofu.config.KofuSettings;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Requests per terminal and per card in the current minute, on this node (fixed one-minute windows kept in a
 * Caffeine cache that forgets idle keys). A cluster of N nodes admits at most N times the limit; the limits are
 * against a stuck terminal or a card used in a loop, not a precise quota.
 */
@Singleton
final class RateLimits {
    private final Cache<String, AtomicInteger> counters = Caffeine.newBuilder()
            .expireAfterWrite(Duration.ofMinutes(2))
            .maximumSize(200_000)
            .build();
    private final int perTerminal;
    private final int perCard;
    private final Clock clock;

    RateLimits(KofuSettings settings, Clock clock) {
        this.perTerminal = settings.perTerminalPerMinute();
        this.perCard = settings.perCardPerMinute();
        this.clock = clock;
    }

    /** Counts the request; answers false when the terminal or the card is over its limit this minute. */
    boolean admit(String terminalId, String cardKey) {
        long minute = clock.millis() / 60_000;
        boolean terminalOk = count("t|" + minute + "|" + terminalId) <= perTerminal;
        boolean cardOk = count("c|" + minute + "|" + cardKey) <= perCard;
        return terminalOk && cardOk;
    }

    private int count(String key) {
        return counters.get(key, k -> new AtomicInteger()).incrementAndGet();
    }
}
