package jp.kofu.console.account;

/** A change to staff accounts that cannot be made; the message is Japanese and fit to show to a 管理者. */
public final class StaffAccountException extends RuntimeException {
    public StaffAccountException(String message) {
        super(message);
    }
}
