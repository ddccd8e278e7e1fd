package jp.kofu.console.account;

import java.time.Instant;

/**
 * A staff member's account, as read from {@code staff_account}; never carries the password hash out.
 * {@code kosekiReviewer} is the 戸籍 review permission (本籍地 利用登録申請), granted by a 管理者 apart from the role.
 * {@code aspAdmin} is the ASP 管理者 permission (the company that runs Kofu): the ASP's own actions (reloading the
 * municipalities file on every node) and nothing of any municipality; set only with the {@code staff} command on the
 * server, never from the console (docs/settings.md).
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
        boolean kosekiReviewer,
        boolean aspAdmin) {

    public boolean lockedAt(Instant now) {
        return lockedUntil != null && lockedUntil.isAfter(now);
    }
}
