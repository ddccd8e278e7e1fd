package jp.kofu.audit;

import jp.kofu.ServiceProcess;
import jp.kofu.db.DbAccount;
import jp.kofu.db.EmbeddedMariaDb;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code java -jar kofu.jar verify-log} on the packaged jar and the default embedded database: intact while the
 * service runs; broken, at the right row, once a row is changed behind its back; and the same once it is stopped.
 */
final class VerifyLogIT {
    private record Run(int exit, String output) {}

    @Test
    void reportsIntactThenWhereTheChainBreaksWhileRunningAndStopped() throws Exception {
        try (ServiceProcess service = ServiceProcess.onNewDataDir("verify-log")) {
            service.start();
            Run demo = kofu(service, "demo-issue", "--resident", "R0000001", "--out",
                    service.dataDir().resolve("j.pdf").toString(), "--url", service.uri().toString());
            assertEquals(0, demo.exit(), demo.output());

            Run intact = kofu(service, "verify-log");
            assertEquals(0, intact.exit(), intact.output());
            assertTrue(intact.output().contains("[改ざんなし / INTACT] 112038 川口市"), intact.output());
            assertTrue(intact.output().contains("running Kofu"), intact.output());

            Path home = service.dataDir().resolve("mariadb");
            DbAccount admin = EmbeddedMariaDb.storedAccount(home, true);
            try (Connection c = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:"
                    + EmbeddedMariaDb.runningPort(home).orElseThrow() + "/kofu", admin.user(), admin.password());
                 Statement s = c.createStatement()) {
                // the node's own chain of 112038 (one per municipality and node: 112038/<host name>)
                assertEquals(1, s.executeUpdate("UPDATE issuance_log SET fee = 0 WHERE chain_key LIKE '112038/%'"
                        + " AND chain_seq = 1"));
            }
            Run broken = kofu(service, "verify-log", "--municipality", "112038");
            assertEquals(1, broken.exit(), broken.output());
            assertTrue(broken.output().contains("[改ざんあり / BROKEN] 112038"), broken.output());
            assertTrue(broken.output().contains("連番 / sequence 1, id 1: 記録が書き換えられています / a row was changed"),
                    broken.output());
            assertTrue(broken.output().contains("チェーン / chain 112038/"), broken.output());

            assertTrue(service.stop());
            Run stopped = kofu(service, "verify-log");
            assertEquals(1, stopped.exit(), stopped.output());
            assertTrue(stopped.output().contains("sequence 1, id 1"), stopped.output());
        }
    }

    private static Run kofu(ServiceProcess service, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(ServiceProcess.java());
        command.addAll(List.of("-jar", ServiceProcess.JAR.toString()));
        command.addAll(List.of(args));
        command.addAll(List.of("--data-dir", service.dataDir().toString()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        return new Run(p.exitValue(), output);
    }
}
