package jp.kofu.console.account;

import java.time.Instant;

/**
 * A staff member's account, as read from {@code staff_account}; never carries the password hash out.
 * {@code kosekiReviewer} is the 戸籍 review permission (本籍地 利用登録申請), granted by a 管理者 apart from the role.
 */
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
        Instant createdAt,
        boolean kosekiReviewer) {

    public boolean lockedAt(Instant now) {
        return lockedUntil != null && lockedUntil.isAfter(now);
    }
}
