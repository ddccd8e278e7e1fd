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
    private final int attemptsPerAddress;
    private final int attemptsPerLogin;
    private final int maxConcurrentHashes;
    private final int maxFormBytes;

    public ConsoleSettings(Environment env) {
        idleTimeout = Duration.ofMinutes(range(env, "kofu.console.idle-timeout-minutes", 15, 1, 480));
        lockoutFailures = range(env, "kofu.console.lockout-failures", 5, 1, 100);
        lockoutDuration = Duration.ofMinutes(range(env, "kofu.console.lockout-minutes", 15, 1, 1440));
        attemptsPerAddress = range(env, "kofu.console.login-attempts-per-address-per-minute", 30, 1, 100_000);
        attemptsPerLogin = range(env, "kofu.console.login-attempts-per-login-per-minute", 10, 1, 10_000);
        maxConcurrentHashes = range(env, "kofu.console.max-concurrent-hashes", 2, 1, 64);
        maxFormBytes = range(env, "kofu.console.max-form-bytes", 16 * 1024, 1024, 1024 * 1024);
    }

    private static int range(Environment env, String key, int fallback, int min, int max) {
        int value;
        try {
            value = env.getProperty(key, Integer.class).orElse(fallback);
        } catch (RuntimeException e) {
            throw new SettingException(key, "must be a whole number");
        }
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
    /** Password and code attempts a minute from one client address (a burst of as many, refilled steadily). */
    public int attemptsPerAddress() { return attemptsPerAddress; }
    /** Password and code attempts a minute naming one login id of one municipality. */
    public int attemptsPerLogin() { return attemptsPerLogin; }
    /** Argon2 hashes computed at the same time on this node; an attempt beyond them is refused at once (503). */
    public int maxConcurrentHashes() { return maxConcurrentHashes; }
    /** The largest body a console form may send; a larger one is refused (413) before it is read. */
    public int maxFormBytes() { return maxFormBytes; }
}
