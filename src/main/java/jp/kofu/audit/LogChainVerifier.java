package jp.kofu.audit;

import jakarta.inject.Singleton;
import jp.kofu.db.Database;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;

import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Comparator;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Checks the issuance log, one municipality at a time: every chain of it (one per node, {@code <code>/<node>}, and
 * the one keyed by the bare code that the rows written before chains were per node form), each row against its
 * hash and the row before it, the numbering for gaps and extra rows, each chain's head, and every daily checkpoint
 * (the older one per chain and day, the newer one per municipality and day listing every chain): its signature,
 * the rows it names, and the chains it lists. Reads the rows as a stream inside one read-only transaction (a
 * consistent snapshot while the service keeps appending), so memory does not grow with the log.
 */
@Singleton
public final class LogChainVerifier {
    /** The most breaks a report lists; the count goes on. */
    public static final int MAX_BREAKS = 100;
    /** The chain (and the report) of the rows without a municipality. */
    public static final String NO_MUNICIPALITY = ChainEncoding.NO_MUNICIPALITY;
    /** The chain keys of one municipality: the bare code, or the code, '/', and a node name. */
    static final String CHAINS_OF_MUNICIPALITY = "(chain_key = ? OR (chain_key >= ? AND chain_key < ?))";

    private final Database db;
    private final CheckpointKeys keys;

    public LogChainVerifier(Database db, CheckpointKeys keys) {
        this.db = db;
        this.keys = keys;
    }

    /** Checks every chain of one municipality ({@link #NO_MUNICIPALITY} for the rows without one). */
    public ChainReport verify(String municipalityCode) {
        return db.withConnection(c -> inSnapshot(c, () -> verify(c, municipalityCode)));
    }

    /** Checks every municipality that has a chain head, a row or a checkpoint, in order of municipality code. */
    public List<ChainReport> verifyAll() {
        return db.withConnection(c -> inSnapshot(c, () -> {
            List<ChainReport> reports = new ArrayList<>();
            for (String municipality : municipalities(c)) {
                reports.add(verify(c, municipality));
            }
            return reports;
        }));
    }

    private interface SqlWork<T> {
        T run() throws SQLException;
    }

    private static <T> T inSnapshot(Connection c, SqlWork<T> work) throws SQLException {
        c.setAutoCommit(false);
        c.setReadOnly(true);
        try {
            try (var s = c.createStatement()) {
                s.execute("START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY");
            }
            return work.run();
        } finally {
            c.rollback();
            c.setReadOnly(false);
            c.setAutoCommit(true);
        }
    }

    /** Sets the three parameters of {@link #CHAINS_OF_MUNICIPALITY} from {@code index} on. */
    static void chainsOf(PreparedStatement s, int index, String municipality) throws SQLException {
        s.setString(index, municipality);
        s.setString(index + 1, municipality + "/");
        s.setString(index + 2, municipality + "0"); // '0' follows '/' in byte order
    }

    private static Collection<String> municipalities(Connection c) throws SQLException {
        TreeSet<String> municipalities = new TreeSet<>();
        for (String sql : List.of("SELECT chain_key FROM log_chain_head",
                "SELECT DISTINCT COALESCE(chain_key, municipality_code, '-') FROM issuance_log",
                "SELECT DISTINCT chain_key FROM log_checkpoint",
                "SELECT DISTINCT municipality_code FROM log_day_checkpoint")) {
            try (PreparedStatement s = c.prepareStatement(sql); ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    municipalities.add(ChainEncoding.municipalityOf(rs.getString(1)));
                }
            }
        }
        return municipalities;
    }

    /** The chains of a municipality that have a head or a row. */
    private static Collection<String> chainKeys(Connection c, String municipality) throws SQLException {
        TreeSet<String> chains = new TreeSet<>();
        for (String sql : List.of("SELECT chain_key FROM log_chain_head WHERE " + CHAINS_OF_MUNICIPALITY,
                "SELECT DISTINCT chain_key FROM issuance_log WHERE " + CHAINS_OF_MUNICIPALITY
                        + " AND chain_seq IS NOT NULL")) {
            try (PreparedStatement s = c.prepareStatement(sql)) {
                chainsOf(s, 1, municipality);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        chains.add(rs.getString(1));
                    }
                }
            }
        }
        return chains;
    }

    /** What a checkpoint says of one chain at the end of one day. */
    private record Checkpoint(LocalDate day, long lastSeq, String headHash) {}

    /** What one check has found so far. */
    private static final class Findings {
        final List<ChainBreak> breaks = new ArrayList<>();
        final Map<String, Long> perChain = new HashMap<>();
        long total;

        void add(String chain, ChainBreak.Kind kind, long seq, Long rowId, LocalDate day, String detail) {
            total++;
            if (chain != null) {
                perChain.merge(chain, 1L, Long::sum);
            }
            if (breaks.size() < MAX_BREAKS) {
                breaks.add(new ChainBreak(chain, kind, seq, rowId, day, detail));
            }
        }
    }

    /** What the walk of one chain found: how far it goes, and its earliest row. */
    private record Walk(long entries, long last, LocalDateTime firstLoggedAt, long firstSeq, Long firstId) {}

    private ChainReport verify(Connection c, String municipality) throws SQLException {
        Findings found = new Findings();
        long checkpointsChecked = 0;
        // The checkpoints first (one per day: small), then each chain's rows as a stream on the same connection.
        Map<String, List<Checkpoint>> byChain = new TreeMap<>();
        try (PreparedStatement s = c.prepareStatement("SELECT log_day, last_seq, head_hash, signature"
                + " FROM log_checkpoint WHERE chain_key = ? ORDER BY log_day")) {
            s.setString(1, municipality);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    checkpointsChecked++;
                    Checkpoint cp = new Checkpoint(rs.getObject(1, LocalDate.class), rs.getLong(2), rs.getString(3));
                    String problem = signatureProblem(municipality, cp.day(), ChainEncoding.checkpointBytes(
                            municipality, cp.day(), cp.lastSeq(), cp.headHash()), rs.getBytes(4));
                    if (problem != null) {
                        found.add(municipality, ChainBreak.Kind.BAD_CHECKPOINT_SIGNATURE, cp.lastSeq(), null,
                                cp.day(), problem);
                    } else {
                        byChain.computeIfAbsent(municipality, k -> new ArrayList<>()).add(cp);
                    }
                }
            }
        }
        List<ChainEncoding.DayCheckpoint> days = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT log_day, body, signature FROM log_day_checkpoint"
                + " WHERE municipality_code = ? ORDER BY log_day")) {
            s.setString(1, municipality);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    checkpointsChecked++;
                    LocalDate day = rs.getObject(1, LocalDate.class);
                    byte[] body = rs.getBytes(2);
                    String problem = signatureProblem(municipality, day, body, rs.getBytes(3));
                    if (problem != null) {
                        found.add(null, ChainBreak.Kind.BAD_CHECKPOINT_SIGNATURE, 0, null, day, problem);
                        continue;
                    }
                    Optional<ChainEncoding.DayCheckpoint> parsed = ChainEncoding.parseDayCheckpoint(body);
                    if (parsed.isEmpty() || !parsed.get().municipality().equals(municipality)
                            || !parsed.get().day().equals(day)) {
                        found.add(null, ChainBreak.Kind.CHECKPOINT_MISMATCH, 0, null, day, "the signed text of the"
                                + " checkpoint of " + day + " is not a checkpoint of this municipality and day");
                        continue;
                    }
                    days.add(parsed.get());
                    parsed.get().chains().forEach((chain, head) -> {
                        if (!ChainEncoding.municipalityOf(chain).equals(municipality)) {
                            found.add(chain, ChainBreak.Kind.CHECKPOINT_MISMATCH, head.lastSeq(), null, day,
                                    "the checkpoint of " + day + " lists a chain of another municipality");
                        } else {
                            byChain.computeIfAbsent(chain, k -> new ArrayList<>())
                                    .add(new Checkpoint(day, head.lastSeq(), head.lastHash()));
                        }
                    });
                }
            }
        }
        outsideTheChain(c, municipality, found);

        TreeSet<String> chains = new TreeSet<>(chainKeys(c, municipality));
        chains.addAll(byChain.keySet());
        Map<String, Walk> walks = new TreeMap<>();
        for (String chain : chains) {
            List<Checkpoint> checkpoints = new ArrayList<>(byChain.getOrDefault(chain, List.of()));
            checkpoints.sort(Comparator.comparing(Checkpoint::day));
            walks.put(chain, walk(c, chain, checkpoints, found));
        }
        if (!municipality.equals(NO_MUNICIPALITY)) {
            unlisted(walks, days, found);
        }
        found.breaks.sort(Comparator.comparing(ChainBreak::chain, Comparator.nullsFirst(Comparator.naturalOrder()))
                .thenComparingLong(ChainBreak::sequence));
        List<ChainReport.Chain> summary = new ArrayList<>();
        long entries = 0;
        for (Map.Entry<String, Walk> w : walks.entrySet()) {
            entries += w.getValue().entries();
            summary.add(new ChainReport.Chain(w.getKey(), w.getValue().entries(), w.getValue().last(),
                    found.perChain.getOrDefault(w.getKey(), 0L)));
        }
        return new ChainReport(municipality, found.total == 0, entries, checkpointsChecked, summary, found.breaks,
                found.total);
    }

    /**
     * Each day's checkpoint lists every chain with a row logged by the end of that day: a chain it leaves out was
     * added behind the checkpoint's back (its rows were inserted later), or, when an earlier day lists it, the
     * checkpoint disagrees with that earlier one. Reported once per chain, at the first day concerned.
     */
    private static void unlisted(Map<String, Walk> walks, List<ChainEncoding.DayCheckpoint> days, Findings found) {
        List<ChainEncoding.DayCheckpoint> inOrder = new ArrayList<>(days);
        inOrder.sort(Comparator.comparing(ChainEncoding.DayCheckpoint::day));
        walks.forEach((chain, walk) -> {
            boolean listedBefore = false;
            for (ChainEncoding.DayCheckpoint day : inOrder) {
                if (day.chains().containsKey(chain)) {
                    listedBefore = true;
                    continue;
                }
                if (listedBefore) {
                    found.add(chain, ChainBreak.Kind.CHECKPOINT_MISMATCH, 0, null, day.day(), "the checkpoint of "
                            + day.day() + " does not list chain " + chain + ", which that of an earlier day lists");
                    return;
                }
                LocalDateTime endOfDay = IssuanceLog.stored(day.day().plusDays(1).atStartOfDay(LogCheckpoints.TOKYO)
                        .toInstant());
                if (walk.firstLoggedAt() != null && walk.firstLoggedAt().isBefore(endOfDay)) {
                    found.add(chain, ChainBreak.Kind.INSERTED_ROW, walk.firstSeq(), walk.firstId(), day.day(),
                            "chain " + chain + " has rows logged by the end of " + day.day()
                                    + ", but the checkpoint of that day does not list it");
                    return;
                }
            }
        });
    }

    private static Walk walk(Connection c, String chain, List<Checkpoint> checkpoints, Findings found)
            throws SQLException {
        if (!ChainEncoding.wellFormed(chain)) {
            found.add(chain, ChainBreak.Kind.INSERTED_ROW, 0, null, null,
                    "Kofu writes no chain named like this one");
        }
        Map<Long, List<Checkpoint>> bySeq = new HashMap<>();
        Checkpoint previous = null;
        for (Checkpoint cp : checkpoints) {
            if (previous != null && cp.lastSeq() < previous.lastSeq()) {
                found.add(chain, ChainBreak.Kind.CHECKPOINT_MISMATCH, cp.lastSeq(), null, cp.day(),
                        "the checkpoint names fewer rows than the one of " + previous.day());
            }
            if (previous == null || cp.lastSeq() >= previous.lastSeq()) {
                previous = cp;
            }
            if (cp.lastSeq() == 0) {
                if (!ChainEncoding.GENESIS.equals(cp.headHash())) {
                    found.add(chain, ChainBreak.Kind.CHECKPOINT_MISMATCH, 0, null, cp.day(),
                            "the checkpoint of an empty chain names a hash");
                }
            } else {
                bySeq.computeIfAbsent(cp.lastSeq(), k -> new ArrayList<>()).add(cp);
            }
        }

        long expected = 1;
        String previousHash = ChainEncoding.GENESIS;
        long entries = 0;
        long last = 0;
        LocalDateTime firstLoggedAt = null;
        long firstSeq = 0;
        Long firstId = null;
        List<String> content = ChainEncoding.COLUMNS.subList(3, ChainEncoding.COLUMNS.size());
        try (PreparedStatement s = c.prepareStatement("SELECT id, chain_seq, prev_hash, entry_hash, "
                + String.join(", ", content) + " FROM issuance_log WHERE chain_key = ? AND chain_seq IS NOT NULL"
                + " ORDER BY chain_seq", ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
            s.setFetchSize(500);
            s.setString(1, chain);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    entries++;
                    long id = rs.getLong(1);
                    long seq = rs.getLong(2);
                    String prevHash = rs.getString(3);
                    String entryHash = rs.getString(4);
                    LocalDateTime loggedAt = rs.getObject(5, LocalDateTime.class);
                    if (loggedAt != null && (firstLoggedAt == null || loggedAt.isBefore(firstLoggedAt))) {
                        firstLoggedAt = loggedAt;
                        firstSeq = seq;
                        firstId = id;
                    }
                    List<String> values = new ArrayList<>(content.size() + 3);
                    values.add(chain);
                    values.add(Long.toString(seq));
                    values.add(prevHash);
                    values.add(ChainEncoding.time(loggedAt));
                    for (int i = 6; i < 5 + content.size(); i++) {
                        values.add(rs.getString(i));
                    }
                    if (seq < expected) {
                        found.add(chain, ChainBreak.Kind.INSERTED_ROW, seq, id, null,
                                "a second row with sequence number " + seq);
                        continue;
                    }
                    boolean follows = seq == expected;
                    if (!follows) {
                        found.add(chain, ChainBreak.Kind.DELETED_ROW, expected, null, null, expected == seq - 1
                                ? "row " + expected + " is missing"
                                : "rows " + expected + " to " + (seq - 1) + " are missing");
                    }
                    String municipality = values.get(3 + content.indexOf("municipality_code"));
                    if (!ChainEncoding.entryHash(values).equals(entryHash)) {
                        found.add(chain, ChainBreak.Kind.CHANGED_ROW, seq, id, null, "row " + seq
                                + " does not match its hash");
                    } else if (!ChainEncoding.belongsTo(chain, municipality)) {
                        found.add(chain, ChainBreak.Kind.INSERTED_ROW, seq, id, null, "row " + seq
                                + " names another municipality than its chain");
                    } else if (follows && !previousHash.equals(prevHash)) {
                        found.add(chain, ChainBreak.Kind.BROKEN_LINK, seq, id, null, "row " + seq
                                + " does not follow row " + (seq - 1));
                    }
                    for (Checkpoint cp : bySeq.getOrDefault(seq, List.of())) {
                        if (!cp.headHash().equals(entryHash)) {
                            found.add(chain, ChainBreak.Kind.CHECKPOINT_MISMATCH, seq, id, cp.day(),
                                    "row " + seq + " is not the row the checkpoint of " + cp.day() + " signed");
                        }
                    }
                    previousHash = entryHash;
                    expected = seq + 1;
                    last = seq;
                }
            }
        }
        for (Map.Entry<Long, List<Checkpoint>> e : new TreeMap<>(bySeq).entrySet()) {
            if (e.getKey() > last) {
                for (Checkpoint cp : e.getValue()) {
                    found.add(chain, ChainBreak.Kind.DELETED_ROW, e.getKey(), null, cp.day(), "the checkpoint of "
                            + cp.day() + " names row " + e.getKey() + (last == 0 ? ", but the chain has no row"
                            : ", but the chain ends at row " + last));
                }
            }
        }
        checkHead(c, chain, last, previousHash, found);
        return new Walk(entries, last, firstLoggedAt, firstSeq, firstId);
    }

    /** Rows of this municipality that are in no chain: none is ever written so. */
    private static void outsideTheChain(Connection c, String municipality, Findings found) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT id, chain_key FROM issuance_log WHERE chain_seq IS NULL"
                + " AND (COALESCE(chain_key, municipality_code, '-') = ? OR (chain_key >= ? AND chain_key < ?))"
                + " ORDER BY id LIMIT " + MAX_BREAKS)) {
            chainsOf(s, 1, municipality);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    found.add(rs.getString(2), ChainBreak.Kind.INSERTED_ROW, 0, rs.getLong(1), null,
                            "row id " + rs.getLong(1) + " has no place in a chain");
                }
            }
        }
    }

    /** The head row says how long the chain is: rows cut off the end, or added after it, show here. */
    private static void checkHead(Connection c, String chain, long last, String lastHash, Findings found)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "SELECT last_seq, last_hash FROM log_chain_head WHERE chain_key = ?")) {
            s.setString(1, chain);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    if (last > 0) {
                        found.add(chain, ChainBreak.Kind.DELETED_ROW, last, null, null,
                                "the head of the chain is missing");
                    }
                    return;
                }
                long headSeq = rs.getLong(1);
                if (headSeq > last) {
                    found.add(chain, ChainBreak.Kind.DELETED_ROW, last + 1, null, null, headSeq == last + 1
                            ? "row " + headSeq + ", the last one, is missing"
                            : "rows " + (last + 1) + " to " + headSeq + ", the last ones, are missing");
                } else if (headSeq < last) {
                    found.add(chain, ChainBreak.Kind.INSERTED_ROW, headSeq + 1, null, null,
                            "rows after " + headSeq + ", the last one written, were added");
                } else if (!rs.getString(2).equals(lastHash)) {
                    found.add(chain, ChainBreak.Kind.CHANGED_ROW, last, null, null,
                            "row " + last + " is not the last row written");
                }
            }
        }
    }

    /**
     * Null when {@code signature} is a signature of {@code content}, SHA-256 with RSA, by the municipality's key;
     * otherwise why not.
     */
    private String signatureProblem(String municipality, LocalDate day, byte[] content, byte[] signature) {
        try {
            CMSSignedData signed = new CMSSignedData(new CMSProcessableByteArray(content), signature);
            Collection<SignerInformation> signers = signed.getSignerInfos().getSigners();
            if (signers.size() != 1) {
                return "the checkpoint of " + day + " has " + signers.size() + " signatures";
            }
            SignerInformation signer = signers.iterator().next();
            if (!NISTObjectIdentifiers.id_sha256.getId().equals(signer.getDigestAlgOID())
                    || !(PKCSObjectIdentifiers.rsaEncryption.getId().equals(signer.getEncryptionAlgOID())
                    || PKCSObjectIdentifiers.sha256WithRSAEncryption.getId().equals(signer.getEncryptionAlgOID()))) {
                return "the checkpoint of " + day + " is not signed SHA-256 with RSA";
            }
            @SuppressWarnings("unchecked")
            Collection<X509CertificateHolder> matches = signed.getCertificates().getMatches(signer.getSID());
            if (matches.isEmpty()) {
                return "the checkpoint of " + day + " does not carry its certificate";
            }
            X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(matches.iterator().next());
            if (!signer.verify(new JcaSimpleSignerInfoVerifierBuilder().build(certificate))) {
                return "the signature of the checkpoint of " + day + " does not verify";
            }
            if (!keys.trusts(municipality, certificate)) {
                return "the checkpoint of " + day + " is not signed by the municipality's key";
            }
            return null;
        } catch (Exception e) {
            // a damaged signature: whatever the parser says, the checkpoint is not evidence
            return "the signature of the checkpoint of " + day + " does not verify";
        }
    }
}
