package jp.kofu.issuance;

import jakarta.inject.Singleton;
import jp.kofu.config.KofuSettings;
import jp.kofu.contract.IssuanceNumber;
import jp.kofu.db.Database;

import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * 発行番号 {@code <municipality>-<yyyyMMdd>-<nnnnnn>} ({@link IssuanceNumber}), counted per municipality and day in
 * the database ({@code issuance_counter}), which every node of one database draws from. A node does not write that
 * row for every issuance (on a Galera cluster two nodes issuing for one municipality would conflict on it at commit):
 * it reserves a block of {@value #BLOCK} consecutive numbers in one short transaction, records the reservation in
 * {@code number_block_log}, and hands the numbers out from memory. The copies of one issuance get consecutive numbers
 * of one block; when the current block has fewer left than an issuance needs, the rest of it is abandoned and a new
 * block reserved.
 *
 * <p>So numbers are unique across nodes, increasing on each node, but not in time order across nodes; a gap is a
 * request that failed after drawing its numbers (the issuance log explains it), the abandoned rest of a block, or the
 * unused rest of a block of a node that stopped (the block log shows which node held it). See
 * {@code docs/issuance-numbers.md}.
 */
@Singleton
final class IssuanceNumbers {
    /** The numbers a node reserves at once (more when one issuance needs more). */
    static final int BLOCK = 50;

    private final Database db;
    private final String nodeName;
    private final Clock clock;
    /** The current block of each municipality and day; each is used under its own monitor. */
    private final Map<Key, Block> blocks = new ConcurrentHashMap<>();

    IssuanceNumbers(Database db, KofuSettings settings, Clock clock) {
        this.db = db;
        this.nodeName = settings.nodeName();
        this.clock = clock;
    }

    private record Key(String municipalityCode, LocalDate day) {}

    /** The numbers of a block not yet handed out: {@code next} to {@code last}; empty when {@code next > last}. */
    private static final class Block {
        int next = 1;
        int last = 0;

        int left() {
            return last - next + 1;
        }
    }

    /** The numbers of {@code copies} copies: consecutive, drawn at once (contract §8: each copy its own 発行番号). */
    List<String> next(String municipalityCode, LocalDate day, int copies) {
        if (copies < 1) {
            throw new IllegalArgumentException("at least one copy");
        }
        Key key = new Key(municipalityCode, day);
        Block block = blocks.get(key);
        if (block == null) {
            forgetDaysBefore(municipalityCode, day.minusDays(1));
            block = blocks.computeIfAbsent(key, k -> new Block());
        }
        int first;
        synchronized (block) {
            if (block.left() < copies) {
                int size = Math.max(BLOCK, copies);
                int reservedLast = reserve(municipalityCode, day, size);
                block.next = reservedLast - size + 1;
                block.last = reservedLast;
            }
            first = block.next;
            block.next += copies;
        }
        // Beyond 999999 a day IssuanceNumber refuses, as it always did.
        return new IssuanceNumber(municipalityCode, day, first).copies(copies).stream()
                .map(IssuanceNumber::toString).toList();
    }

    /** Drops the blocks of a municipality's past days (a day has a block of its own; yesterday's may still be used). */
    private void forgetDaysBefore(String municipalityCode, LocalDate oldest) {
        blocks.keySet().removeIf(k -> k.municipalityCode().equals(municipalityCode) && k.day().isBefore(oldest));
    }

    /**
     * Reserves {@code size} numbers of the day in one short transaction and records the reservation; answers the
     * last number of the block.
     */
    private int reserve(String municipalityCode, LocalDate day, int size) {
        return db.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("""
                    INSERT INTO issuance_counter (municipality_code, issue_date, last_value) VALUES (?, ?, ?)
                    ON DUPLICATE KEY UPDATE last_value = last_value + VALUES(last_value)""")) {
                s.setString(1, municipalityCode);
                s.setDate(2, Date.valueOf(day));
                s.setInt(3, size);
                s.executeUpdate();
            }
            int last;
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT last_value FROM issuance_counter WHERE municipality_code = ? AND issue_date = ?")) {
                s.setString(1, municipalityCode);
                s.setDate(2, Date.valueOf(day));
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    last = rs.getInt(1);
                }
            }
            log(c, municipalityCode, day, last - size + 1, last);
            return last;
        });
    }

    private void log(Connection c, String municipalityCode, LocalDate day, int first, int last) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                INSERT INTO number_block_log (municipality_code, issue_date, first_value, last_value, node_name,
                    reserved_at) VALUES (?, ?, ?, ?, ?, ?)""")) {
            s.setString(1, municipalityCode);
            s.setDate(2, Date.valueOf(day));
            s.setInt(3, first);
            s.setInt(4, last);
            s.setString(5, nodeName);
            s.setTimestamp(6, Timestamp.from(clock.instant()));
            s.executeUpdate();
        }
    }
}
