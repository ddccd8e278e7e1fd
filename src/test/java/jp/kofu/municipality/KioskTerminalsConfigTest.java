package jp.kofu.municipality;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.Environment;
import jp.kofu.config.KofuSettings;
import jp.kofu.TestFiles;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalTime;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@code kiosks:} lists of the municipalities file are validated at start-up; a bad one names the key. */
final class KioskTerminalsConfigTest {
    private static final String CITY = """
            municipalities:
              - code: "112038"
                name: "川口市"
                mayorTitle: "川口市長"
                mayorName: "見本 太郎"
                serviceHours: "06:30-23:00"
                fees: { JUMINHYO: 200 }
                syncClients: ["CN=kofu-dev-juki-feed, O=Kofu (DEV), C=JP"]
            """;

    private static KioskTerminals load(String kiosks) throws Exception {
        return loadCity(CITY + kiosks);
    }

    private static KioskTerminals loadCity(String yaml) throws Exception {
        Path dir = Files.createTempDirectory("kofu-kiosk-config");
        try {
            Path file = dir.resolve("municipalities.yml");
            Files.writeString(file, yaml);
            // Only the settings are read: no database, no server.
            try (ApplicationContext context = ApplicationContext.builder().properties(Map.of(
                    "kofu.municipalities-file", file.toString(),
                    "kofu.db.url", "jdbc:mariadb://127.0.0.1:1/unused",
                    "kofu.data-dir", dir.toString())).build()) {
                Environment env = context.getEnvironment().start();
                KofuSettings settings = new KofuSettings(env);
                return new KioskTerminals(settings, new MunicipalityRegistry(settings));
            }
        } finally {
            TestFiles.deleteRecursively(dir);
        }
    }

    private static String failure(String kiosks) {
        return messages(assertThrows(RuntimeException.class, () -> load(kiosks)));
    }

    private static String messages(Throwable e) {
        StringBuilder messages = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            messages.append(t.getMessage()).append('\n');
        }
        return messages.toString();
    }

    @Test
    void readsTerminalsWithTheirOwnHoursOrTheCitys() throws Exception {
        KioskTerminals terminals = load("""
                    kiosks:
                      - { terminalId: "K-1", place: "本庁舎", hours: "08:30-17:15", clientSubject: "CN=k-1" }
                      - { terminalId: "K-2", place: "支所", enabled: false, clientSubject: "CN=k-2,O=川口市" }
                """);
        KioskTerminal k1 = terminals.find("112038", "K-1").orElseThrow();
        assertEquals(LocalTime.of(8, 30), k1.from());
        assertTrue(k1.enabled());
        KioskTerminal k2 = terminals.find("112038", "K-2").orElseThrow();
        assertFalse(k2.enabled());
        assertEquals(LocalTime.of(23, 0), k2.until(), "without hours, the city's");
        assertTrue(terminals.find("112038", "K-3").isEmpty());
        assertEquals(new javax.security.auth.x500.X500Principal("cn=K-2, o=川口市"), k2.clientSubject(),
                "subjects are X.500 names: compared by value, not as text");
    }

    @Test
    void refusesHoursOutsideTheCitys() {
        String message = failure("""
                    kiosks:
                      - { terminalId: "K-1", place: "本庁舎", hours: "06:00-17:00", clientSubject: "CN=k-1" }
                """);
        assertTrue(message.contains("kiosks[0].hours") && message.contains("within the city's serviceHours"), message);
    }

    @Test
    void refusesATerminalWithoutPlaceOrTwiceTheSameId() {
        assertTrue(failure("""
                    kiosks:
                      - { terminalId: "K-1" }
                """).contains("kiosks[0].place"));
        assertTrue(failure("""
                    kiosks:
                      - { terminalId: "K-1", place: "本庁舎", clientSubject: "CN=k-1" }
                      - { terminalId: "K-1", place: "支所", clientSubject: "CN=k-2" }
                """).contains("appears twice"));
    }

    @Test
    void refusesATerminalWithoutItsOwnClientCertificate() {
        assertTrue(failure("""
                    kiosks:
                      - { terminalId: "K-1", place: "本庁舎" }
                """).contains("kiosks[0].clientSubject: required"));
        assertTrue(failure("""
                    kiosks:
                      - { terminalId: "K-1", place: "本庁舎", clientSubject: "not a name" }
                """).contains("kiosks[0].clientSubject: not an RFC 4514"));
        // Two kiosks on one certificate could each send the other's terminal id.
        assertTrue(failure("""
                    kiosks:
                      - { terminalId: "K-1", place: "本庁舎", clientSubject: "CN=kiosk" }
                      - { terminalId: "K-2", place: "支所", clientSubject: "cn=KIOSK" }
                """).contains("same clientSubject"));
    }

    @Test
    void refusesAMunicipalityThatNamesNoFeed() {
        // Contract §7: without syncClients nobody, or everybody, could feed it; the start stops naming the key.
        Throwable e = assertThrows(RuntimeException.class, () -> loadCity(CITY.replaceAll("(?m)^ *syncClients:.*\n", "")));
        assertTrue(messages(e).contains("municipalities[0].syncClients: required"), messages(e));
        e = assertThrows(RuntimeException.class, () -> loadCity(CITY.replace("[\"CN=kofu-dev-juki-feed, O=Kofu (DEV), C=JP\"]", "[]")));
        assertTrue(messages(e).contains("municipalities[0].syncClients: required"), messages(e));
    }
}
