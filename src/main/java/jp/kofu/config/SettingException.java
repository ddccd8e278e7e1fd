package jp.kofu.config;

/** A configuration value that cannot be used; the message names the key and says why. */
public final class SettingException extends RuntimeException {
    public SettingException(String key, String problem) {
        super(key + ": " + problem);
    }
}
