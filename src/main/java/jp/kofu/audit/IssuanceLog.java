package jp.kofu.audit;

import jakarta.inject.Singleton;
import jp.kofu.config.KofuSettings;
import jp.kofu.db.Database;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The append-only issuance log: one row per request to {@code /center/**}, and one per completion. Each row is the
 * next link of the SHA-256 chain of its municipality and this node ({@code <code>/<node name>},
 * {@link ChainEncoding}): nodes appending for one municipality update different head rows, so that a multi-primary
 * cluster (Galera) does not abort one of two concurrent issuances at commit. Appending locks the chain's head row,
 * so two nodes that share a name still append one at a time; callers make the append the last statement of their
 * transaction, which keeps that lock for the commit only.
 */
@Singleton
public final class IssuanceLog {
    private static final String INSERT = "INSERT INTO issuance_log (" + String.join(", ", ChainEncoding.COLUMNS)
            + ", entry_hash) VALUES (" + "?, ".repeat(ChainEncoding.COLUMNS.size()) + "?)";

    private final Database db;
    private final String nodeName;

    public IssuanceLog(Database db, KofuSettings settings) {
        this.db = db;
        this.nodeName = settings.nodeName();
    }

    /** Writes the entry in its own transaction. */
    public void write(IssuanceLogEntry e) {
        db.inTransaction(c -> {
            write(c, e);
            return null;
        });
    }

    /**
     * Writes the entry on the caller's transaction, so that it exists exactly when the issuance does. Make it the
     * last statement before the commit: it holds the lock of the chain of the municipality and this node until then.
     */
    public void write(Connection c, IssuanceLogEntry e) throws SQLException {
        String chain = ChainEncoding.chainOf(e.municipalityCode(), nodeName);
        Head head = lockHead(c, chain);
        long seq = head.lastSeq() + 1;
        List<String> values = new ArrayList<>(Arrays.asList(chain, Long.toString(seq), head.lastHash(),
                ChainEncoding.time(stored(e.loggedAt())), e.endpoint(), e.result(), e.code(), e.municipalityCode(),
                e.channel(), e.storeCode(), e.terminalId(), e.centerTransactionId(), e.caller(), e.cardIssuer(),
                e.cardSerial(), e.requesterId(), e.printedIds(), e.certificateType(), e.scope(), e.options(),
                text(e.copies()), text(e.pageCount()), text(e.fee()), e.issuanceNumber(), e.pdfSha256()));
        String hash = ChainEncoding.entryHash(values);
        try (PreparedStatement s = c.prepareStatement(INSERT)) {
            for (int i = 0; i < values.size(); i++) {
                String column = ChainEncoding.COLUMNS.get(i);
                if (column.equals("logged_at")) {
                    s.setObject(i + 1, stored(e.loggedAt()));
                } else {
                    s.setString(i + 1, values.get(i));
                }
            }
            s.setString(values.size() + 1, hash);
            s.executeUpdate();
        }
        advance(c, chain, seq, hash);
    }

    /** The last link of a chain. */
    record Head(long lastSeq, String lastHash) {}

    /** Locks the head of {@code chain} (made on first use) until the transaction ends. */
    static Head lockHead(Connection c, String chain) throws SQLException {
        for (int attempt = 0; attempt < 2; attempt++) {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT last_seq, last_hash FROM log_chain_head WHERE chain_key = ? FOR UPDATE")) {
                s.setString(1, chain);
                try (ResultSet rs = s.executeQuery()) {
                    if (rs.next()) {
                        return new Head(rs.getLong(1), rs.getString(2));
                    }
                }
            }
            try (PreparedStatement s = c.prepareStatement("INSERT IGNORE INTO log_chain_head"
                    + " (chain_key, last_seq, last_hash, updated_at) VALUES (?, 0, ?, ?)")) {
                s.setString(1, chain);
                s.setString(2, ChainEncoding.GENESIS);
                s.setTimestamp(3, Timestamp.from(Instant.now()));
                s.executeUpdate();
            }
        }
        throw new SQLException("the head of log chain " + chain + " could not be locked");
    }

    static void advance(Connection c, String chain, long seq, String hash) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "UPDATE log_chain_head SET last_seq = ?, last_hash = ?, updated_at = ? WHERE chain_key = ?")) {
            s.setLong(1, seq);
            s.setString(2, hash);
            s.setTimestamp(3, Timestamp.from(Instant.now()));
            s.setString(4, chain);
            s.executeUpdate();
        }
    }

    /**
     * {@code logged_at} as the column keeps it: the node's local date and time to the millisecond (what the driver
     * stores for a {@link Timestamp}), so that the hash covers exactly the stored value.
     */
    static LocalDateTime stored(Instant at) {
        return LocalDateTime.ofInstant(at.truncatedTo(ChronoUnit.MILLIS), ZoneId.systemDefault());
    }

    private static String text(Integer value) {
        return value == null ? null : value.toString();
    }
}
