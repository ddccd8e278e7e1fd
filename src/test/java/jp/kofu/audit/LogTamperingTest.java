package jp.kofu.audit;

import jp.kofu.TestClock;
import jp.kofu.TestDatabase;
import jp.kofu.TestNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The issuance log as an attacker with the database meets it: the service's own account cannot change or remove a
 * row, and whatever the admin account changes, removes or adds directly is found by the verifier at its place.
 */
final class LogTamperingTest {
    private static final String CITY = "112038";
    /** MariaDB's ER_TABLEACCESS_DENIED_ERROR: "command denied to user … for table …". */
    private static final int COMMAND_DENIED = 1142;

    private static TestClock clock;
    private static TestNode node;

    @BeforeAll
    static void start() {
        clock = new TestClock(Instant.parse("2026-11-22T01:00:00Z"));
        node = TestNode.start(Map.of(), clock);
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    /** The chain this node writes for a municipality. */
    private static String key(String municipality) {
        return municipality + "/" + node.context().getBean(jp.kofu.config.KofuSettings.class).nodeName();
    }

    /**
     * A fresh chain of {@code n} rows in a municipality of its own (the chains are per municipality and node):
     * answers the municipality; the chain is {@link #key}.
     */
    private static String chainOf(int n) {
        String chain = String.format("9%05d", COUNTER++);
        IssuanceLog log = node.context().getBean(IssuanceLog.class);
        for (int i = 1; i <= n; i++) {
            log.write(new IssuanceLogEntry(clock.instant(), "ISSUANCE", i % 3 == 0 ? "REFUSED" : "ISSUED",
                    i % 3 == 0 ? "NOT_ISSUABLE" : null, chain, "KIOSK", null, "T-1", "C-" + chain + "-" + i,
                    "CN=center #1", "cn=test ca", "1a", "R000000" + i, "R000000" + i, "JUMINHYO", "SELF", "", 1, 1,
                    200, chain + "-20261122-00000" + i, "ab".repeat(32)));
        }
        return chain;
    }

    private static int COUNTER = 1;

    private static ChainReport verify(String chain) {
        return node.context().getBean(LogChainVerifier.class).verify(chain);
    }

    private static void admin(String sql, Object... parameters) throws SQLException {
        try (Connection c = DriverManager.getConnection(node.dbUrl(), TestDatabase.admin().user(),
                TestDatabase.admin().password()); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                s.setObject(i + 1, parameters[i]);
            }
            s.executeUpdate();
        }
    }

    private static long idOf(String municipality, long seq) {
        return node.count("SELECT id FROM issuance_log WHERE chain_key = '" + key(municipality) + "' AND chain_seq = "
                + seq);
    }

    @Test
    void theServiceAccountCanOnlyAppendToAndReadTheLog() throws Exception {
        String chain = chainOf(2);
        try (Connection app = DriverManager.getConnection(node.dbUrl(), TestDatabase.app().user(),
                TestDatabase.app().password()); Statement s = app.createStatement()) {
            for (String sql : List.of("UPDATE issuance_log SET fee = 0 WHERE chain_key = '" + key(chain) + "'",
                    "DELETE FROM issuance_log WHERE chain_key = '" + key(chain) + "'",
                    "UPDATE log_checkpoint SET last_seq = 0", "DELETE FROM log_checkpoint",
                    "UPDATE log_day_checkpoint SET body = ''", "DELETE FROM log_day_checkpoint",
                    "TRUNCATE TABLE log_day_checkpoint",
                    "TRUNCATE TABLE issuance_log", "DROP TABLE issuance_log",
                    "ALTER TABLE issuance_log DROP INDEX issuance_log_chain")) {
                SQLException refused = assertThrows(SQLException.class, () -> s.executeUpdate(sql), sql);
                assertEquals(COMMAND_DENIED, refused.getErrorCode(), sql + ": " + refused.getMessage());
            }
            try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM issuance_log WHERE chain_key = '" + key(chain)
                    + "'")) {
                rs.next();
                assertEquals(2, rs.getLong(1), "the rows are still there and readable");
            }
            // Every other table keeps the DML the service needs.
            assertEquals(0, s.executeUpdate("UPDATE issuance SET fee = fee WHERE issuance_number = 'none'"));
        }
        assertTrue(verify(chain).intact());
    }

    @Test
    void theConsoleShowsTheBreakInItsOwnWords() throws Exception {
        String chain = chainOf(4);
        jp.kofu.console.LogIntegrity integrity = node.context().getBean(jp.kofu.console.LogIntegrity.class);
        assertEquals(jp.kofu.console.LogIntegrity.Result.intact(4, List.of(new jp.kofu.console.LogIntegrity.Chain(
                key(chain), key(chain).substring(7), 4, 4, true))), integrity.check(chain));
        admin("UPDATE issuance_log SET fee = 0 WHERE chain_key = ? AND chain_seq = 3", key(chain));
        jp.kofu.console.LogIntegrity.Result broken = integrity.check(chain);
        assertEquals(jp.kofu.console.LogIntegrity.State.BROKEN, broken.state());
        assertEquals("記録が書き換えられています（連番 3、記録ID " + idOf(chain, 3) + "、チェーン " + key(chain) + "）",
                broken.whereBroken());
        assertFalse(broken.chains().get(0).intact());
        assertEquals(1, node.count("SELECT COUNT(*) FROM alarm WHERE kind = 'LOG_CHAIN_BROKEN' AND ended_at IS NULL"
                + " AND municipality_code = '" + chain + "' AND detail LIKE '%連番 3%'"), "the break is an alarm");
        integrity.check(chain);
        assertEquals(1, node.count("SELECT COUNT(*) FROM alarm WHERE kind = 'LOG_CHAIN_BROKEN'"
                + " AND municipality_code = '" + chain + "'"), "checked again: the same open row");
    }

    @Test
    void findsARowChangedInTheDatabase() throws Exception {
        String chain = chainOf(5);
        assertTrue(verify(chain).intact(), verify(chain).toString());
        admin("UPDATE issuance_log SET requester_id = 'R9999999' WHERE chain_key = ? AND chain_seq = 3", key(chain));

        ChainReport report = verify(chain);
        assertFalse(report.intact());
        assertEquals(5, report.entriesChecked());
        assertEquals(1, report.totalBreaks(), report.toString());
        ChainBreak b = report.firstBreak().orElseThrow();
        assertEquals(ChainBreak.Kind.CHANGED_ROW, b.kind());
        assertEquals(key(chain), b.chain());
        assertEquals(3, b.sequence());
        assertEquals(idOf(chain, 3), b.rowId());
    }

    @Test
    void findsADeletedRowInTheMiddleAndAtTheEnd() throws Exception {
        String chain = chainOf(5);
        admin("DELETE FROM issuance_log WHERE chain_key = ? AND chain_seq = 2", key(chain));
        ChainBreak middle = verify(chain).firstBreak().orElseThrow();
        assertEquals(ChainBreak.Kind.DELETED_ROW, middle.kind());
        assertEquals(2, middle.sequence());
        assertEquals(1, verify(chain).totalBreaks(), "the row after the gap is not blamed too");

        admin("DELETE FROM issuance_log WHERE chain_key = ? AND chain_seq = 5", key(chain));
        ChainReport report = verify(chain);
        assertEquals(2, report.totalBreaks(), report.toString());
        assertEquals(ChainBreak.Kind.DELETED_ROW, report.breaks().get(1).kind());
        assertEquals(5, report.breaks().get(1).sequence(), "the chain head still names row 5");
    }

    @Test
    void findsForgedRows() throws Exception {
        String chain = chainOf(3);
        admin("INSERT INTO issuance_log (logged_at, endpoint, result, municipality_code, issuance_number)"
                + " VALUES (NOW(3), 'ISSUANCE', 'ISSUED', ?, 'forged')", chain);
        ChainReport outside = verify(chain);
        assertEquals(ChainBreak.Kind.INSERTED_ROW, outside.firstBreak().orElseThrow().kind());
        assertEquals(node.count("SELECT id FROM issuance_log WHERE issuance_number = 'forged'"),
                outside.firstBreak().orElseThrow().rowId());

        // A forger who knows the encoding, appends a well-formed fourth row, but cannot take the head with it.
        String chain2 = chainOf(3);
        List<String> values = ChainEncodingTest.example();
        values.set(0, key(chain2));
        values.set(1, "4");
        values.set(2, lastHash(key(chain2)));
        values.set(7, chain2);
        insertRow(values);
        ChainBreak appended = verify(chain2).firstBreak().orElseThrow();
        assertEquals(ChainBreak.Kind.INSERTED_ROW, appended.kind());
        assertEquals(4, appended.sequence());
    }

    @Test
    void findsARowChangedWithItsHashRecomputed() throws Exception {
        String city = chainOf(4);
        String chain = key(city);
        List<String> row2 = values(chain, 2);
        row2.set(ChainEncoding.COLUMNS.indexOf("fee"), "0");
        admin("UPDATE issuance_log SET fee = 0, entry_hash = ? WHERE chain_key = ? AND chain_seq = 2",
                ChainEncoding.entryHash(row2), chain);
        ChainBreak b = verify(city).firstBreak().orElseThrow();
        assertEquals(ChainBreak.Kind.BROKEN_LINK, b.kind());
        assertEquals(3, b.sequence(), "row 3 no longer follows row 2");
    }

    @Test
    void checkpointsCatchAChainRewrittenWholeAndTheirOwnForgery() throws Exception {
        String city = CITY;
        String chain = key(city);
        IssuanceLog log = node.context().getBean(IssuanceLog.class);
        LogCheckpoints checkpoints = node.context().getBean(LogCheckpoints.class);
        for (int i = 0; i < 3; i++) {
            log.write(new IssuanceLogEntry(clock.instant(), "ISSUANCE", "REFUSED", "NOT_ISSUABLE", city, "KIOSK",
                    null, "T-1", "C-cp-" + i, "CN=center #1", null, null, null, null, "JUMINHYO", null, null, 1,
                    null, null, null, null));
        }
        // (The node's own job may run at any moment too: count the rows, not what this call wrote.)
        String written = "SELECT COUNT(*) FROM log_day_checkpoint WHERE municipality_code = '" + city + "'";
        checkpoints.writeMissing();
        assertEquals(0, node.count(written), "today is not over");
        clock.advance(Duration.ofDays(1));
        checkpoints.writeMissing();
        assertEquals(1, node.count(written), "yesterday gets its checkpoint");
        assertEquals(0, checkpoints.writeMissing(), "once");
        ChainReport good = verify(city);
        assertTrue(good.intact(), good.toString());
        assertEquals(1, good.checkpointsChecked());

        // An attacker who rewrites every row after a change, and the head, leaves no trace but the signed checkpoint.
        long last = node.count("SELECT last_seq FROM log_chain_head WHERE chain_key = '" + chain + "'");
        List<String> row = values(chain, 2);
        row.set(ChainEncoding.COLUMNS.indexOf("terminal_id"), "T-forged");
        rechain(chain, 2, row, last);
        ChainReport rewritten = verify(city);
        assertEquals(1, rewritten.totalBreaks(), rewritten.toString());
        assertEquals(ChainBreak.Kind.CHECKPOINT_MISMATCH, rewritten.firstBreak().orElseThrow().kind());
        assertEquals(chain, rewritten.firstBreak().orElseThrow().chain());
        assertEquals(LocalDate.of(2026, 11, 22), rewritten.firstBreak().orElseThrow().day());

        // … and a checkpoint re-made to match, without the municipality's key, does not verify.
        String body = checkpointBody(city);
        assertTrue(body.contains("chain=" + chain + " lastSequence=" + last + " headHash="), body);
        admin("UPDATE log_day_checkpoint SET body = ? WHERE municipality_code = ?", body.replaceAll(
                "headHash=[0-9a-f]{64}", "headHash=" + lastHash(chain)).getBytes(java.nio.charset.StandardCharsets.UTF_8),
                city);
        ChainBreak forged = verify(city).firstBreak().orElseThrow();
        assertEquals(ChainBreak.Kind.BAD_CHECKPOINT_SIGNATURE, forged.kind());
        assertEquals(LocalDate.of(2026, 11, 22), forged.day());
    }

    /**
     * A log written before chains were per node: the chain of the bare code and its checkpoint of the older form
     * (/1) stay, are verified as before, and are listed in the day checkpoints (/2) from then on, with the node's
     * chain. A chain that a day checkpoint should list but does not (rows inserted behind its back) is reported.
     */
    @Test
    void olderChainsAndCheckpointsStayAndANewChainMustBeListed() throws Exception {
        TestClock own = new TestClock(Instant.parse("2026-11-22T01:00:00Z"));
        try (TestNode older = TestNode.start(Map.of(), own)) {
            LocalDate dayBefore = LocalDate.of(2026, 11, 21);
            LocalDateTime before = IssuanceLog.stored(Instant.parse("2026-11-21T02:00:00Z"));
            CheckpointKeys keys = older.context().getBean(CheckpointKeys.class);
            String legacyHead;
            try (Connection c = DriverManager.getConnection(older.dbUrl(), TestDatabase.admin().user(),
                    TestDatabase.admin().password())) {
                c.setAutoCommit(false);
                // Two rows of the chain "112038", the head, and the signed checkpoint /1 of their day.
                String prev = ChainEncoding.GENESIS;
                for (int seq = 1; seq <= 2; seq++) {
                    List<String> row = ChainEncodingTest.example();
                    row.set(1, Integer.toString(seq));
                    row.set(2, prev);
                    row.set(3, ChainEncoding.time(before.plusMinutes(seq)));
                    row.set(11, "C-older-" + seq);
                    prev = insertRow(c, row);
                }
                legacyHead = prev;
                execute(c, "INSERT INTO log_chain_head (chain_key, last_seq, last_hash, updated_at)"
                        + " VALUES ('112038', 2, ?, NOW(3))", prev);
                byte[] signature = keys.signer(CITY).orElseThrow().sign(new java.io.ByteArrayInputStream(
                        ChainEncoding.checkpointBytes(CITY, dayBefore, 2, prev)));
                execute(c, "INSERT INTO log_checkpoint (chain_key, log_day, last_seq, head_hash, signed_at, signature)"
                        + " VALUES ('112038', ?, 2, ?, NOW(3), ?)", dayBefore, prev, signature);
                c.commit();
            }
            older.context().getBean(IssuanceLog.class).write(new IssuanceLogEntry(own.instant(), "ISSUANCE",
                    "REFUSED", "NOT_ISSUABLE", CITY, "KIOSK", null, "T-1", "C-new-1", "CN=center #1", null, null,
                    null, null, "JUMINHYO", null, null, 1, null, null, null, null));
            String nodeChain = CITY + "/" + older.context().getBean(jp.kofu.config.KofuSettings.class).nodeName();
            LogChainVerifier verifier = older.context().getBean(LogChainVerifier.class);
            ChainReport report = verifier.verify(CITY);
            assertTrue(report.intact(), report.toString());
            assertEquals(List.of(new ChainReport.Chain(CITY, 2, 2, 0), new ChainReport.Chain(nodeChain, 1, 1, 0)),
                    report.chains());
            assertEquals(1, report.checkpointsChecked());

            // The next day: the day checkpoint of 2026-11-22 lists both chains; 2026-11-21 keeps its older one.
            own.advance(Duration.ofDays(1));
            older.context().getBean(LogCheckpoints.class).writeMissing();
            assertEquals(1, older.count("SELECT COUNT(*) FROM log_day_checkpoint"));
            assertEquals(0, older.count("SELECT COUNT(*) FROM log_day_checkpoint WHERE log_day = '2026-11-21'"));
            String body = new String(older.context().getBean(jp.kofu.db.Database.class).withConnection(c -> {
                try (var s = c.createStatement(); var rs = s.executeQuery("SELECT body FROM log_day_checkpoint")) {
                    rs.next();
                    return rs.getBytes(1);
                }
            }), java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(body.startsWith("kofu-issuance-log-checkpoint/2\nmunicipality=112038\nday=2026-11-22\n"
                    + "chain=112038 lastSequence=2 headHash=" + legacyHead + "\nchain=" + nodeChain
                    + " lastSequence=1 headHash="), body);
            ChainReport checked = verifier.verify(CITY);
            assertTrue(checked.intact(), checked.toString());
            assertEquals(2, checked.checkpointsChecked());

            // A chain made behind the checkpoints' back, with a row of 2026-11-21, well-formed and with its head.
            String intruder = CITY + "/intruder";
            try (Connection c = DriverManager.getConnection(older.dbUrl(), TestDatabase.admin().user(),
                    TestDatabase.admin().password())) {
                List<String> row = ChainEncodingTest.example();
                row.set(0, intruder);
                row.set(3, ChainEncoding.time(before));
                String hash = insertRow(c, row);
                execute(c, "INSERT INTO log_chain_head (chain_key, last_seq, last_hash, updated_at)"
                        + " VALUES (?, 1, ?, NOW(3))", intruder, hash);
            }
            ChainReport unlisted = verifier.verify(CITY);
            assertEquals(1, unlisted.totalBreaks(), unlisted.toString());
            ChainBreak b = unlisted.firstBreak().orElseThrow();
            assertEquals(ChainBreak.Kind.INSERTED_ROW, b.kind());
            assertEquals(intruder, b.chain());
            assertEquals(LocalDate.of(2026, 11, 22), b.day());
            assertEquals(1, b.sequence());
        }
    }

    private static void execute(Connection c, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                s.setObject(i + 1, parameters[i]);
            }
            s.executeUpdate();
        }
    }

    /** Inserts a row with the given hashed values and its hash, on {@code c}; answers the hash. */
    private static String insertRow(Connection c, List<String> values) throws SQLException {
        List<Object> parameters = new ArrayList<>(values);
        parameters.set(ChainEncoding.COLUMNS.indexOf("logged_at"), LocalDateTime.parse(values.get(3)));
        String hash = ChainEncoding.entryHash(values);
        parameters.add(hash);
        execute(c, "INSERT INTO issuance_log (" + String.join(", ", ChainEncoding.COLUMNS) + ", entry_hash) VALUES ("
                + "?, ".repeat(values.size()) + "?)", parameters.toArray());
        return hash;
    }

    private static String checkpointBody(String municipality) throws SQLException {
        try (Connection c = DriverManager.getConnection(node.dbUrl(), TestDatabase.admin().user(),
                TestDatabase.admin().password()); PreparedStatement s = c.prepareStatement(
                "SELECT body FROM log_day_checkpoint WHERE municipality_code = ?")) {
            s.setString(1, municipality);
            try (ResultSet rs = s.executeQuery()) {
                assertTrue(rs.next());
                return new String(rs.getBytes(1), java.nio.charset.StandardCharsets.UTF_8);
            }
        }
    }

    private static String lastHash(String chain) throws SQLException {
        try (Connection c = DriverManager.getConnection(node.dbUrl(), TestDatabase.admin().user(),
                TestDatabase.admin().password()); PreparedStatement s = c.prepareStatement(
                "SELECT last_hash FROM log_chain_head WHERE chain_key = ?")) {
            s.setString(1, chain);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    /** The hashed values of a row, read back as the verifier reads them. */
    private static List<String> values(String chain, long seq) throws SQLException {
        try (Connection c = DriverManager.getConnection(node.dbUrl(), TestDatabase.admin().user(),
                TestDatabase.admin().password()); PreparedStatement s = c.prepareStatement("SELECT "
                + String.join(", ", ChainEncoding.COLUMNS) + " FROM issuance_log WHERE chain_key = ? AND chain_seq = ?")) {
            s.setString(1, chain);
            s.setLong(2, seq);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                List<String> values = new ArrayList<>();
                for (String column : ChainEncoding.COLUMNS) {
                    values.add(column.equals("logged_at") ? ChainEncoding.time(rs.getObject(column, LocalDateTime.class))
                            : rs.getString(column));
                }
                return values;
            }
        }
    }

    private static void insertRow(List<String> values) throws SQLException {
        StringBuilder sql = new StringBuilder("INSERT INTO issuance_log (" + String.join(", ", ChainEncoding.COLUMNS)
                + ", entry_hash) VALUES (");
        sql.append("?, ".repeat(values.size())).append("?)");
        List<Object> parameters = new ArrayList<>(values);
        parameters.set(ChainEncoding.COLUMNS.indexOf("logged_at"), LocalDateTime.parse(values.get(3)));
        parameters.add(ChainEncoding.entryHash(values));
        admin(sql.toString(), parameters.toArray());
    }

    /** Replaces row {@code from} with {@code changed} and re-links every later row and the head, as a forger would. */
    private static void rechain(String chain, long from, List<String> changed, long last) throws SQLException {
        String prev = changed.get(2);
        for (long seq = from; seq <= last; seq++) {
            List<String> row = seq == from ? changed : values(chain, seq);
            row.set(2, prev);
            String hash = ChainEncoding.entryHash(row);
            admin("UPDATE issuance_log SET terminal_id = ?, prev_hash = ?, entry_hash = ? WHERE chain_key = ?"
                    + " AND chain_seq = ?", row.get(ChainEncoding.COLUMNS.indexOf("terminal_id")), prev, hash, chain, seq);
            prev = hash;
        }
        admin("UPDATE log_chain_head SET last_hash = ? WHERE chain_key = ?", prev, chain);
    }
}
