package jp.kofu.db;

/** A database user name and its password. {@code toString()} never shows the password. */
public record DbAccount(String user, String password) {
    @Override
    public String toString() {
        return user;
    }
}
