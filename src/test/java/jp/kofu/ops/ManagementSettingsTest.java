package jp.kofu.ops;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.Environment;
import jp.kofu.config.KofuSettings;
import jp.kofu.config.SettingException;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The kofu.management.* settings: defaults of contract §10, and a bad value stops the start naming its key. */
final class ManagementSettingsTest {

    private static ManagementSettings load(Map<String, Object> extra) {
        Map<String, Object> props = new HashMap<>(extra);
        props.put("kofu.data-dir", Path.of("target", "management-settings").toAbsolutePath().toString());
        props.put("kofu.db.url", "jdbc:mariadb://127.0.0.1:1/unused");
        try (ApplicationContext context = ApplicationContext.builder().properties(props).build()) {
            Environment env = context.getEnvironment().start();
            return new ManagementSettings(env, new KofuSettings(env));
        }
    }

    private static String refusal(Map<String, Object> extra) {
        return assertThrows(SettingException.class, () -> load(extra)).getMessage();
    }

    @Test
    void defaultsToPort8081OnTheLoopbackAddress() {
        ManagementSettings settings = load(Map.of());
        assertEquals(8081, settings.port());
        assertEquals("127.0.0.1", settings.bind());
        assertEquals(Duration.ofSeconds(30), settings.probeInterval());
    }

    @Test
    void refusesABadPortNamingTheKey() {
        assertTrue(refusal(Map.of("kofu.management.port", 0)).startsWith("kofu.management.port:"));
        assertTrue(refusal(Map.of("kofu.management.port", 70000)).startsWith("kofu.management.port:"));
        String same = refusal(Map.of("kofu.management.port", 9443, "kofu.https.port", 9443));
        assertTrue(same.contains("kofu.https.port"), same);
    }

    @Test
    void refusesABadBindAddressOrProbeInterval() {
        assertTrue(refusal(Map.of("kofu.management.bind", "127.0.0.1; rm")).startsWith("kofu.management.bind:"));
        assertTrue(refusal(Map.of("kofu.management.probe-seconds", -1))
                .startsWith("kofu.management.probe-seconds:"));
        assertEquals("0.0.0.0", load(Map.of("kofu.management.bind", "0.0.0.0")).bind());
    }
}
