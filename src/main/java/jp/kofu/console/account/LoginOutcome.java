package jp.kofu.console.account;

/** What came of a login attempt with a login id and a password. */
public sealed interface LoginOutcome {
    /** Password right; the staff member is signed in (or, with TOTP on, must give a code next). */
    record Accepted(StaffAccount staff, boolean totpRequired) implements LoginOutcome {}

    /** Wrong login id or password; {@code nowLocked} when this failure locked the account. */
    record WrongCredentials(StaffAccount staffOrNull, boolean nowLocked) implements LoginOutcome {}

    /**
     * The account is locked after repeated failures (even the right password is refused until it ends);
     * {@code passwordRight} says whether the attempt knew the password, and so may be told why.
     */
    record Locked(StaffAccount staff, boolean passwordRight) implements LoginOutcome {}

    /** A 管理者 stopped the account; {@code passwordRight} as for {@link Locked}. */
    record Disabled(StaffAccount staff, boolean passwordRight) implements LoginOutcome {}

    /** Too many attempts from this address or for this login id in the last minute; nothing was checked. */
    record Throttled() implements LoginOutcome {}

    /** Every permit of {@code kofu.console.max-concurrent-hashes} was taken; nothing was checked. */
    record Busy() implements LoginOutcome {}
}
