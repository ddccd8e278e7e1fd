package jp.kofu.console.account;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;

/**
 * Token buckets of password and TOTP attempts, one per client address and one per login id of a municipality
 * (known or not, so that the answer does not tell which): a bucket holds a minute's attempts and refills steadily.
 * An attempt that finds either bucket empty is refused before any hash is computed. The buckets live in this node's
 * memory (Caffeine, bounded); on a cluster each node throttles on its own.
 */
@Singleton
public final class LoginThrottle {
    private static final Duration MINUTE = Duration.ofMinutes(1);
    private static final int MAX_KEY = 96;

    private final Clock clock;
    private final int perAddress;
    private final int perLogin;
    private final Cache<String, Bucket> buckets;

    public LoginThrottle(ConsoleSettings settings, Clock clock) {
        this.clock = clock;
        this.perAddress = settings.attemptsPerAddress();
        this.perLogin = settings.attemptsPerLogin();
        this.buckets = Caffeine.newBuilder().maximumSize(100_000).expireAfterAccess(Duration.ofMinutes(10)).build();
    }

    /** The bucket key of a login id of a municipality (as typed: a login id that does not exist has one too). */
    public static String loginKey(String municipalityCode, String login) {
        String key = "login:" + municipalityCode + "/" + login;
        return key.length() > MAX_KEY ? key.substring(0, MAX_KEY) : key;
    }

    /** Takes one attempt from the address's bucket and the login's; false when either is empty. */
    public boolean tryAttempt(String clientAddress, String loginKey) {
        String address = "address:" + clientAddress;
        return take(address.length() > MAX_KEY ? address.substring(0, MAX_KEY) : address, perAddress)
                && take(loginKey, perLogin);
    }

    private boolean take(String key, int perMinute) {
        long now = clock.millis();
        return buckets.get(key, k -> new Bucket(perMinute, now)).take(perMinute, now);
    }

    private static final class Bucket {
        private double tokens;
        private long updatedMillis;

        Bucket(int capacity, long now) {
            tokens = capacity;
            updatedMillis = now;
        }

        synchronized boolean take(int perMinute, long now) {
            long elapsed = Math.max(0, now - updatedMillis);
            tokens = Math.min(perMinute, tokens + elapsed * (double) perMinute / MINUTE.toMillis());
            updatedMillis = Math.max(updatedMillis, now);
            if (tokens < 1) {
                return false;
            }
            tokens -= 1;
            return true;
        }
    }
}
