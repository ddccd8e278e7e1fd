package jp.kofu.config;

import jp.kofu.KofuMain;
import jp.kofu.TestFiles;
import jp.kofu.TestMunicipalities;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real main in its own JVM with a bad setting, as an operator starts it: one paragraph that names the key, the
 * problem and the fix, a non-zero exit, and no stack trace unless {@code --debug}. Regression: a wrong setting
 * printed an 80-frame Micronaut stack trace around the one useful sentence.
 */
final class StartupErrorTest {
    private static Path dataDir;
    private static Path badFile;

    @BeforeAll
    static void files() throws Exception {
        dataDir = Files.createTempDirectory("kofu-startup");
        // 112039: the check digit of 川口市's code is 8.
        badFile = TestMunicipalities.file(TestMunicipalities.yaml(TestMunicipalities.kawaguchi("fees: { JUMINHYO: 200 }\n"
                + "syncClients: [\"CN=feed,O=Kofu (DEV),C=JP\"]").replace("112038", "112039")));
    }

    @AfterAll
    static void clean() throws Exception {
        TestFiles.deleteRecursively(dataDir);
        Files.deleteIfExists(badFile);
    }

    @Test
    void aBadMunicipalitiesFileIsOneParagraphNamingTheKey() throws Exception {
        Run run = start(List.of("-Dkofu.municipalities-file=" + badFile));
        run.assertOneParagraph("kofu.municipalities-file", "municipalities[0].code");
    }

    @Test
    void aBadPortIsOneParagraphNamingTheKey() throws Exception {
        Run run = start(List.of("-Dkofu.https.port=70000"));
        run.assertOneParagraph("kofu.https.port", "port number");
    }

    @Test
    void aPortInUseIsOneParagraphNamingTheKey() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0)) {
            int port = taken.getLocalPort();
            Run run = start(List.of("-Dkofu.https.port=" + port));
            run.assertOneParagraph("kofu.https.port", "cannot listen on the port " + port);
        }
    }

    @Test
    void aManagementPortInUseNamesTheManagementKey() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0)) {
            int port = taken.getLocalPort();
            Run run = start(List.of("-Dkofu.management.port=" + port));
            run.assertOneParagraph("kofu.management.port", "cannot listen on the port " + port);
        }
    }

    @Test
    void aMissingKeyFileIsOneParagraphNamingTheKey() throws Exception {
        Path missing = dataDir.resolve("no-such-key.pem");
        Run run = start(List.of("-Dkofu.tls.certificate=" + dataDir.resolve("no-such-cert.pem"),
                "-Dkofu.tls.private-key=" + missing));
        run.assertOneParagraph("kofu.tls.certificate", "no-such-cert.pem");
    }

    @Test
    void debugAddsTheStackTrace() throws Exception {
        Run run = start(List.of("-Dkofu.municipalities-file=" + badFile, "--debug"));
        assertNotEquals(0, run.exit, run.output);
        assertTrue(run.output.contains("Kofu did not start: the setting kofu.municipalities-file is wrong."), run.output);
        assertTrue(run.output.lines().anyMatch(l -> l.startsWith("\tat ")), run.output);
    }

    private record Run(int exit, String output) {
        void assertOneParagraph(String key, String problem) {
            assertNotEquals(0, exit, output);
            assertTrue(output.contains("Kofu did not start: the setting " + key + " is wrong."), output);
            assertTrue(output.contains("Problem: "), output);
            assertTrue(output.lines().anyMatch(l -> l.contains("Problem: ") && l.contains(problem)), output);
            assertTrue(output.contains("Fix: correct " + key), output);
            assertFalse(output.lines().anyMatch(l -> l.stripLeading().startsWith("at ")), output);
            assertFalse(output.contains("Exception"), output);
            assertEquals(1, output.split("Kofu did not start").length - 1, output);
        }
    }

    /** Kofu's main on this test JVM's class path, with the settings a test node has and {@code extra}. */
    private static Run start(List<String> extra) throws Exception {
        Path out = dataDir.resolve("out-" + System.nanoTime() + ".txt");
        Process p = KofuMain.process(dataDir, "startup-test", extra).redirectOutput(out.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError("Kofu did not stop on a bad setting: " + Files.readString(out));
        }
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
    }
}
