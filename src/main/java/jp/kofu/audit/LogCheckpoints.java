package jp.kofu.audit;

import jp.kofu.contract.Tokyo;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import jp.kofu.db.Database;
import jp.kofu.db.DatabaseUnavailableException;
import jp.kofu.signing.DocumentSigner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The daily checkpoints: for each municipality and each day (Asia/Tokyo) from its first log row to yesterday, the
 * chain's last sequence number and hash at the end of the day, signed with the municipality's key. Runs shortly
 * after start-up and every few minutes, so the checkpoint of a day is written within minutes after its midnight, and
 * those of days the service was down are made up at the next start. Every node runs it: the first checkpoint of a
 * day wins (primary key), the others are ignored.
 */
@Singleton
public final class LogCheckpoints {
    private static final Logger OPS = LoggerFactory.getLogger("kofu.ops.audit");
    static final ZoneId TOKYO = Tokyo.ZONE;
    /** A day is checkpointed this long after its midnight, so that issuances begun before it have committed. */
    static final Duration SETTLE = Duration.ofMinutes(2);

    private final Database db;
    private final CheckpointKeys keys;
    private final Clock clock;

    public LogCheckpoints(Database db, CheckpointKeys keys, Clock clock) {
        this.db = db;
        this.keys = keys;
        this.clock = clock;
    }

    @Scheduled(fixedDelay = "5m", initialDelay = "10s")
    void scheduled() {
        try {
            int written = writeMissing();
            if (written > 0) {
                OPS.info("wrote {} daily checkpoints of the issuance log", written);
            }
        } catch (DatabaseUnavailableException e) {
            OPS.warn("issuance log checkpoints skipped: database unavailable");
        } catch (RuntimeException e) {
            OPS.error("ALARM issuance log checkpoints not written: {}", e.toString(), e);
        }
    }

    /** Writes every checkpoint missing up to the last settled day; answers how many this node wrote. */
    public int writeMissing() {
        LocalDate lastDay = clock.instant().minus(SETTLE).atZone(TOKYO).toLocalDate().minusDays(1);
        int written = 0;
        for (String code : keys.municipalityCodes()) {
            Optional<DocumentSigner> signer = keys.signer(code);
            if (signer.isPresent()) {
                written += db.withConnection(c -> writeMissing(c, code, signer.get(), lastDay));
            }
        }
        return written;
    }

    private int writeMissing(Connection c, String chain, DocumentSigner signer, LocalDate lastDay) throws SQLException {
        LocalDate firstDay;
        try (PreparedStatement s = c.prepareStatement("SELECT MIN(logged_at) FROM issuance_log WHERE chain_key = ?")) {
            s.setString(1, chain);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                LocalDateTime first = rs.getObject(1, LocalDateTime.class);
                if (first == null) {
                    return 0;
                }
                firstDay = first.atZone(ZoneId.systemDefault()).withZoneSameInstant(TOKYO).toLocalDate();
            }
        }
        Map<LocalDate, IssuanceLog.Head> existing = new HashMap<>();
        try (PreparedStatement s = c.prepareStatement(
                "SELECT log_day, last_seq, head_hash FROM log_checkpoint WHERE chain_key = ?")) {
            s.setString(1, chain);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    existing.put(rs.getObject(1, LocalDate.class), new IssuanceLog.Head(rs.getLong(2), rs.getString(3)));
                }
            }
        }
        int written = 0;
        IssuanceLog.Head carried = new IssuanceLog.Head(0, ChainEncoding.GENESIS);
        for (LocalDate day = firstDay; !day.isAfter(lastDay); day = day.plusDays(1)) {
            IssuanceLog.Head kept = existing.get(day);
            if (kept != null) {
                carried = kept.lastSeq() >= carried.lastSeq() ? kept : carried;
                continue;
            }
            IssuanceLog.Head end = lastOfDay(c, chain, day).filter(h -> h.lastSeq() > 0).orElse(carried);
            if (end.lastSeq() < carried.lastSeq()) {
                end = carried;
            }
            byte[] signature;
            try {
                signature = signer.sign(new ByteArrayInputStream(
                        ChainEncoding.checkpointBytes(chain, day, end.lastSeq(), end.lastHash())));
            } catch (IOException e) {
                throw new IllegalStateException("the checkpoint of " + chain + " for " + day + " could not be signed", e);
            }
            try (PreparedStatement s = c.prepareStatement("INSERT IGNORE INTO log_checkpoint"
                    + " (chain_key, log_day, last_seq, head_hash, signed_at, signature) VALUES (?, ?, ?, ?, ?, ?)")) {
                s.setString(1, chain);
                s.setObject(2, day);
                s.setLong(3, end.lastSeq());
                s.setString(4, end.lastHash());
                s.setTimestamp(5, Timestamp.from(clock.instant()));
                s.setBytes(6, signature);
                written += s.executeUpdate();
            }
            carried = end;
        }
        return written;
    }

    /** The last row logged during {@code day} (Tokyo), if any. */
    private static Optional<IssuanceLog.Head> lastOfDay(Connection c, String chain, LocalDate day) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT chain_seq, entry_hash FROM issuance_log"
                + " WHERE chain_key = ? AND logged_at >= ? AND logged_at < ? AND chain_seq IS NOT NULL"
                + " ORDER BY chain_seq DESC LIMIT 1")) {
            s.setString(1, chain);
            s.setObject(2, stored(day.atStartOfDay(TOKYO).toInstant()));
            s.setObject(3, stored(day.plusDays(1).atStartOfDay(TOKYO).toInstant()));
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(new IssuanceLog.Head(rs.getLong(1), rs.getString(2))) : Optional.empty();
            }
        }
    }

    private static LocalDateTime stored(Instant instant) {
        return IssuanceLog.stored(instant);
    }
}
