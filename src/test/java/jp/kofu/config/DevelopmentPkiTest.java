package jp.kofu.config;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.Environment;
import io.micronaut.runtime.server.EmbeddedServer;
import jp.kofu.TestDatabase;
import jp.kofu.TestFiles;
import jp.kofu.client.CenterClient;
import jp.kofu.pki.DevPki;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A start with a municipalities file (production) takes no key or CA from the development PKI unless
 * {@code kofu.dev-pki: true} says so; the demo start (no municipalities file) still does.
 */
final class DevelopmentPkiTest {
    private static final String CITY = """
            municipalities:
              - code: "112038"
                name: "川口市"
                mayorTitle: "川口市長"
                mayorName: "見本 太郎"
                serviceHours: "00:00-23:59"
                fees: { JUMINHYO: 200 }
                syncClients: ["CN=kofu-dev-juki-feed, O=Kofu (DEV), C=JP"]
            """;

    private Path work;
    private Path dataDir;
    private Path file;

    @BeforeEach
    void folders() throws Exception {
        work = Files.createTempDirectory("kofu-dev-pki");
        dataDir = Files.createDirectories(work.resolve("data"));
        file = work.resolve("municipalities.yml");
        Files.writeString(file, CITY);
    }

    @AfterEach
    void remove() {
        TestFiles.deleteRecursively(work);
    }

    @Test
    void refusesAProductionStartWithoutKeysAndNamesTheFirstMissingOne() {
        String message = failure(Map.of("kofu.municipalities-file", file.toString()));
        assertTrue(message.contains("kofu.tls.certificate: not set"), message);
        assertTrue(message.contains("kofu.jpki.trust-anchors"), "the other unset keys are listed: " + message);
        assertTrue(message.contains("kofu.dev-pki: true"), "says how to allow the development PKI: " + message);
        assertFalse(Files.exists(dataDir.resolve("dev-pki")), "no development PKI was made");
    }

    @Test
    void refusesAProductionStartWhoseMunicipalityHasNoSigningKey() {
        DevPki pki = DevPki.open(work.resolve("keys"), Clock.systemUTC());
        Map<String, Object> props = new HashMap<>(files(pki));
        props.put("kofu.municipalities-file", file.toString());
        String message = failure(props);
        assertTrue(message.contains("kofu.municipalities-file: municipalities[0].signingKeystore: not set"), message);
        assertFalse(Files.exists(dataDir.resolve("dev-pki")), "no development PKI was made");
    }

    @Test
    void startsWithAMunicipalitiesFileOnTheDevelopmentPkiWhenAskedTo() throws Exception {
        try (Node node = start(Map.of("kofu.municipalities-file", file.toString(),
                "kofu.dev-pki", "true"))) {
            assertTrue(Files.isRegularFile(dataDir.resolve("dev-pki/tls/server-chain.pem")));
            DevPki pki = DevPki.open(dataDir.resolve("dev-pki"), Clock.systemUTC());
            assertServes(node, pki);
        }
    }

    @Test
    void startsWithEveryKeyConfiguredAndMakesNoDevelopmentPki() throws Exception {
        DevPki pki = DevPki.open(work.resolve("keys"), Clock.systemUTC());
        Files.writeString(file, CITY + "    signingKeystore: \"" + pki.signingKeystore("112038") + "\"\n"
                + "    signingKeystorePassword: \"" + new String(pki.password()) + "\"\n");
        Map<String, Object> props = new HashMap<>(files(pki));
        props.put("kofu.municipalities-file", file.toString());
        try (Node node = start(props)) {
            assertServes(node, pki);
            assertFalse(Files.exists(dataDir.resolve("dev-pki")), "no development PKI under the data folder");
        }
    }

    @Test
    void allowsTheDevelopmentPkiByDefaultOnlyWithoutAMunicipalitiesFile() {
        assertTrue(settings(Map.of()).devPki(), "the demo start");
        assertFalse(settings(Map.of("kofu.municipalities-file", file.toString())).devPki(), "a production start");
        assertTrue(settings(Map.of("kofu.municipalities-file", file.toString(), "kofu.dev-pki", "true")).devPki());
        assertFalse(settings(Map.of("kofu.dev-pki", "false")).devPki());
    }

    @Test
    void refusesAKofuDevPkiThatIsNotTrueOrFalse() {
        SettingException e = assertThrows(SettingException.class, () -> settings(Map.of("kofu.dev-pki", "yes please")));
        assertTrue(e.getMessage().startsWith("kofu.dev-pki: "), e.getMessage());
    }

    /** The configured files of a PKI that is not the data folder's development PKI (as an operator's would be). */
    private static Map<String, Object> files(DevPki pki) {
        return Map.of("kofu.tls.certificate", pki.tlsCertificateChain().toString(),
                "kofu.tls.private-key", pki.tlsPrivateKey().toString(),
                "kofu.center.client-ca", pki.centerCa().toString(),
                "kofu.sync.client-ca", pki.syncCa().toString(),
                "kofu.jpki.trust-anchors", pki.jpkiTrustAnchors().toString(),
                "kofu.jpki.crl-dir", pki.jpkiCrlDir().toString());
    }

    /** The node answers over mutual TLS with the given PKI's server certificate and trusts its sync client. */
    private static void assertServes(Node node, DevPki pki) throws Exception {
        var uri = java.net.URI.create("https://localhost:" + httpsPort(node.server()) + "/");
        CenterClient sync = new CenterClient(uri, pki.syncClientKeystore(), pki.password(), pki.tlsCa());
        CenterClient.Response status = sync.get("/sync/v1/status");
        assertEquals(200, status.status(), status.text());
    }

    /** The node's mTLS port: the bound port that is not the management port. */
    private static int httpsPort(EmbeddedServer server) {
        int management = server.getApplicationContext().getBean(jp.kofu.ops.ManagementSettings.class).port();
        return ((io.micronaut.http.server.netty.NettyEmbeddedServer) server).getBoundPorts().stream()
                .filter(p -> p != management).findFirst().orElseThrow();
    }

    private KofuSettings settings(Map<String, Object> extra) {
        Map<String, Object> props = new HashMap<>(extra);
        props.put("kofu.data-dir", dataDir.toString());
        props.put("kofu.db.url", "jdbc:mariadb://127.0.0.1:1/unused");
        try (ApplicationContext context = ApplicationContext.builder().properties(props).build()) {
            Environment env = context.getEnvironment().start();
            return new KofuSettings(env);
        }
    }

    /** A node started in-process, as TestNode starts one but on the given settings only. */
    private record Node(ApplicationContext context, EmbeddedServer server) implements AutoCloseable {
        @Override
        public void close() {
            server.stop();
            context.close();
        }
    }

    private Node start(Map<String, Object> extra) {
        Map<String, Object> props = new HashMap<>();
        props.put("kofu.data-dir", dataDir.toString());
        props.put("kofu.db.url", TestDatabase.newDatabase());
        props.put("kofu.db.user", TestDatabase.app().user());
        props.put("kofu.db.password", TestDatabase.app().password());
        props.put("kofu.db.admin-user", TestDatabase.admin().user());
        props.put("kofu.db.admin-password", TestDatabase.admin().password());
        props.put(jp.kofu.TestNode.HTTPS_PORT, -1);
        props.put("kofu.management.port", jp.kofu.TestNode.freePort());
        props.putAll(extra);
        ApplicationContext context = ApplicationContext.builder().properties(props).eagerInitSingletons(true).start();
        try {
            return new Node(context, context.getBean(EmbeddedServer.class).start());
        } catch (RuntimeException e) {
            context.close();
            throw e;
        }
    }

    private String failure(Map<String, Object> extra) {
        Throwable e = assertThrows(RuntimeException.class, () -> start(extra).close());
        StringBuilder messages = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            messages.append(t.getMessage()).append('\n');
        }
        return messages.toString();
    }
}
