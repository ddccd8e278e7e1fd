package jp.kofu.console.account;

import java.time.Instant;

/** A staff member's account, as read from {@code staff_account}; never carries the password hash out. */
public record StaffAccount(
        long id,
        String municipalityCode,
        String login,
        String displayName,
        StaffRole role,
        boolean mustChangePassword,
        boolean totpEnabled,
        int failedLogins,
        Instant lockedUntil,
        boolean disabled,
        Instant createdAt) {

    public boolean lockedAt(Instant now) {
        return lockedUntil != null && lockedUntil.isAfter(now);
    }
}
