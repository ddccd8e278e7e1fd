package jp.kofu.console.account;

import com.eatthepath.otp.TimeBasedOneTimePasswordGenerator;
import org.apache.commons.codec.binary.Base32;

import javax.crypto.spec.SecretKeySpec;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;

/**
 * Time-based one-time passwords (RFC 6238: HMAC-SHA1, 30 s, 6 digits — what every authenticator app reads), made
 * by java-otp. A code is accepted one step early or late for clock drift, and never twice.
 */
public final class Totp {
    private static final TimeBasedOneTimePasswordGenerator GENERATOR = new TimeBasedOneTimePasswordGenerator();
    private static final Duration STEP = GENERATOR.getTimeStep();
    private static final SecureRandom RANDOM = new SecureRandom();

    private Totp() {}

    /** A new 160-bit secret in Base32, as authenticator apps take it. */
    public static String newSecret() {
        byte[] key = new byte[20];
        RANDOM.nextBytes(key);
        return new Base32().encodeToString(key).replace("=", "");
    }

    /** The {@code otpauth://} address that an authenticator app reads from a QR code. */
    public static String provisioningUri(String secret, String login, String issuer) {
        String label = URLEncoder.encode(issuer + ":" + login, StandardCharsets.UTF_8).replace("+", "%20");
        return "otpauth://totp/" + label + "?secret=" + secret + "&issuer="
                + URLEncoder.encode(issuer, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** The code of {@code secret} at {@code time}. */
    public static String code(String secret, Instant time) {
        try {
            return GENERATOR.generateOneTimePasswordString(key(secret), time);
        } catch (InvalidKeyException e) {
            throw new IllegalStateException("bad TOTP key", e);
        }
    }

    /** The time step whose code {@code code} is, if it is one of now's, after {@code lastUsedStep}. */
    static OptionalLong acceptedStep(String secret, String code, Instant now, Long lastUsedStep) {
        if (code == null || !code.strip().matches("[0-9]{6}")) {
            return OptionalLong.empty();
        }
        long current = now.getEpochSecond() / STEP.getSeconds();
        for (long step = current - 1; step <= current + 1; step++) {
            if (lastUsedStep != null && step <= lastUsedStep) {
                continue;
            }
            byte[] expected = code(secret, Instant.ofEpochSecond(step * STEP.getSeconds())).getBytes(StandardCharsets.US_ASCII);
            if (MessageDigest.isEqual(expected, code.strip().getBytes(StandardCharsets.US_ASCII))) {
                return OptionalLong.of(step);
            }
        }
        return OptionalLong.empty();
    }

    private static SecretKeySpec key(String secret) {
        return new SecretKeySpec(new Base32().decode(secret), GENERATOR.getAlgorithm());
    }
}
