package jp.kofu.replica;

import jp.kofu.card.CardId;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HexFormat;

/**
 * Applies feed events to the replica on the caller's transaction, in order. Upserts (residents, card bindings,
 * blocks) are sent as JDBC batches; anything that must see them (a removal, a revocation, an unblock, the check
 * that a bound resident exists) sends the pending batch first, so the order of the feed is kept.
 */
final class ReplicaWriter implements AutoCloseable {
    private final Connection c;
    private final Instant now;
    private final PreparedStatement residents;
    private final PreparedStatement bindings;
    private final PreparedStatement blocks;
    private boolean pending;

    ReplicaWriter(Connection c, Instant now) throws SQLException {
        this.c = c;
        this.now = now;
        residents = c.prepareStatement("INSERT INTO resident (municipality_code, generation, resident_id,"
                + " household_id, record) VALUES (?, ?, ?, ?, ?)"
                + " ON DUPLICATE KEY UPDATE household_id = VALUES(household_id), record = VALUES(record)");
        bindings = c.prepareStatement("INSERT INTO card_binding (municipality_code, generation, issuer_key,"
                + " serial_hex, issuer, resident_id) VALUES (?, ?, ?, ?, ?, ?)"
                + " ON DUPLICATE KEY UPDATE resident_id = VALUES(resident_id)");
        blocks = c.prepareStatement("INSERT INTO issuance_block (municipality_code, generation, resident_id,"
                + " reason) VALUES (?, ?, ?, ?) ON DUPLICATE KEY UPDATE reason = VALUES(reason)");
    }

    /**
     * Applies the event to {@code generation}; answers false when a card is bound to a resident who is not in the
     * replica (checked only when {@code requireResident}: a snapshot's lines may come in any order).
     */
    boolean apply(long generation, FeedEvent event, boolean requireResident) throws SQLException {
        String m = event.municipalityCode();
        if (event instanceof FeedEvent.ResidentUpsert u) {
            residents.setString(1, m);
            residents.setLong(2, generation);
            residents.setString(3, u.resident().residentId());
            residents.setString(4, u.resident().householdId());
            residents.setString(5, ResidentJson.write(u.resident()));
            residents.addBatch();
        } else if (event instanceof FeedEvent.CardBind b) {
            if (requireResident && !residentExists(m, generation, b.residentId())) {
                return false;
            }
            bindings.setString(1, m);
            bindings.setLong(2, generation);
            bindings.setString(3, issuerKey(b.card()));
            bindings.setString(4, b.card().serialHex());
            bindings.setString(5, b.card().issuerKey());
            bindings.setString(6, b.residentId());
            bindings.addBatch();
        } else if (event instanceof FeedEvent.IssuanceBlock b && b.active()) {
            blocks.setString(1, m);
            blocks.setLong(2, generation);
            blocks.setString(3, b.residentId());
            blocks.setString(4, b.reason());
            blocks.addBatch();
        } else {
            flush();
            applyNow(generation, event);
            return true;
        }
        pending = true;
        return true;
    }

    private void applyNow(long generation, FeedEvent event) throws SQLException {
        String m = event.municipalityCode();
        if (event instanceof FeedEvent.ResidentRemove r) {
            for (String table : new String[] {"resident", "card_binding", "issuance_block"}) {
                deleteOf(table, m, generation, r.residentId());
            }
            // Answers kept for idempotent retries hold the person's certificate: they go too.
            try (PreparedStatement s = c.prepareStatement(
                    "DELETE FROM center_transaction WHERE municipality_code = ? AND resident_ids LIKE ?")) {
                s.setString(1, m);
                s.setString(2, "%," + r.residentId() + ",%");
                s.executeUpdate();
            }
        } else if (event instanceof FeedEvent.CardRevoke r) {
            try (PreparedStatement s = c.prepareStatement("INSERT IGNORE INTO card_revocation"
                    + " (issuer_key, serial_hex, municipality_code, revoked_at) VALUES (?, ?, ?, ?)")) {
                s.setString(1, issuerKey(r.card()));
                s.setString(2, r.card().serialHex());
                s.setString(3, m);
                s.setTimestamp(4, Timestamp.from(now));
                s.executeUpdate();
            }
        } else if (event instanceof FeedEvent.IssuanceBlock b) {
            deleteOf("issuance_block", m, generation, b.residentId());
        } else {
            throw new IllegalArgumentException("unknown event");
        }
    }

    private void deleteOf(String table, String m, long generation, String residentId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("DELETE FROM " + table
                + " WHERE municipality_code = ? AND generation = ? AND resident_id = ?")) {
            s.setString(1, m);
            s.setLong(2, generation);
            s.setString(3, residentId);
            s.executeUpdate();
        }
    }

    private boolean residentExists(String m, long generation, String residentId) throws SQLException {
        flush();
        try (PreparedStatement s = c.prepareStatement(
                "SELECT 1 FROM resident WHERE municipality_code = ? AND generation = ? AND resident_id = ?")) {
            s.setString(1, m);
            s.setLong(2, generation);
            s.setString(3, residentId);
            try (var rs = s.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Sends the pending upserts. */
    void flush() throws SQLException {
        if (pending) {
            residents.executeBatch();
            bindings.executeBatch();
            blocks.executeBatch();
            pending = false;
        }
    }

    @Override
    public void close() throws SQLException {
        residents.close();
        bindings.close();
        blocks.close();
    }

    /** The key a card's issuer is stored under: SHA-256 of its canonical DN. */
    static String issuerKey(CardId card) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(card.issuerKey().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
