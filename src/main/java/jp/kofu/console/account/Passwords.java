package jp.kofu.console.account;

import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;

import java.security.SecureRandom;
import java.util.Optional;

/**
 * Staff passwords: Argon2id (Spring Security's encoder on BouncyCastle) with the OWASP parameters — 19 MiB,
 * 2 passes, 1 lane, 16-byte salt — stored as a PHC string, so that the parameters can be raised later without
 * invalidating the hashes already stored.
 */
public final class Passwords {
    static final int MINIMUM_LENGTH = 12;
    private static final Argon2PasswordEncoder ENCODER = new Argon2PasswordEncoder(16, 32, 1, 19 * 1024, 2);
    /** Letters and digits that cannot be mistaken for one another when read aloud or copied from paper. */
    private static final String ALPHABET = "abcdefghjkmnpqrstuvwxyzACDEFGHJKLMNPQRTUVWXY346789";
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Compared against when the login id is unknown, so that the answer takes as long as for a known one. */
    private static final String DUMMY_HASH = ENCODER.encode("no such staff member");

    private Passwords() {}

    static String hash(String password) {
        return ENCODER.encode(password);
    }

    static boolean matches(String password, String hash) {
        return password != null && ENCODER.matches(password, hash);
    }

    static void burnTime(String password) {
        ENCODER.matches(password == null ? "" : password, DUMMY_HASH);
    }

    /** A new random password of 4 groups of 4, e.g. {@code kq7R-aXt9-...}: about 90 bits. */
    public static String generate() {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 16; i++) {
            if (i > 0 && i % 4 == 0) {
                s.append('-');
            }
            s.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return s.toString();
    }

    /** Why a chosen password is not acceptable, in Japanese; empty when it is. */
    public static Optional<String> problem(String password, String login) {
        if (password == null || password.codePointCount(0, password.length()) < MINIMUM_LENGTH) {
            return Optional.of("パスワードは" + MINIMUM_LENGTH + "文字以上にしてください。");
        }
        if (password.length() > 128) {
            return Optional.of("パスワードは128文字以内にしてください。");
        }
        if (password.toLowerCase().contains(login.toLowerCase())) {
            return Optional.of("パスワードにログインIDを含めないでください。");
        }
        if (password.chars().distinct().count() < 5) {
            return Optional.of("同じ文字の繰り返しが多すぎます。別のパスワードにしてください。");
        }
        return Optional.empty();
    }
}
