package jp.kofu.audit;

import jakarta.inject.Singleton;
import jp.kofu.db.AfterMigration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Links the log rows written before migration 3 into their chains, in the order they were written, once: in the
 * start that applies migration 3, as the migrating account. Never afterwards: a row outside its chain found later
 * was not written by Kofu, and the verifier reports it.
 */
@Singleton
public final class LegacyLogRows implements AfterMigration {
    private static final Logger LOG = LoggerFactory.getLogger(LegacyLogRows.class);
    private static final int BATCH = 500;

    @Override
    public void run(Connection admin, Set<String> appliedVersions) throws SQLException {
        if (!appliedVersions.contains("3")) {
            return;
        }
        boolean autoCommit = admin.getAutoCommit();
        admin.setAutoCommit(false);
        long linked = 0;
        try {
            while (true) {
                int n = linkBatch(admin);
                admin.commit();
                linked += n;
                if (n < BATCH) {
                    break;
                }
            }
        } catch (SQLException | RuntimeException e) {
            admin.rollback();
            throw e;
        } finally {
            admin.setAutoCommit(autoCommit);
        }
        if (linked > 0) {
            LOG.info("Linked {} issuance log rows written by an older Kofu into their hash chains", linked);
        }
    }

    private static int linkBatch(Connection c) throws SQLException {
        List<Object[]> rows = new ArrayList<>();
        List<String> content = ChainEncoding.COLUMNS.subList(3, ChainEncoding.COLUMNS.size());
        try (PreparedStatement s = c.prepareStatement("SELECT id, " + String.join(", ", content)
                + " FROM issuance_log WHERE chain_seq IS NULL ORDER BY id LIMIT " + BATCH);
             ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                Object[] row = new Object[content.size() + 1];
                row[0] = rs.getLong(1);
                row[1] = ChainEncoding.time(rs.getObject(2, LocalDateTime.class));
                for (int i = 2; i <= content.size(); i++) {
                    row[i] = rs.getString(i + 1);
                }
                rows.add(row);
            }
        }
        for (Object[] row : rows) {
            String municipality = (String) row[1 + content.indexOf("municipality_code")];
            String chain = ChainEncoding.legacyChainOf(municipality);
            IssuanceLog.Head head = IssuanceLog.lockHead(c, chain);
            long seq = head.lastSeq() + 1;
            List<String> values = new ArrayList<>(List.of(chain, Long.toString(seq), head.lastHash()));
            for (int i = 1; i < row.length; i++) {
                values.add((String) row[i]);
            }
            String hash = ChainEncoding.entryHash(values);
            try (PreparedStatement s = c.prepareStatement("UPDATE issuance_log SET chain_key = ?, chain_seq = ?,"
                    + " prev_hash = ?, entry_hash = ? WHERE id = ?")) {
                s.setString(1, chain);
                s.setLong(2, seq);
                s.setString(3, head.lastHash());
                s.setString(4, hash);
                s.setLong(5, (Long) row[0]);
                s.executeUpdate();
            }
            IssuanceLog.advance(c, chain, seq, hash);
        }
        return rows.size();
    }
}
