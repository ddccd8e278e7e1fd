package jp.kofu.console.account;

import java.time.Instant;

/**
 * A signed-in browser: the staff member, the session's CSRF token (every form sends it back), and whether the
 * second login step (a TOTP code) is still to come.
 */
public record StaffSession(String tokenSha256, StaffAccount staff, String csrfToken, boolean totpPending,
                           Instant createdAt) {
}
