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
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Applies feed events to the replica on the caller's transaction, in feed order. Consecutive events of one kind
 * (upserts, removals, revocations, unblocks) go to the database as JDBC batches; a change of kind, or the check
 * that a bound resident exists, sends what is pending first, so no event can overtake an earlier one.
 */
final class ReplicaWriter implements AutoCloseable {
    private enum Kind { UPSERT, REMOVE, REVOKE, UNBLOCK }

    private final Connection c;
    private final Instant now;
    private final PreparedStatement residents;
    private final PreparedStatement bindings;
    private final PreparedStatement blocks;
    private final PreparedStatement seals;
    private final PreparedStatement removeResident;
    private final PreparedStatement removeBindings;
    private final PreparedStatement removeBlock;
    private final PreparedStatement removeSeal;
    private final PreparedStatement revoke;
    private final List<ReplicaDependents> dependents;
    private final List<PreparedStatement> all;
    private Kind pending;

    ReplicaWriter(Connection c, Instant now, List<ReplicaDependents> dependents) throws SQLException {
        this.c = c;
        this.now = now;
        this.dependents = dependents;
        residents = c.prepareStatement("INSERT INTO resident (municipality_code, generation, resident_id,"
                + " household_id, record) VALUES (?, ?, ?, ?, ?)"
                + " ON DUPLICATE KEY UPDATE household_id = VALUES(household_id), record = VALUES(record)");
        bindings = c.prepareStatement("INSERT INTO card_binding (municipality_code, generation, issuer_key,"
                + " serial_hex, issuer, resident_id) VALUES (?, ?, ?, ?, ?, ?)"
                + " ON DUPLICATE KEY UPDATE resident_id = VALUES(resident_id)");
        blocks = c.prepareStatement("INSERT INTO issuance_block (municipality_code, generation, resident_id,"
                + " reason, certificate_types, household_wide) VALUES (?, ?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE"
                + " reason = VALUES(reason), certificate_types = VALUES(certificate_types),"
                + " household_wide = VALUES(household_wide)");
        seals = c.prepareStatement("INSERT INTO seal_registration (municipality_code, generation, resident_id,"
                + " registration_number, registered_name, registered_on, seal_size_mm, seal_image)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE"
                + " registration_number = VALUES(registration_number), registered_name = VALUES(registered_name),"
                + " registered_on = VALUES(registered_on), seal_size_mm = VALUES(seal_size_mm),"
                + " seal_image = VALUES(seal_image)");
        removeResident = deleteOf("resident");
        removeBindings = deleteOf("card_binding");
        removeBlock = deleteOf("issuance_block");
        removeSeal = deleteOf("seal_registration");
        revoke = c.prepareStatement("INSERT IGNORE INTO card_revocation"
                + " (issuer_key, serial_hex, municipality_code, revoked_at) VALUES (?, ?, ?, ?)");
        all = List.of(residents, bindings, blocks, seals, removeResident, removeBindings, removeBlock, removeSeal,
                revoke);
    }

    private PreparedStatement deleteOf(String table) throws SQLException {
        return c.prepareStatement("DELETE FROM " + table
                + " WHERE municipality_code = ? AND generation = ? AND resident_id = ?");
    }

    /**
     * Applies the event to {@code generation}; answers false when a card is bound, or a seal registered, to a resident
     * who is not in the replica (checked only when {@code requireResident}: a snapshot's lines may come in any order).
     * A heartbeat changes no row here (the store notes when the feed was heard).
     */
    boolean apply(long generation, FeedEvent event, boolean requireResident) throws SQLException {
        String m = event.municipalityCode();
        if (event instanceof FeedEvent.ResidentUpsert u) {
            start(Kind.UPSERT);
            add(residents, m, generation, u.resident().residentId(), u.resident().householdId(),
                    ResidentJson.write(u.resident()));
        } else if (event instanceof FeedEvent.CardBind b) {
            if (requireResident && !residentExists(m, generation, b.residentId())) {
                return false;
            }
            start(Kind.UPSERT);
            add(bindings, m, generation, issuerKey(b.card()), b.card().serialHex(), b.card().issuerKey(), b.residentId());
        } else if (event instanceof FeedEvent.IssuanceBlock b && b.active()) {
            start(Kind.UPSERT);
            add(blocks, m, generation, b.residentId(), b.reason(), BlockTypes.column(b.certificateTypes()),
                    b.householdWide());
            for (ReplicaDependents d : dependents) {
                d.personWithdrawn(c, m, b.residentId());
            }
            if (b.householdWide()) {
                for (String member : householdOf(m, generation, b.residentId())) {
                    for (ReplicaDependents d : dependents) {
                        d.personWithdrawn(c, m, member);
                    }
                }
            }
        } else if (event instanceof FeedEvent.IssuanceBlock b) {
            start(Kind.UNBLOCK);
            add(removeBlock, m, generation, b.residentId());
        } else if (event instanceof FeedEvent.ResidentRemove r) {
            start(Kind.REMOVE);
            add(removeResident, m, generation, r.residentId());
            add(removeBindings, m, generation, r.residentId());
            add(removeBlock, m, generation, r.residentId());
            add(removeSeal, m, generation, r.residentId());
            for (ReplicaDependents d : dependents) {
                d.personWithdrawn(c, m, r.residentId());
            }
        } else if (event instanceof FeedEvent.SealRegister r) {
            if (requireResident && !residentExists(m, generation, r.residentId())) {
                return false;
            }
            start(Kind.UPSERT);
            SealRegistration seal = r.registration();
            add(seals, m, generation, r.residentId(), seal.registrationNumber(), seal.registeredName(),
                    java.sql.Date.valueOf(seal.registeredOn()), seal.sealSizeMm(), seal.png());
        } else if (event instanceof FeedEvent.SealAbolish a) {
            start(Kind.REMOVE);
            add(removeSeal, m, generation, a.residentId());
            for (ReplicaDependents d : dependents) {
                d.personWithdrawn(c, m, a.residentId());
            }
        } else if (event instanceof FeedEvent.Heartbeat) {
            return true;
        } else if (event instanceof FeedEvent.CardRevoke r) {
            start(Kind.REVOKE);
            add(revoke, issuerKey(r.card()), r.card().serialHex(), m, Timestamp.from(now));
            for (ReplicaDependents d : dependents) {
                d.cardRevoked(c, m, r.card());
            }
        } else {
            throw new IllegalArgumentException("unknown event");
        }
        return true;
    }

    private void start(Kind kind) throws SQLException {
        if (pending != null && pending != kind) {
            flush();
        }
        pending = kind;
    }

    private static void add(PreparedStatement s, Object... values) throws SQLException {
        for (int i = 0; i < values.length; i++) {
            s.setObject(i + 1, values[i]);
        }
        s.addBatch();
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

    /** The other current members of the person's household (empty when the person is not in the replica). */
    private List<String> householdOf(String m, long generation, String residentId) throws SQLException {
        flush();
        try (PreparedStatement s = c.prepareStatement("SELECT o.resident_id FROM resident p JOIN resident o"
                + " ON o.municipality_code = p.municipality_code AND o.generation = p.generation"
                + " AND o.household_id = p.household_id"
                + " WHERE p.municipality_code = ? AND p.generation = ? AND p.resident_id = ? AND o.resident_id <> p.resident_id")) {
            s.setString(1, m);
            s.setLong(2, generation);
            s.setString(3, residentId);
            List<String> members = new ArrayList<>();
            try (var rs = s.executeQuery()) {
                while (rs.next()) {
                    members.add(rs.getString(1));
                }
            }
            return members;
        }
    }

    /** Sends what is pending, in the order the statements were listed. */
    void flush() throws SQLException {
        if (pending != null) {
            for (PreparedStatement s : all) {
                s.executeBatch();
            }
            pending = null;
        }
    }

    @Override
    public void close() throws SQLException {
        for (PreparedStatement s : all) {
            s.close();
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
