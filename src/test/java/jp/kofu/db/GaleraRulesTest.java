package jp.kofu.db;

import jp.kofu.TestDatabase;
import jp.kofu.TestNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What Kofu must keep to run on a MariaDB Galera cluster (docs/cluster.md): Galera replicates only InnoDB tables,
 * needs a primary key on every table to replicate rows and certify them, and does not replicate named locks or
 * table locks.
 */
final class GaleraRulesTest {
    @Test
    void everyTableOfTheMigratedSchemaIsInnoDbWithAPrimaryKey() throws Exception {
        try (TestNode node = TestNode.start();
             Connection c = DriverManager.getConnection(node.dbUrl(), TestDatabase.admin().user(),
                     TestDatabase.admin().password());
             Statement s = c.createStatement()) {
            Map<String, String> engines = new TreeMap<>();
            try (ResultSet rs = s.executeQuery("SELECT TABLE_NAME, ENGINE FROM information_schema.TABLES"
                    + " WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE'")) {
                while (rs.next()) {
                    engines.put(rs.getString(1), rs.getString(2));
                }
            }
            assertTrue(engines.keySet().containsAll(List.of("issuance", "issuance_log", "number_block_log",
                    "snapshot_load", "flyway_schema_history")), "the migrated schema: " + engines.keySet());
            List<String> notInnoDb = new ArrayList<>();
            engines.forEach((table, engine) -> {
                if (!"InnoDB".equalsIgnoreCase(engine)) {
                    notInnoDb.add(table + " (" + engine + ")");
                }
            });
            assertEquals(List.of(), notInnoDb, "Galera replicates only InnoDB tables");

            List<String> withoutKey = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT t.TABLE_NAME FROM information_schema.TABLES t"
                    + " LEFT JOIN information_schema.TABLE_CONSTRAINTS k ON k.TABLE_SCHEMA = t.TABLE_SCHEMA"
                    + " AND k.TABLE_NAME = t.TABLE_NAME AND k.CONSTRAINT_TYPE = 'PRIMARY KEY'"
                    + " WHERE t.TABLE_SCHEMA = DATABASE() AND t.TABLE_TYPE = 'BASE TABLE'"
                    + " AND k.CONSTRAINT_NAME IS NULL ORDER BY t.TABLE_NAME")) {
                while (rs.next()) {
                    withoutKey.add(rs.getString(1));
                }
            }
            assertEquals(List.of(), withoutKey, "tables without a PRIMARY KEY (Galera needs one on every table)");
        }
    }

    /**
     * The schema test above sees only the tables the migrations leave. A named lock or a table lock is taken by a
     * statement at run time and leaves nothing in the schema, and a MyISAM table may be created by a statement of the
     * code (a temporary or scratch table) rather than by a migration; none of them is replicated by Galera, and each
     * would work on one database server and fail silently on a cluster (two nodes both holding "the" lock, rows on
     * one node only). No test on the single embedded server would notice, so the main sources (Java and resources,
     * migrations included) are scanned for the words themselves.
     */
    @Test
    void theMainSourcesTakeNoNamedOrTableLockAndUseNoMyIsam() throws IOException {
        Pattern forbidden = Pattern.compile("\\bGET_LOCK\\b|\\bLOCK\\s+TABLES?\\b|\\bMyISAM\\b",
                Pattern.CASE_INSENSITIVE);
        List<String> found = new ArrayList<>();
        int scanned = 0;
        for (Path root : List.of(Path.of("src/main/java"), Path.of("src/main/resources"))) {
            List<Path> files;
            try (Stream<Path> walk = Files.walk(root)) {
                files = walk.filter(Files::isRegularFile).sorted().toList();
            }
            for (Path file : files) {
                // Read as Latin-1: every byte is a character, so binary resources (fonts, images) are read too.
                String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                scanned++;
                Matcher m = forbidden.matcher(text);
                while (m.find()) {
                    int line = 1 + (int) text.substring(0, m.start()).chars().filter(ch -> ch == '\n').count();
                    found.add(file + ":" + line + ": " + m.group());
                }
            }
        }
        assertTrue(scanned > 100, "the scan read the sources: " + scanned + " files");
        assertEquals(List.of(), found, "not replicated by Galera (docs/cluster.md)");
    }
}
