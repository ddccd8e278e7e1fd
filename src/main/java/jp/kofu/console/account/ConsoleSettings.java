package jp.kofu.console.account;

import io.micronaut.context.env.Environment;
import jakarta.inject.Singleton;
import jp.kofu.config.SettingException;

import java.time.Duration;

/** The {@code kofu.console.*} settings, validated at start-up. */
@Singleton
public final class ConsoleSettings {
    private final Duration idleTimeout;
    private final int lockoutFailures;
    private final Duration lockoutDuration;

    public ConsoleSettings(Environment env) {
        idleTimeout = Duration.ofMinutes(range(env, "kofu.console.idle-timeout-minutes", 15, 1, 480));
        lockoutFailures = range(env, "kofu.console.lockout-failures", 5, 1, 100);
        lockoutDuration = Duration.ofMinutes(range(env, "kofu.console.lockout-minutes", 15, 1, 1440));
    }

    private static int range(Environment env, String key, int fallback, int min, int max) {
        int value = env.getProperty(key, Integer.class).orElse(fallback);
        if (value < min || value > max) {
            throw new SettingException(key, "must be between " + min + " and " + max);
        }
        return value;
    }

    /** A session unused this long ends; the staff member signs in again. */
    public Duration idleTimeout() { return idleTimeout; }
    /** Wrong passwords (or TOTP codes) in a row that lock an account. */
    public int lockoutFailures() { return lockoutFailures; }
    /** How long a locked account stays locked, unless a 管理者 unlocks it sooner. */
    public Duration lockoutDuration() { return lockoutDuration; }
}
