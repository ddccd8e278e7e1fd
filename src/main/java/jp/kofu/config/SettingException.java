package jp.kofu.config;

/** A configuration value that cannot be used; the message names the key and says why. */
public final class SettingException extends RuntimeException {
    private final String key;
    private final String problem;

    public SettingException(String key, String problem) {
        super(key + ": " + problem);
        this.key = key;
        this.problem = problem;
    }

    /** The setting at fault, e.g. {@code kofu.municipalities-file}. */
    public String key() {
        return key;
    }

    /** What is wrong with its value, without the key. */
    public String problem() {
        return problem;
    }
}
