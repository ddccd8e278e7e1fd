package jp.kofu.http;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import jp.kofu.contract.Json;
import net.logstash.logback.encoder.LogstashEncoder;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What {@code kofu.log.format} does to the production logback.xml: text by default, JSON lines when asked. */
final class LogFormatTest {
    private static String encode(LogbackFile file, Map<String, String> mdc) {
        LoggingEvent e = new LoggingEvent("test", file.context().getLogger("kofu.ops.issuance"), Level.INFO,
                "issued {} for transaction {}", null, new Object[] {"112038-20261201-000001", "T-1"});
        e.setMDCPropertyMap(mdc);
        return new String(file.encoder().encode(e), StandardCharsets.UTF_8);
    }

    @Test
    void textIsTheDefaultAndShowsTheIdsOnlyWhenALineHasThem() {
        LogbackFile file = LogbackFile.read(Map.of());
        assertEquals(List.of("STDOUT"), file.rootAppenders());
        assertInstanceOf(ch.qos.logback.classic.encoder.PatternLayoutEncoder.class, file.encoder());
        String both = encode(file, Map.of("req", "0a1b2c3d", "txn", "T-1"));
        assertTrue(both.contains(" kofu.ops.issuance [req=0a1b2c3d] [txn=T-1] - issued 112038-20261201-000001"),
                both);
        String requestOnly = encode(file, Map.of("req", "0a1b2c3d"));
        assertTrue(requestOnly.contains(" kofu.ops.issuance [req=0a1b2c3d] - issued"), requestOnly);
        String none = encode(file, Map.of());
        assertTrue(none.contains(" kofu.ops.issuance - issued"), none);
        assertFalse(none.contains("req=") || none.contains("txn="), none);
    }

    @Test
    void jsonWritesOneObjectPerLineWithTheIdsAndNoOtherMdcKey() throws Exception {
        LogbackFile file = LogbackFile.read(Map.of("kofu.log.format", "json"));
        assertEquals(List.of("STDOUT"), file.rootAppenders());
        assertInstanceOf(LogstashEncoder.class, file.encoder());
        String line = encode(file, Map.of("req", "0a1b2c3d", "txn", "T-1", "other", "not for the log"));
        assertTrue(line.endsWith("\n"));
        assertEquals(1, line.split("\n").length, line);
        JsonNode json = Json.MAPPER.readTree(line);
        assertEquals("issued 112038-20261201-000001 for transaction T-1", json.get("message").asText());
        assertEquals("INFO", json.get("level").asText());
        assertEquals("kofu.ops.issuance", json.get("logger_name").asText());
        assertEquals("0a1b2c3d", json.get("req").asText());
        assertEquals("T-1", json.get("txn").asText());
        assertNull(json.get("other"), "of the MDC only req and txn");
        assertTrue(json.has("@timestamp") && json.has("thread_name"), line);
        JsonNode plain = Json.MAPPER.readTree(encode(file, Map.of()));
        assertNull(plain.get("txn"));
        assertNull(plain.get("req"));
    }

    @Test
    void theEnvironmentVariableChoosesTooAndTheSystemPropertyWins() {
        assertInstanceOf(LogstashEncoder.class, LogbackFile.read(Map.of("KOFU_LOG_FORMAT", "json")).encoder());
        assertInstanceOf(ch.qos.logback.classic.encoder.PatternLayoutEncoder.class,
                LogbackFile.read(Map.of("KOFU_LOG_FORMAT", "json", "kofu.log.format", "text")).encoder());
    }

    /** Regression: an unreferenced appender made logback warn, and print its whole status into the log. */
    @Test
    void eitherFormatIsReadWithoutAWarning() {
        for (String format : List.of("text", "json")) {
            LogbackFile file = LogbackFile.read(Map.of("kofu.log.format", format));
            assertEquals(ch.qos.logback.core.status.Status.INFO,
                    new ch.qos.logback.core.status.StatusUtil(file.context()).getHighestLevel(0), format);
        }
    }
}
