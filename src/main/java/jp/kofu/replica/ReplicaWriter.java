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

/** The SQL that applies one event to one generation of a municipality's replica, on the caller's transaction. */
final class ReplicaWriter {
    private ReplicaWriter() {}

    /** Applies the event; answers false when it refers to a resident that is not in the replica. */
    static boolean apply(Connection c, long generation, FeedEvent event, Instant now, boolean requireResident)
            throws SQLException {
        String m = event.municipalityCode();
        if (event instanceof FeedEvent.ResidentUpsert u) {
            {
                try (PreparedStatement s = c.prepareStatement("""
                        INSERT INTO resident (municipality_code, generation, resident_id, household_id, record)
                        VALUES (?, ?, ?, ?, ?)
                        ON DUPLICATE KEY UPDATE household_id = VALUES(household_id), record = VALUES(record)""")) {
                    s.setString(1, m);
                    s.setLong(2, generation);
                    s.setString(3, u.resident().residentId());
                    s.setString(4, u.resident().householdId());
                    s.setString(5, ResidentJson.write(u.resident()));
                    s.executeUpdate();
                }
                return true;
            }
        } else if (event instanceof FeedEvent.ResidentRemove r) {
            {
                for (String table : new String[] {"resident", "card_binding", "issuance_block"}) {
                    try (PreparedStatement s = c.prepareStatement("DELETE FROM " + table
                            + " WHERE municipality_code = ? AND generation = ? AND resident_id = ?")) {
                        s.setString(1, m);
                        s.setLong(2, generation);
                        s.setString(3, r.residentId());
                        s.executeUpdate();
                    }
                }
                // Answers kept for idempotent retries hold the person's certificate: they go too.
                try (PreparedStatement s = c.prepareStatement(
                        "DELETE FROM center_transaction WHERE municipality_code = ? AND resident_ids LIKE ?")) {
                    s.setString(1, m);
                    s.setString(2, "%," + r.residentId() + ",%");
                    s.executeUpdate();
                }
                return true;
            }
        } else if (event instanceof FeedEvent.CardBind b) {
            {
                if (requireResident && !residentExists(c, m, generation, b.residentId())) {
                    return false;
                }
                try (PreparedStatement s = c.prepareStatement("""
                        INSERT INTO card_binding (municipality_code, generation, issuer_key, serial_hex, issuer, resident_id)
                        VALUES (?, ?, ?, ?, ?, ?)
                        ON DUPLICATE KEY UPDATE resident_id = VALUES(resident_id)""")) {
                    s.setString(1, m);
                    s.setLong(2, generation);
                    s.setString(3, issuerKey(b.card()));
                    s.setString(4, b.card().serialHex());
                    s.setString(5, b.card().issuerKey());
                    s.setString(6, b.residentId());
                    s.executeUpdate();
                }
                return true;
            }
        } else if (event instanceof FeedEvent.CardRevoke r) {
            {
                try (PreparedStatement s = c.prepareStatement("""
                        INSERT IGNORE INTO card_revocation (issuer_key, serial_hex, municipality_code, revoked_at)
                        VALUES (?, ?, ?, ?)""")) {
                    s.setString(1, issuerKey(r.card()));
                    s.setString(2, r.card().serialHex());
                    s.setString(3, m);
                    s.setTimestamp(4, Timestamp.from(now));
                    s.executeUpdate();
                }
                return true;
            }
        } else if (event instanceof FeedEvent.IssuanceBlock b) {
            {
                String sql = b.active()
                        ? "INSERT INTO issuance_block (municipality_code, generation, resident_id, reason) VALUES (?, ?, ?, ?)"
                          + " ON DUPLICATE KEY UPDATE reason = VALUES(reason)"
                        : "DELETE FROM issuance_block WHERE municipality_code = ? AND generation = ? AND resident_id = ?";
                try (PreparedStatement s = c.prepareStatement(sql)) {
                    s.setString(1, m);
                    s.setLong(2, generation);
                    s.setString(3, b.residentId());
                    if (b.active()) {
                        s.setString(4, b.reason());
                    }
                    s.executeUpdate();
                }
                return true;
            }
        }
        throw new IllegalArgumentException("unknown event");
    }

    private static boolean residentExists(Connection c, String m, long generation, String residentId) throws SQLException {
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

    /**
     * Writes the lines of a snapshot into a new generation with JDBC batches: residents, card bindings and blocks,
     * each an upsert (a snapshot may name a resident twice; the last line wins).
     */
    static final class SnapshotBatch implements AutoCloseable {
        private final PreparedStatement residents;
        private final PreparedStatement bindings;
        private final PreparedStatement blocks;
        private final String municipality;
        private final long generation;

        SnapshotBatch(Connection c, String municipality, long generation) throws SQLException {
            this.municipality = municipality;
            this.generation = generation;
            residents = c.prepareStatement("INSERT INTO resident (municipality_code, generation, resident_id,"
                    + " household_id, record) VALUES (?, ?, ?, ?, ?)"
                    + " ON DUPLICATE KEY UPDATE household_id = VALUES(household_id), record = VALUES(record)");
            bindings = c.prepareStatement("INSERT INTO card_binding (municipality_code, generation, issuer_key,"
                    + " serial_hex, issuer, resident_id) VALUES (?, ?, ?, ?, ?, ?)"
                    + " ON DUPLICATE KEY UPDATE resident_id = VALUES(resident_id)");
            blocks = c.prepareStatement("INSERT INTO issuance_block (municipality_code, generation, resident_id,"
                    + " reason) VALUES (?, ?, ?, ?) ON DUPLICATE KEY UPDATE reason = VALUES(reason)");
        }

        void add(FeedEvent event) throws SQLException {
            if (event instanceof FeedEvent.ResidentUpsert u) {
                residents.setString(1, municipality);
                residents.setLong(2, generation);
                residents.setString(3, u.resident().residentId());
                residents.setString(4, u.resident().householdId());
                residents.setString(5, ResidentJson.write(u.resident()));
                residents.addBatch();
            } else if (event instanceof FeedEvent.CardBind b) {
                bindings.setString(1, municipality);
                bindings.setLong(2, generation);
                bindings.setString(3, issuerKey(b.card()));
                bindings.setString(4, b.card().serialHex());
                bindings.setString(5, b.card().issuerKey());
                bindings.setString(6, b.residentId());
                bindings.addBatch();
            } else if (event instanceof FeedEvent.IssuanceBlock b && b.active()) {
                blocks.setString(1, municipality);
                blocks.setLong(2, generation);
                blocks.setString(3, b.residentId());
                blocks.setString(4, b.reason());
                blocks.addBatch();
            }
        }

        void flush() throws SQLException {
            residents.executeBatch();
            bindings.executeBatch();
            blocks.executeBatch();
        }

        @Override
        public void close() throws SQLException {
            residents.close();
            bindings.close();
            blocks.close();
        }
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
