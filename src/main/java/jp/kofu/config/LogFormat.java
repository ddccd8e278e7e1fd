package jp.kofu.config;

import io.micronaut.context.annotation.Context;

import java.util.Locale;

/**
 * The operations log's format, {@code text} or {@code json} (docs/logs.md). logback.xml includes
 * {@code logback-<format>.xml} by this name before Micronaut starts, so it is read where logback reads it — the
 * system property {@code kofu.log.format}, else the environment variable {@code KOFU_LOG_FORMAT} — and a value
 * logback would find no file for (no appender: no log at all) stops the start here, naming the key.
 */
@Context
final class LogFormat {
    static final String PROPERTY = "kofu.log.format";
    static final String VARIABLE = "KOFU_LOG_FORMAT";

    LogFormat() {
        check(System.getProperty(PROPERTY), System.getenv(VARIABLE));
    }

    /** Throws unless the setting (the property before the variable, as logback.xml reads them) is unset or valid. */
    static void check(String property, String variable) {
        String value = property != null ? property : variable;
        if (value != null && !value.equals("text") && !value.equals("json")) {
            String key = property != null ? PROPERTY : VARIABLE;
            throw new SettingException(key, "must be text or json (lower case), not \"" + printable(value) + "\""
                    + (value.toLowerCase(Locale.ROOT).matches("text|json") ? "; write it in lower case" : ""));
        }
    }

    private static String printable(String value) {
        String clean = value.replaceAll("\\p{Cntrl}", "?");
        return clean.length() > 20 ? clean.substring(0, 20) + "…" : clean;
    }
}
