package jp.kofu.replica;

import jp.kofu.contract.Tokyo;
import jakarta.inject.Singleton;
import jp.kofu.card.CardId;
import jp.kofu.db.Database;
import jp.kofu.config.KofuSettings;
import jp.kofu.contract.CertificateType;
import jp.kofu.http.Caller;
import jp.kofu.contract.ErrorCode;
import jp.kofu.contract.Refusal;
import jp.kofu.municipality.Municipality;
import jp.kofu.municipality.MunicipalityRegistry;

import java.io.BufferedInputStream;
import java.io.InputStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The current-only replica (contract §6). Change batches are applied in one transaction that holds each touched
 * municipality's state row exclusively; issuances read under a shared lock of the same row, so a batch is seen
 * by every issuance that starts after its {@code 200}, and never half. A body is read whole (spooled) before its
 * transaction starts. Every batch, snapshot and status query acts only for the municipalities whose
 * {@code syncClients} list the caller (§7).
 */
@Singleton
public final class ReplicaStore {
    private static final int SNAPSHOT_COMMIT_EVERY = 5_000;
    /** A {@code snapshot_load} row whose heartbeat is older than this is of a load whose node died. */
    static final java.time.Duration STALE_LOAD = java.time.Duration.ofMinutes(10);
    private static final int ER_DUP_ENTRY = 1062;
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ReplicaStore.class);
    private static final ZoneId TOKYO = Tokyo.ZONE;
    /** {@code lastHeardAt} in the status: ISO-8601 with milliseconds and the offset, always with seconds. */
    private static final DateTimeFormatter HEARD = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSXXX");

    private final Database db;
    private final MunicipalityRegistry municipalities;
    private final Clock clock;
    private final List<ReplicaDependents> dependents;
    private final Path spoolDir;
    private final String nodeName;

    public ReplicaStore(Database db, MunicipalityRegistry municipalities, Clock clock,
                        List<ReplicaDependents> dependents, KofuSettings settings) {
        this.db = db;
        this.municipalities = municipalities;
        this.clock = clock;
        this.dependents = List.copyOf(dependents);
        this.spoolDir = settings.dataDir().resolve("run/spool");
        this.nodeName = settings.nodeName();
    }

    /**
     * The municipality named by a feed, if the caller may feed it: {@code UNKNOWN_MUNICIPALITY} when it is not
     * served, {@code CALLER_FORBIDDEN} when its {@code syncClients} do not list the caller.
     */
    private Municipality fedBy(Caller caller, String code, Map<String, Object> extra) {
        Municipality m = municipalities.find(code)
                .orElseThrow(() -> new Refusal(ErrorCode.UNKNOWN_MUNICIPALITY, "municipality not served", extra));
        if (!m.isFedBy(caller.principal())) {
            throw new Refusal(ErrorCode.CALLER_FORBIDDEN, "caller does not feed this municipality", extra);
        }
        return m;
    }

    /**
     * The result of a change batch: the last applied {@code seq} of each municipality it touched, and per
     * municipality how many events of each type were applied ({@code kofu_sync_events_total}).
     */
    public record BatchResult(Map<String, Long> appliedThrough, int applied, int skipped, long firstSeq, long lastSeq,
                              Map<String, Map<String, Integer>> appliedByType) {}

    /** Applies a change batch atomically and in order, or nothing of it; reads the whole body first. */
    public BatchResult applyChanges(Caller caller, InputStream body) {
        try (Spool spool = Spool.of(body, NdjsonLines.BATCH_BYTES, spoolDir)) {
            return db.inTransaction(c -> {
                try (ReplicaWriter writer = new ReplicaWriter(c, clock.instant(), dependents)) {
                    return applyChanges(c, writer, caller, spool.open());
                }
            });
        }
    }

    /** Where a change batch stands for one municipality. */
    private static final class Progress {
        final long generation;
        long appliedThrough;
        long lastSeqInBatch;
        final Map<String, Integer> appliedByType = new java.util.TreeMap<>();

        Progress(ReplicaState state) {
            this.generation = state.generation();
            this.appliedThrough = state.appliedThrough();
        }
    }

    private BatchResult applyChanges(Connection c, ReplicaWriter writer, Caller caller, InputStream body)
            throws SQLException {
        NdjsonLines lines = NdjsonLines.batch(new BufferedInputStream(body, 1 << 16));
        FeedParser parser = FeedParser.changes();
        Map<String, Progress> touched = new LinkedHashMap<>();
        int applied = 0;
        int skipped = 0;
        long firstSeq = 0;
        long lastSeq = 0;
        for (byte[] line = lines.next(); line != null; line = lines.next()) {
            int lineNumber = lines.lineNumber();
            byte[] current = line;
            FeedEvent event = atLine(lineNumber, () -> parser.parse(current));
            String code = event.municipalityCode();
            Progress progress = touched.get(code);
            if (progress == null) {
                fedBy(caller, code, Map.of("line", lineNumber));
                progress = new Progress(lockForUpdate(c, code));
                touched.put(code, progress);
            }
            if (event.seq() <= progress.lastSeqInBatch) {
                throw new Refusal(ErrorCode.MALFORMED_REQUEST, "seq not increasing within the batch",
                        Map.of("line", lineNumber));
            }
            progress.lastSeqInBatch = event.seq();
            firstSeq = firstSeq == 0 ? event.seq() : firstSeq;
            lastSeq = event.seq();
            if (event.seq() <= progress.appliedThrough) {
                skipped++;
                continue;
            }
            if (event.seq() != progress.appliedThrough + 1) {
                throw new Refusal(ErrorCode.SEQUENCE_GAP, "seq " + event.seq() + " after " + progress.appliedThrough,
                        Map.of("expectedSeq", progress.appliedThrough + 1));
            }
            if (!writer.apply(progress.generation, event, true)) {
                throw new Refusal(ErrorCode.MALFORMED_REQUEST, "residentId is not in the replica",
                        Map.of("line", lineNumber));
            }
            progress.appliedThrough = event.seq();
            progress.appliedByType.merge(event.type(), 1, Integer::sum);
            applied++;
        }
        if (lines.events() == 0) {
            throw new Refusal(ErrorCode.MALFORMED_REQUEST, "empty batch", Map.of("line", 1));
        }
        writer.flush();
        Map<String, Long> result = new LinkedHashMap<>();
        Map<String, Map<String, Integer>> byType = new LinkedHashMap<>();
        for (var e : touched.entrySet()) {
            setAppliedThrough(c, e.getKey(), e.getValue().appliedThrough, e.getValue().generation);
            result.put(e.getKey(), e.getValue().appliedThrough);
            byType.put(e.getKey(), Map.copyOf(e.getValue().appliedByType));
        }
        return new BatchResult(result, applied, skipped, firstSeq, lastSeq, byType);
    }

    /**
     * Replaces a municipality's whole replica (初期セットアップ / 再セットアップ): the snapshot is loaded into a new
     * generation beside the live one, then made live in one short transaction. Until then issuance reads the old
     * generation; a failed or interrupted load leaves only rows of a generation nobody reads, removed on the next load.
     */
    public int loadSnapshot(Caller caller, String code, long asOfSeq, InputStream body) {
        fedBy(caller, code, Map.of());
        try (Spool spool = Spool.of(body, NdjsonLines.SNAPSHOT_BYTES, spoolDir)) {
            return loadSnapshot(code, asOfSeq, spool);
        }
    }

    private int loadSnapshot(String code, long asOfSeq, Spool body) {
        String loadId = claimLoad(code);
        try {
            long live = db.inTransaction(c -> lockForUpdate(c, code).generation());
            dropGenerationsExcept(code, live);
            long next = live + 1;
            int count = load(code, next, body.open(), loadId);
            dropOrphanSeals(code, next);
            db.inTransaction(c -> {
                lockForUpdate(c, code);
                heartbeat(c, code, loadId);
                setAppliedThrough(c, code, asOfSeq, next);
                for (ReplicaDependents d : dependents) {
                    d.replicaReplaced(c, code);
                }
                return null;
            });
            dropGenerationsExcept(code, next);
            return count;
        } finally {
            releaseLoad(code, loadId);
        }
    }

    private int load(String code, long generation, InputStream body, String loadId) {
        NdjsonLines lines = NdjsonLines.snapshot(new BufferedInputStream(body, 1 << 16));
        FeedParser parser = FeedParser.snapshot();
        try {
            int[] residents = {0};
            boolean more = true;
            while (more) {
                more = db.inTransaction(c -> {
                    try (ReplicaWriter batch = new ReplicaWriter(c, clock.instant(), dependents)) {
                        for (int i = 0; i < SNAPSHOT_COMMIT_EVERY; i++) {
                            byte[] line = lines.next();
                            if (line == null) {
                                batch.flush();
                                heartbeat(c, code, loadId);
                                return false;
                            }
                            int lineNumber = lines.lineNumber();
                            FeedEvent event = atLine(lineNumber, () -> parser.parse(line));
                            if (!event.municipalityCode().equals(code)) {
                                throw new Refusal(ErrorCode.MALFORMED_REQUEST, "line of another municipality",
                                        Map.of("line", lineNumber));
                            }
                            batch.apply(generation, event, false);
                            if (event instanceof FeedEvent.ResidentUpsert) {
                                residents[0]++;
                            }
                        }
                        batch.flush();
                        heartbeat(c, code, loadId);
                        return true;
                    }
                });
            }
            return residents[0];
        } catch (RuntimeException e) {
            // A load whose row another load took over leaves the generation alone: it is that load's now.
            if (holdsLoad(code, loadId)) {
                dropGenerationsExcept(code, generation - 1);
            }
            throw e;
        }
    }

    // ---- the snapshot_load row: one load of a municipality at a time, across every node of the database ----

    /**
     * Takes the municipality's {@code snapshot_load} row for a new load, in a transaction of its own, and answers the
     * load's id; {@code TRANSACTION_CONFLICT} when another load holds it. A row whose heartbeat is older than
     * {@link #STALE_LOAD} is of a load whose node died (or stalled that long): it is taken over. Two nodes inserting at
     * once on a Galera cluster: one fails certification at commit, and its retry finds the other's row.
     */
    private String claimLoad(String code) {
        String loadId = java.util.UUID.randomUUID().toString().replace("-", "");
        boolean claimed = db.inTransaction(c -> {
            Timestamp now = Timestamp.from(clock.instant());
            try (PreparedStatement s = c.prepareStatement("INSERT INTO snapshot_load"
                    + " (municipality_code, load_id, node_name, started_at, heartbeat_at) VALUES (?, ?, ?, ?, ?)")) {
                s.setString(1, code);
                s.setString(2, loadId);
                s.setString(3, nodeName);
                s.setTimestamp(4, now);
                s.setTimestamp(5, now);
                s.executeUpdate();
                return true;
            } catch (SQLException e) {
                if (e.getErrorCode() != ER_DUP_ENTRY) {
                    throw e;
                }
            }
            try (PreparedStatement s = c.prepareStatement("UPDATE snapshot_load SET load_id = ?, node_name = ?,"
                    + " started_at = ?, heartbeat_at = ? WHERE municipality_code = ? AND heartbeat_at < ?")) {
                s.setString(1, loadId);
                s.setString(2, nodeName);
                s.setTimestamp(3, now);
                s.setTimestamp(4, now);
                s.setString(5, code);
                s.setTimestamp(6, Timestamp.from(clock.instant().minus(STALE_LOAD)));
                return s.executeUpdate() == 1;
            }
        });
        if (!claimed) {
            throw new Refusal(ErrorCode.TRANSACTION_CONFLICT, "another snapshot of this municipality is loading");
        }
        return loadId;
    }

    /**
     * Renews the load's heartbeat in the transaction of a chunk (or of the swap), just before it commits; when another
     * load has taken the row over, the chunk is rolled back and this load ends with {@code TRANSACTION_CONFLICT}.
     */
    private void heartbeat(Connection c, String code, String loadId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "UPDATE snapshot_load SET heartbeat_at = ? WHERE municipality_code = ? AND load_id = ?")) {
            s.setTimestamp(1, Timestamp.from(clock.instant()));
            s.setString(2, code);
            s.setString(3, loadId);
            if (s.executeUpdate() != 1) {
                throw new Refusal(ErrorCode.TRANSACTION_CONFLICT, "another snapshot load took this one over");
            }
        }
    }

    private boolean holdsLoad(String code, String loadId) {
        try {
            return db.withConnection(c -> {
                try (PreparedStatement s = c.prepareStatement(
                        "SELECT 1 FROM snapshot_load WHERE municipality_code = ? AND load_id = ?")) {
                    s.setString(1, code);
                    s.setString(2, loadId);
                    try (ResultSet rs = s.executeQuery()) {
                        return rs.next();
                    }
                }
            });
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * Deletes the load's row; if that fails, the row goes stale: the next load takes it over after 10 minutes, or this
     * node releases it when it next starts ({@link SnapshotLoadRelease}).
     */
    private void releaseLoad(String code, String loadId) {
        try {
            db.inTransaction(c -> {
                try (PreparedStatement s = c.prepareStatement(
                        "DELETE FROM snapshot_load WHERE municipality_code = ? AND load_id = ?")) {
                    s.setString(1, code);
                    s.setString(2, loadId);
                    return s.executeUpdate();
                }
            });
        } catch (RuntimeException e) {
            LOG.warn("the snapshot_load row of {} was not deleted; the next load takes it over once it is stale",
                    code, e);
        }
    }

    private void dropGenerationsExcept(String code, long keep) {
        for (String table : new String[] {"resident", "card_binding", "issuance_block", "seal_registration"}) {
            int deleted;
            do {
                deleted = db.withConnection(c -> {
                    try (PreparedStatement s = c.prepareStatement("DELETE FROM " + table
                            + " WHERE municipality_code = ? AND generation <> ? LIMIT 5000")) {
                        s.setString(1, code);
                        s.setLong(2, keep);
                        return s.executeUpdate();
                    }
                });
            } while (deleted > 0);
        }
    }

    /**
     * A snapshot's lines may come in any order, so a registration is checked against the residents only once all are
     * loaded: one of a person the snapshot does not name is deleted before the swap (an image of nobody in the replica
     * is not kept).
     */
    private void dropOrphanSeals(String code, long generation) {
        db.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE s FROM seal_registration s"
                    + " LEFT JOIN resident r ON r.municipality_code = s.municipality_code"
                    + " AND r.generation = s.generation AND r.resident_id = s.resident_id"
                    + " WHERE s.municipality_code = ? AND s.generation = ? AND r.resident_id IS NULL")) {
                s.setString(1, code);
                s.setLong(2, generation);
                return s.executeUpdate();
            }
        });
    }

    private static <T> T atLine(int line, java.util.function.Supplier<T> parse) {
        try {
            return parse.get();
        } catch (Refusal r) {
            if (r.code() == ErrorCode.MALFORMED_REQUEST && !r.extra().containsKey("line")) {
                throw new Refusal(r.code(), r.getMessage(), Map.of("line", line));
            }
            throw r;
        }
    }

    /** Per municipality the caller feeds: {@code appliedThrough} and the number of residents. */
    public List<Map<String, Object>> status(Caller caller) {
        return status(municipalities.all().stream().filter(m -> m.isFedBy(caller.principal())).toList());
    }

    /** The status of one municipality, if the caller feeds it. */
    public Map<String, Object> status(Caller caller, String code) {
        return status(List.of(fedBy(caller, code, Map.of()))).get(0);
    }

    private List<Map<String, Object>> status(List<Municipality> fed) {
        return db.withConnection(c -> {
            List<Map<String, Object>> result = new ArrayList<>();
            for (var m : fed) {
                ReplicaState s = read(c, m.code(), "");
                long residents;
                try (PreparedStatement st = c.prepareStatement(
                        "SELECT COUNT(*) FROM resident WHERE municipality_code = ? AND generation = ?")) {
                    st.setString(1, m.code());
                    st.setLong(2, s.generation());
                    try (ResultSet rs = st.executeQuery()) {
                        rs.next();
                        residents = rs.getLong(1);
                    }
                }
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("municipalityCode", m.code());
                entry.put("appliedThrough", s.appliedThrough());
                entry.put("residents", residents);
                entry.put("lastHeardAt", s.lastHeardAt().map(t -> HEARD.format(t.atZone(TOKYO))).orElse(null));
                result.add(entry);
            }
            return result;
        });
    }

    /**
     * The replica state of every served municipality, read in one query without locks (operations: the gauges, the
     * feed freshness of /health/ready, the alarm watcher; a municipality never fed has {@code appliedThrough} 0 and no
     * last heard).
     */
    public List<ReplicaState> states() {
        return db.withConnection(c -> {
            Map<String, ReplicaState> found = new HashMap<>();
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT municipality_code, applied_through, generation, last_heard_at FROM municipality_replica");
                 ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    found.put(rs.getString(1), stateOf(rs.getString(1), rs, 2));
                }
            }
            List<ReplicaState> states = new ArrayList<>();
            for (Municipality m : municipalities.all()) {
                states.add(found.getOrDefault(m.code(), unheard(m.code())));
            }
            return states;
        });
    }

    // ---- reads for issuance, on the issuance's transaction ----

    /** Reads the replica state under a shared lock held until the caller's transaction ends. */
    public ReplicaState lockForRead(Connection c, String code) throws SQLException {
        return read(c, code, " LOCK IN SHARE MODE");
    }

    /**
     * What the replica says of a card: whether the municipality's feed revoked or suspended it (a revocation acts for
     * its municipality only), and whom it is bound to. One statement: it is asked on every card-signed request.
     */
    public record CardStanding(boolean revoked, Optional<String> boundResident) {}

    public CardStanding card(Connection c, ReplicaState s, CardId card) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("""
                SELECT EXISTS (SELECT 1 FROM card_revocation
                               WHERE municipality_code = ? AND issuer_key = ? AND serial_hex = ?),
                       (SELECT resident_id FROM card_binding
                        WHERE municipality_code = ? AND generation = ? AND issuer_key = ? AND serial_hex = ?)""")) {
            String issuer = ReplicaWriter.issuerKey(card);
            st.setString(1, s.municipalityCode());
            st.setString(2, issuer);
            st.setString(3, card.serialHex());
            st.setString(4, s.municipalityCode());
            st.setLong(5, s.generation());
            st.setString(6, issuer);
            st.setString(7, card.serialHex());
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return new CardStanding(rs.getBoolean(1), Optional.ofNullable(rs.getString(2)));
            }
        }
    }

    /** A resident and every current member of their household (the resident among them), if the resident is current. */
    public record WithHousehold(ResidentRecord resident, List<ResidentRecord> household) {}

    /**
     * A resident and their household in one statement (two index reads: the resident by id, the household by the
     * resident's {@code household_id}), in no particular order; empty when the resident is not current.
     */
    public Optional<WithHousehold> residentWithHousehold(Connection c, ReplicaState s, String residentId)
            throws SQLException {
        try (PreparedStatement st = c.prepareStatement("""
                SELECT 1, record FROM resident WHERE municipality_code = ? AND generation = ? AND resident_id = ?
                UNION ALL
                SELECT 2, record FROM resident WHERE municipality_code = ? AND generation = ? AND household_id =
                    (SELECT household_id FROM resident
                     WHERE municipality_code = ? AND generation = ? AND resident_id = ?)""")) {
            st.setString(1, s.municipalityCode());
            st.setLong(2, s.generation());
            st.setString(3, residentId);
            st.setString(4, s.municipalityCode());
            st.setLong(5, s.generation());
            st.setString(6, s.municipalityCode());
            st.setLong(7, s.generation());
            st.setString(8, residentId);
            ResidentRecord resident = null;
            List<ResidentRecord> household = new ArrayList<>();
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    ResidentRecord r = ResidentJson.fromStored(rs.getString(2));
                    if (rs.getInt(1) == 1) {
                        resident = r;
                    } else {
                        household.add(r);
                    }
                }
            }
            return Optional.ofNullable(resident).map(r -> new WithHousehold(r, household));
        }
    }

    /**
     * Those of the persons to print who may not be printed on a certificate of this type (contract §6, §8): a person
     * with an active block naming the type (or every type), or a person whose current household has a member with a
     * {@code householdWide} block naming it. The households are those of the records given (as read on this
     * transaction), so a block follows its holder's household as it is now.
     */
    public Set<String> blocked(Connection c, ReplicaState s, CertificateType type, Collection<ResidentRecord> persons)
            throws SQLException {
        Set<String> blocked = new HashSet<>();
        if (persons.isEmpty()) {
            return blocked;
        }
        Map<String, String> householdOf = new LinkedHashMap<>();
        for (ResidentRecord p : persons) {
            householdOf.put(p.residentId(), p.householdId());
        }
        Set<String> households = new HashSet<>(householdOf.values());
        Set<String> wideHouseholds = new HashSet<>();
        String ids = String.join(",", java.util.Collections.nCopies(householdOf.size(), "?"));
        String hs = String.join(",", java.util.Collections.nCopies(households.size(), "?"));
        try (PreparedStatement st = c.prepareStatement("SELECT b.resident_id, b.certificate_types, b.household_wide,"
                + " r.household_id FROM issuance_block b LEFT JOIN resident r ON r.municipality_code = b.municipality_code"
                + " AND r.generation = b.generation AND r.resident_id = b.resident_id"
                + " WHERE b.municipality_code = ? AND b.generation = ?"
                + " AND (b.resident_id IN (" + ids + ") OR (b.household_wide AND r.household_id IN (" + hs + ")))")) {
            int i = 1;
            st.setString(i++, s.municipalityCode());
            st.setLong(i++, s.generation());
            for (String id : householdOf.keySet()) {
                st.setString(i++, id);
            }
            for (String h : households) {
                st.setString(i++, h);
            }
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    if (!BlockTypes.names(rs.getString(2), type)) {
                        continue;
                    }
                    String holder = rs.getString(1);
                    if (householdOf.containsKey(holder)) {
                        blocked.add(holder);
                    }
                    if (rs.getBoolean(3) && rs.getString(4) != null) {
                        wideHouseholds.add(rs.getString(4));
                    }
                }
            }
        }
        householdOf.forEach((id, household) -> {
            if (wideHouseholds.contains(household)) {
                blocked.add(id);
            }
        });
        return blocked;
    }

    /** The person's current 印鑑登録, if any (contract §6 {@code SEAL_REGISTER}). */
    public Optional<SealRegistration> sealRegistration(Connection c, ReplicaState s, String residentId)
            throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT registration_number, registered_name, registered_on,"
                + " seal_size_mm, seal_image FROM seal_registration"
                + " WHERE municipality_code = ? AND generation = ? AND resident_id = ?")) {
            st.setString(1, s.municipalityCode());
            st.setLong(2, s.generation());
            st.setString(3, residentId);
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new SealRegistration(rs.getString(1), rs.getString(2),
                        rs.getDate(3).toLocalDate(), rs.getDouble(4), rs.getBytes(5)));
            }
        }
    }

    // ---- state row ----

    private ReplicaState lockForUpdate(Connection c, String code) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                INSERT IGNORE INTO municipality_replica (municipality_code, applied_through, generation, updated_at)
                VALUES (?, 0, 1, ?)""")) {
            s.setString(1, code);
            s.setTimestamp(2, Timestamp.from(clock.instant()));
            s.executeUpdate();
        }
        return read(c, code, " FOR UPDATE");
    }

    private static ReplicaState read(Connection c, String code, String lock) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "SELECT applied_through, generation, last_heard_at FROM municipality_replica WHERE municipality_code = ?"
                        + lock)) {
            s.setString(1, code);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? stateOf(code, rs, 1) : unheard(code);
            }
        }
    }

    /** The state in a {@code municipality_replica} row: its three columns from {@code first} on. */
    private static ReplicaState stateOf(String code, ResultSet rs, int first) throws SQLException {
        Timestamp heard = rs.getTimestamp(first + 2);
        return new ReplicaState(code, rs.getLong(first), rs.getLong(first + 1),
                Optional.ofNullable(heard).map(Timestamp::toInstant));
    }

    /** The state of a municipality without a row: never fed. */
    private static ReplicaState unheard(String code) {
        return new ReplicaState(code, 0, 1, Optional.empty());
    }

    /** Sets the state after an accepted batch or snapshot, which is also when the feed was last heard. */
    private void setAppliedThrough(Connection c, String code, long seq, long generation) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                UPDATE municipality_replica SET applied_through = ?, generation = ?, updated_at = ?,
                    last_heard_at = GREATEST(COALESCE(last_heard_at, ?), ?)
                WHERE municipality_code = ?""")) {
            Timestamp now = Timestamp.from(clock.instant());
            s.setLong(1, seq);
            s.setLong(2, generation);
            s.setTimestamp(3, now);
            s.setTimestamp(4, now);
            s.setTimestamp(5, now);
            s.setString(6, code);
            s.executeUpdate();
        }
    }
}
