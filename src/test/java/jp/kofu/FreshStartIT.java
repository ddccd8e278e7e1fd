package jp.kofu;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's path for a newcomer, on the packaged jar: start with nothing configured (embedded MariaDB, dev keys,
 * demo residents), get a signed 住民票 with {@code demo-issue}, restart, and find the data kept.
 */
final class FreshStartIT {
    @Test
    void startsFromNothingIssuesADemoCertificateAndKeepsItsDataAcrossARestart() throws Exception {
        try (ServiceProcess service = ServiceProcess.onNewDataDir("fresh-start")) {
            service.start();
            assertTrue(service.log().contains("Loaded 7 demo residents"), "demo residents loaded");
            assertTrue(Files.isRegularFile(service.dataDir().resolve("dev-pki/tls/server-chain.pem")), "dev keys");

            Path pdf = service.dataDir().resolve("juminhyo.pdf");
            String first = demoIssue(service, pdf);
            assertTrue(first.contains("-000001"), first);
            byte[] bytes = Files.readAllBytes(pdf);
            assertEquals("%PDF-", new String(bytes, 0, 5, StandardCharsets.US_ASCII), "a PDF was written");

            try (ServiceProcess second = new ServiceProcess(service.dataDir())) {
                // Regression guard: a second start on the same folder must not take the running node's database.
                IllegalStateException refused = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                        second::start);
                assertTrue(refused.getMessage().contains("in use by a running Kofu"), refused.getMessage());
            }
            assertTrue(demoIssue(service, pdf).contains("-000002"), "the first node still serves");

            assertTrue(service.stop(), "the service stops on SIGTERM");
            service.start();
            String second = demoIssue(service, pdf);
            // A restarted node reserves a new block of numbers (51–100): the rest of its first block stays unused.
            assertTrue(second.contains("-000051"), "the issuance counter survived the restart: " + second);
            assertFalse(service.log().contains("Loaded 7 demo residents"), "demo residents are loaded once");
        }
    }

    private static String demoIssue(ServiceProcess service, Path out) throws Exception {
        List<String> command = new java.util.ArrayList<>(ServiceProcess.java());
        command.addAll(List.of("-jar", ServiceProcess.JAR.toString(), "demo-issue", "--resident", "R0000001",
                "--out", out.toString(), "--data-dir", service.dataDir().toString(), "--url", service.uri().toString()));
        Process p = new ProcessBuilder(command)
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), output);
        return output;
    }
}
