package jp.kofu.config;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A log format logback.xml has no appender for would leave the node without a log: the start stops instead. */
final class LogFormatSettingTest {
    @Test
    void acceptsTextJsonAndNothing() {
        assertDoesNotThrow(() -> LogFormat.check(null, null));
        assertDoesNotThrow(() -> LogFormat.check("json", null));
        assertDoesNotThrow(() -> LogFormat.check(null, "text"));
        assertDoesNotThrow(() -> LogFormat.check("text", "bogus"), "the system property is read first");
    }

    @Test
    void refusesAnyOtherValueNamingWhereItCameFrom() {
        assertEquals("kofu.log.format: must be text or json (lower case), not \"JSON\"; write it in lower case",
                assertThrows(SettingException.class, () -> LogFormat.check("JSON", null)).getMessage());
        assertEquals("KOFU_LOG_FORMAT: must be text or json (lower case), not \"logstash\"",
                assertThrows(SettingException.class, () -> LogFormat.check(null, "logstash")).getMessage());
    }
}
