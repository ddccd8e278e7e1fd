package jp.kofu.municipality;

import jp.kofu.KofuMain;
import jp.kofu.TestFiles;
import jp.kofu.TestMunicipalities;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SIGHUP to a running node (the real main in its own JVM) reloads its municipalities file: a good file is taken, a
 * bad one refused with its key while the node keeps running on the settings it had.
 */
final class HangupReloadTest {
    private static String yaml(String fees) {
        return TestMunicipalities.yaml(TestMunicipalities.kawaguchi("fees: " + fees + "\n"
                + "syncClients: [\"" + MunicipalityRegistry.DEMO_SYNC_CLIENT + "\"]"));
    }

    @Test
    void aHangupReloadsTheFileAndABadFileIsRefusedWithItsKey() throws Exception {
        Path dataDir = Files.createTempDirectory("kofu-hangup");
        Path file = dataDir.resolve("municipalities.yml");
        Files.writeString(file, yaml("{ JUMINHYO: 200 }"));
        Path log = dataDir.resolve("out.txt");
        Process node = KofuMain.process(dataDir, "hangup-test", List.of("-Dkofu.municipalities-file=" + file))
                .redirectOutput(log.toFile()).start();
        try {
            awaitLine(node, log, "Startup completed", Duration.ofSeconds(120));

            Files.writeString(file, yaml("{ JUMINHYO: 300, INKAN: 300 }"));
            hangup(node);
            awaitLine(node, log, "Municipalities file reloaded: added [], changed [112038], removed []",
                    Duration.ofSeconds(30));

            Files.writeString(file, yaml("{ JUMINHYO: 300, SHOMEI: 300 }"));
            hangup(node);
            String refused = awaitLine(node, log, "reload refused", Duration.ofSeconds(30));
            assertTrue(refused.contains("kofu.municipalities-file: municipalities[0].fees.SHOMEI: not a certificate"
                    + " type"), refused);
            assertTrue(node.isAlive(), "the node keeps running on the settings it had");
        } finally {
            node.destroy();
            assertTrue(node.waitFor(60, TimeUnit.SECONDS));
            TestFiles.deleteRecursively(dataDir);
        }
    }

    private static void hangup(Process node) throws Exception {
        assertEquals(0, new ProcessBuilder("kill", "-HUP", String.valueOf(node.pid())).start().waitFor());
    }

    /** The first line of the node's output that contains {@code text}, waiting up to {@code limit}. */
    private static String awaitLine(Process node, Path log, String text, Duration limit) throws Exception {
        long end = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < end) {
            if (Files.exists(log)) {
                for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
                    if (line.contains(text)) {
                        return line;
                    }
                }
            }
            if (!node.isAlive()) {
                throw new AssertionError("the node stopped: " + Files.readString(log));
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no line with '" + text + "' in " + limit + ": " + Files.readString(log));
    }
}
