package jp.kofu.bench;

import jp.kofu.TestNode;
import jp.kofu.db.Database;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/** What the benchmarks print about the machine they ran on, and about a node's database server. */
final class BenchMachine {
    private BenchMachine() {}

    /** Cores, kernel, JVM, date and load average, on one line. */
    static String describe() {
        return String.format("machine: %d cores, kernel %s, Java %s (%s), -Xmx %d MB, %s, load average %s",
                Runtime.getRuntime().availableProcessors(), read("/proc/sys/kernel/osrelease"),
                System.getProperty("java.runtime.version"), System.getProperty("java.vm.name"),
                Runtime.getRuntime().maxMemory() / (1024 * 1024),
                OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS), loadAverage());
    }

    /** The 1-, 5- and 15-minute load averages of /proc/loadavg. */
    static String loadAverage() {
        String[] f = read("/proc/loadavg").split(" ");
        return f.length >= 3 ? f[0] + " " + f[1] + " " + f[2] : "?";
    }

    /** {@code VERSION()} of the database server a node's pool reaches, and the Galera provider's version if any. */
    static String databaseVersion(TestNode node) {
        return node.context().getBean(Database.class).withConnection(BenchMachine::serverVersion);
    }

    static String serverVersion(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            String version;
            try (ResultSet rs = s.executeQuery("SELECT VERSION()")) {
                rs.next();
                version = rs.getString(1);
            }
            try (ResultSet rs = s.executeQuery("SHOW GLOBAL STATUS LIKE 'wsrep_provider_version'")) {
                if (rs.next() && !rs.getString(2).isBlank()) {
                    version += ", Galera provider " + rs.getString(2);
                }
            }
            return "MariaDB " + version;
        }
    }

    private static String read(String file) {
        try {
            return Files.readString(Path.of(file)).trim();
        } catch (IOException e) {
            return "?";
        }
    }
}
