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
import java.util.TreeSet;

/**
 * Checks the issuance log's chains: every row against its hash and the row before it, the numbering for gaps and
 * extra rows, the chain head, and every daily checkpoint's signature and hash. Reads the rows as a stream inside
 * one read-only transaction (a consistent snapshot while the service keeps appending), so memory does not grow
 * with the log.
 */
@Singleton
public final class LogChainVerifier {
    /** The most breaks a report lists; the count goes on. */
    public static final int MAX_BREAKS = 100;
    /** The chain of the rows without a municipality. */
    public static final String NO_MUNICIPALITY = ChainEncoding.NO_MUNICIPALITY;

    private final Database db;
    private final CheckpointKeys keys;

    public LogChainVerifier(Database db, CheckpointKeys keys) {
        this.db = db;
        this.keys = keys;
    }

    /** Checks the chain of one municipality ({@link #NO_MUNICIPALITY} for the rows without one). */
    public ChainReport verify(String municipalityCode) {
        return db.withConnection(c -> inSnapshot(c, () -> verify(c, municipalityCode)));
    }

    /** Checks every chain that has a head, a row or a checkpoint, in order of municipality code. */
    public List<ChainReport> verifyAll() {
        return db.withConnection(c -> inSnapshot(c, () -> {
            List<ChainReport> reports = new ArrayList<>();
            for (String chain : chains(c)) {
                reports.add(verify(c, chain));
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

    private static Collection<String> chains(Connection c) throws SQLException {
        TreeSet<String> chains = new TreeSet<>();
        for (String sql : List.of("SELECT chain_key FROM log_chain_head",
                "SELECT DISTINCT COALESCE(chain_key, municipality_code, '-') FROM issuance_log",
                "SELECT DISTINCT chain_key FROM log_checkpoint")) {
            try (PreparedStatement s = c.prepareStatement(sql); ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    chains.add(rs.getString(1));
                }
            }
        }
        return chains;
    }

    /** A checkpoint as stored. */
    private record Checkpoint(LocalDate day, long lastSeq, String headHash, byte[] signature) {}

    /** What one walk has found so far. */
    private static final class Findings {
        final List<ChainBreak> breaks = new ArrayList<>();
        long total;

        void add(ChainBreak.Kind kind, long seq, Long rowId, LocalDate day, String detail) {
            total++;
            if (breaks.size() < MAX_BREAKS) {
                breaks.add(new ChainBreak(kind, seq, rowId, day, detail));
            }
        }
    }

    private ChainReport verify(Connection c, String chain) throws SQLException {
        Findings found = new Findings();
        // The checkpoints first (one per day: small), then the rows as a stream on the same connection.
        List<Checkpoint> checkpoints = checkpoints(c, chain);
        Map<Long, List<Checkpoint>> bySeq = new HashMap<>();
        long checkpointsChecked = 0;
        long previousSeq = 0;
        for (Checkpoint cp : checkpoints) {
            checkpointsChecked++;
            String problem = signatureProblem(chain, cp);
            if (problem != null) {
                found.add(ChainBreak.Kind.BAD_CHECKPOINT_SIGNATURE, cp.lastSeq(), null, cp.day(), problem);
                continue;
            }
            if (cp.lastSeq() < previousSeq) {
                found.add(ChainBreak.Kind.CHECKPOINT_MISMATCH, cp.lastSeq(), null, cp.day(),
                        "the checkpoint names fewer rows than the one of an earlier day");
            }
            previousSeq = Math.max(previousSeq, cp.lastSeq());
            if (cp.lastSeq() == 0) {
                if (!cp.headHash().equals(ChainEncoding.GENESIS)) {
                    found.add(ChainBreak.Kind.CHECKPOINT_MISMATCH, 0, null, cp.day(),
                            "the checkpoint of an empty chain names a hash");
                }
            } else {
                bySeq.computeIfAbsent(cp.lastSeq(), k -> new ArrayList<>()).add(cp);
            }
        }
        outsideTheChain(c, chain, found);

        long expected = 1;
        String previousHash = ChainEncoding.GENESIS;
        long entries = 0;
        long last = 0;
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
                    List<String> values = new ArrayList<>(content.size() + 3);
                    values.add(chain);
                    values.add(Long.toString(seq));
                    values.add(prevHash);
                    values.add(ChainEncoding.time(rs.getObject(5, LocalDateTime.class)));
                    for (int i = 6; i < 5 + content.size(); i++) {
                        values.add(rs.getString(i));
                    }
                    if (seq < expected) {
                        found.add(ChainBreak.Kind.INSERTED_ROW, seq, id, null,
                                "a second row with sequence number " + seq);
                        continue;
                    }
                    boolean follows = seq == expected;
                    if (!follows) {
                        found.add(ChainBreak.Kind.DELETED_ROW, expected, null, null, expected == seq - 1
                                ? "row " + expected + " is missing"
                                : "rows " + expected + " to " + (seq - 1) + " are missing");
                    }
                    String municipality = values.get(3 + content.indexOf("municipality_code"));
                    if (!ChainEncoding.entryHash(values).equals(entryHash)) {
                        found.add(ChainBreak.Kind.CHANGED_ROW, seq, id, null, "row " + seq
                                + " does not match its hash");
                    } else if (!chain.equals(ChainEncoding.chainOf(municipality))) {
                        found.add(ChainBreak.Kind.INSERTED_ROW, seq, id, null, "row " + seq
                                + " names another municipality than its chain");
                    } else if (follows && !previousHash.equals(prevHash)) {
                        found.add(ChainBreak.Kind.BROKEN_LINK, seq, id, null, "row " + seq
                                + " does not follow row " + (seq - 1));
                    }
                    for (Checkpoint cp : bySeq.getOrDefault(seq, List.of())) {
                        if (!cp.headHash().equals(entryHash)) {
                            found.add(ChainBreak.Kind.CHECKPOINT_MISMATCH, seq, id, cp.day(),
                                    "row " + seq + " is not the row the checkpoint of " + cp.day() + " signed");
                        }
                    }
                    previousHash = entryHash;
                    expected = seq + 1;
                    last = seq;
                }
            }
        }
        for (Map.Entry<Long, List<Checkpoint>> e : bySeq.entrySet()) {
            if (e.getKey() > last) {
                for (Checkpoint cp : e.getValue()) {
                    found.add(ChainBreak.Kind.DELETED_ROW, e.getKey(), null, cp.day(), "the checkpoint of "
                            + cp.day() + " names row " + e.getKey() + ", but the chain ends at row " + last);
                }
            }
        }
        checkHead(c, chain, last, previousHash, found);
        found.breaks.sort(java.util.Comparator.comparingLong(ChainBreak::sequence));
        return new ChainReport(chain, found.total == 0, entries, checkpointsChecked, last, found.breaks, found.total);
    }

    /** Rows of this chain's municipality that are in no chain: none is ever written so. */
    private static void outsideTheChain(Connection c, String chain, Findings found) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT id FROM issuance_log WHERE chain_seq IS NULL"
                + " AND COALESCE(chain_key, municipality_code, '-') = ? ORDER BY id LIMIT " + MAX_BREAKS)) {
            s.setString(1, chain);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    found.add(ChainBreak.Kind.INSERTED_ROW, 0, rs.getLong(1), null,
                            "row id " + rs.getLong(1) + " has no place in the chain");
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
                        found.add(ChainBreak.Kind.DELETED_ROW, last, null, null, "the head of the chain is missing");
                    }
                    return;
                }
                long headSeq = rs.getLong(1);
                if (headSeq > last) {
                    found.add(ChainBreak.Kind.DELETED_ROW, last + 1, null, null, headSeq == last + 1
                            ? "row " + headSeq + ", the last one, is missing"
                            : "rows " + (last + 1) + " to " + headSeq + ", the last ones, are missing");
                } else if (headSeq < last) {
                    found.add(ChainBreak.Kind.INSERTED_ROW, headSeq + 1, null, null,
                            "rows after " + headSeq + ", the last one written, were added");
                } else if (!rs.getString(2).equals(lastHash)) {
                    found.add(ChainBreak.Kind.CHANGED_ROW, last, null, null,
                            "row " + last + " is not the last row written");
                }
            }
        }
    }

    private static List<Checkpoint> checkpoints(Connection c, String chain) throws SQLException {
        List<Checkpoint> out = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT log_day, last_seq, head_hash, signature"
                + " FROM log_checkpoint WHERE chain_key = ? ORDER BY log_day")) {
            s.setString(1, chain);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(new Checkpoint(rs.getObject(1, LocalDate.class), rs.getLong(2), rs.getString(3),
                            rs.getBytes(4)));
                }
            }
        }
        return out;
    }

    /** Null when the checkpoint is signed, SHA-256 with RSA, by the municipality's key; otherwise why not. */
    private String signatureProblem(String chain, Checkpoint cp) {
        try {
            byte[] content = ChainEncoding.checkpointBytes(chain, cp.day(), cp.lastSeq(), cp.headHash());
            CMSSignedData signed = new CMSSignedData(new CMSProcessableByteArray(content), cp.signature());
            Collection<SignerInformation> signers = signed.getSignerInfos().getSigners();
            if (signers.size() != 1) {
                return "the checkpoint of " + cp.day() + " has " + signers.size() + " signatures";
            }
            SignerInformation signer = signers.iterator().next();
            if (!NISTObjectIdentifiers.id_sha256.getId().equals(signer.getDigestAlgOID())
                    || !(PKCSObjectIdentifiers.rsaEncryption.getId().equals(signer.getEncryptionAlgOID())
                    || PKCSObjectIdentifiers.sha256WithRSAEncryption.getId().equals(signer.getEncryptionAlgOID()))) {
                return "the checkpoint of " + cp.day() + " is not signed SHA-256 with RSA";
            }
            @SuppressWarnings("unchecked")
            Collection<X509CertificateHolder> matches = signed.getCertificates().getMatches(signer.getSID());
            if (matches.isEmpty()) {
                return "the checkpoint of " + cp.day() + " does not carry its certificate";
            }
            X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(matches.iterator().next());
            if (!signer.verify(new JcaSimpleSignerInfoVerifierBuilder().build(certificate))) {
                return "the signature of the checkpoint of " + cp.day() + " does not verify";
            }
            if (!keys.trusts(chain, certificate)) {
                return "the checkpoint of " + cp.day() + " is not signed by the municipality's key";
            }
            return null;
        } catch (Exception e) {
            // a damaged signature: whatever the parser says, the checkpoint is not evidence
            return "the signature of the checkpoint of " + cp.day() + " does not verify";
        }
    }
}
