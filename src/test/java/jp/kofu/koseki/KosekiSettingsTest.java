package jp.kofu.koseki;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jp.kofu.TestFiles;
import jp.kofu.config.SettingException;
import jp.kofu.municipality.Municipality;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@code koseki:} key of the municipalities file: read with its defaults, and every bad value names its key. */
final class KosekiSettingsTest {
    private static Path dir;
    private static LinkPki pki;

    @BeforeAll
    static void pki() throws Exception {
        dir = Files.createTempDirectory("kofu-koseki-settings");
        pki = new LinkPki(dir);
    }

    @AfterAll
    static void clean() {
        TestFiles.deleteRecursively(dir);
    }

    private static Municipality city(String koseki) throws Exception {
        return LinkSettings.city(dir.resolve("s-" + System.nanoTime()), koseki);
    }

    private static String failure(String koseki) {
        Throwable e = assertThrows(RuntimeException.class, () -> city(koseki));
        StringBuilder messages = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            messages.append(t.getMessage()).append('\n');
        }
        return messages.toString();
    }

    private static String files() {
        return ", clientKeystore: \"" + pki.clientKeystore + "\", clientKeystorePassword: \"x\", trust: \"" + pki.trust + "\"";
    }

    /** A reload may not add, change or drop a 戸籍 link of a municipality that stays; dropping the municipality may. */
    @Test
    void aReloadThatChangesALinkIsRefusedNamingTheMunicipality() throws Exception {
        Municipality linked = city("{ url: \"https://koseki.example/\"" + files() + " }");
        Municipality moved = city("{ url: \"https://koseki2.example/\"" + files() + " }");
        Municipality unlinked = city(null);
        java.util.Map<String, Municipality> before = java.util.Map.of(linked.code(), linked);
        for (Municipality after : List.of(moved, unlinked)) {
            SettingException e = assertThrows(SettingException.class,
                    () -> KosekiConnector.unchangedLinks(before, java.util.Map.of(after.code(), after)));
            assertTrue(e.getMessage().contains(linked.code() + ".koseki: the 戸籍 link cannot change while the node"
                    + " runs; restart the node"), e.getMessage());
        }
        assertThrows(SettingException.class, () -> KosekiConnector.unchangedLinks(
                java.util.Map.of(unlinked.code(), unlinked), before), "nor be added");
        KosekiConnector.unchangedLinks(before, java.util.Map.of(linked.code(), city("{ url: \"https://koseki.example/\""
                + files() + " }"))).run();
        KosekiConnector.unchangedLinks(before, java.util.Map.of()).run();
    }

    @Test
    void readsTheLinkWithItsDefaults() throws Exception {
        Municipality.KosekiLink link = city("{ url: \"https://koseki.example/base/\"" + files() + " }").koseki().orElseThrow();
        assertEquals("https://koseki.example/base/", link.url().toString());
        assertEquals(Duration.ofMillis(3000), link.timeout());
        assertEquals(8, link.maxConcurrentCalls());
        assertEquals(pki.trust, link.trust().orElseThrow());
        assertTrue(city(null).koseki().isEmpty());
        Municipality.KosekiLink tuned = city("{ url: \"https://koseki.example\"" + files()
                + ", timeoutMs: 1500, maxConcurrentCalls: 3 }").koseki().orElseThrow();
        assertEquals(Duration.ofMillis(1500), tuned.timeout());
        assertEquals(3, tuned.maxConcurrentCalls());
        assertTrue(!tuned.toString().contains("x\""), "no password in toString");
    }

    @Test
    void aBadValueNamesItsKey() {
        assertTrue(failure("{ trust: \"" + pki.trust + "\" }").contains("municipalities[0].koseki.url: required"));
        assertTrue(failure("{ url: \"http://koseki.example/\" }").contains("municipalities[0].koseki.url: expected https"));
        assertTrue(failure("{ url: \"https://koseki.example/?a=b\" }").contains("koseki.url"));
        assertTrue(failure("{ url: \"https://koseki.example/\", trust: \"" + pki.trust + "\" }")
                .contains("municipalities[0].koseki.clientKeystore: clientKeystore and trust are given together"));
        assertTrue(failure("{ url: \"https://koseki.example/\", clientKeystore: \"" + pki.clientKeystore + "\" }")
                .contains("municipalities[0].koseki.trust:"));
        assertTrue(failure("{ url: \"https://koseki.example/\", clientKeystore: \"nowhere.p12\", trust: \"" + pki.trust
                + "\" }").contains("municipalities[0].koseki.clientKeystore: file not found"));
        assertTrue(failure("{ url: \"https://koseki.example/\"" + files() + ", timeoutMs: 0 }")
                .contains("municipalities[0].koseki.timeoutMs"));
        assertTrue(failure("{ url: \"https://koseki.example/\"" + files() + ", timeoutMs: \"3s\" }")
                .contains("municipalities[0].koseki.timeoutMs"));
        assertTrue(failure("{ url: \"https://koseki.example/\"" + files() + ", maxConcurrentCalls: 0 }")
                .contains("municipalities[0].koseki.maxConcurrentCalls"));
        assertTrue(failure("{ url: \"https://koseki.example/\"" + files() + ", timeout: 3000 }")
                .contains("municipalities[0].koseki.timeout: unknown key"));
        assertTrue(failure("\"https://koseki.example/\"").contains("municipalities[0].koseki: expected a mapping"));
    }

    @Test
    void aWrongKeystorePasswordStopsTheStartNamingTheKey() throws Exception {
        Municipality m = city("{ url: \"https://koseki.example/\"" + files() + " }");
        SettingException e = assertThrows(SettingException.class, () -> new KosekiConnector(List.of(m), null,
                new SimpleMeterRegistry(), Clock.systemUTC(), KosekiLink.Breaker.DEFAULT));
        assertTrue(e.getMessage().contains("municipalities[0].koseki.clientKeystore"), e.getMessage());
    }

    @Test
    void withoutKeystoreAndTrustTheDevelopmentPkiSuppliesThemOnlyWhenAllowed() throws Exception {
        Municipality m = city("{ url: \"https://127.0.0.1:8444/\" }");
        assertTrue(m.koseki().orElseThrow().usesDevPki());
        SettingException off = assertThrows(SettingException.class, () -> new KosekiConnector(List.of(m), null,
                new SimpleMeterRegistry(), Clock.systemUTC(), KosekiLink.Breaker.DEFAULT));
        assertTrue(off.getMessage().contains("municipalities[0].koseki.clientKeystore: not set")
                && off.getMessage().contains("kofu.dev-pki"), off.getMessage());

        Path data = dir.resolve("with-dev-pki");
        KosekiConnector on = LinkSettings.serviceConnector(data, "{ url: \"https://127.0.0.1:8444/\" }", true);
        assertTrue(on.isLinked(m));
        // The development keys are made by the first call, not at start (every demo start would pay for them).
        assertFalse(Files.exists(data.resolve("dev-pki/koseki/client.p12")), "no 戸籍 keys before a 戸籍 call");
        on.certificateData(m, KosekiAnswer.Kind.ZENBU, "K-0101", List.of());
        assertTrue(Files.isRegularFile(data.resolve("dev-pki/koseki/client.p12")));
        assertTrue(Files.isRegularFile(data.resolve("dev-pki/koseki/server-ca.pem")));
    }
}
