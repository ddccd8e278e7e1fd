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

    /** Cores, CPU model, kernel, JVM, date and load average, on one line. */
    static String describe() {
        return String.format("machine: %d cores (%s), kernel %s, Java %s (%s), -Xmx %d MB, %s, load average %s",
                Runtime.getRuntime().availableProcessors(), cpuModel(), read("/proc/sys/kernel/osrelease"),
                System.getProperty("java.runtime.version"), System.getProperty("java.vm.name"),
                Runtime.getRuntime().maxMemory() / (1024 * 1024),
                OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS), loadAverage());
    }

    /** The {@code model name} of the first processor in /proc/cpuinfo. */
    static String cpuModel() {
        return read("/proc/cpuinfo").lines().filter(l -> l.startsWith("model name")).findFirst()
                .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("?");
    }

    /** The 1-, 5- and 15-minute load averages of /proc/loadavg. */
    static String loadAverage() {
        String[] f = read("/proc/loadavg").split(" ");
        return f.length >= 3 ? f[0] + " " + f[1] + " " + f[2] : "?";
    }

    /**
     * TCP sockets of this machine by state from /proc/net/tcp and tcp6: established with the local port {@code port}
     * (a server's accepted connections), and in {@code TIME_WAIT} at either end (closed connections). Many of the
     * second kind after a run would mean that connections were not kept alive.
     */
    static String serverSockets(int port) {
        int established = 0;
        int timeWait = 0;
        String hexPort = String.format(":%04X", port);
        for (String file : new String[] {"/proc/net/tcp", "/proc/net/tcp6"}) {
            for (String line : read(file).lines().skip(1).toList()) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 3 && f[1].endsWith(hexPort) && f[3].equals("01")) {
                    established++;
                } else if (f.length > 3 && (f[1].endsWith(hexPort) || f[2].endsWith(hexPort)) && f[3].equals("06")) {
                    timeWait++; // on the side that closed first, client or server
                }
            }
        }
        return established + " established, " + timeWait + " in TIME_WAIT";
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
