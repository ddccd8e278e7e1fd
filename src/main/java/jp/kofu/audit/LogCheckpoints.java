package jp.kofu.audit;

import jp.kofu.contract.Tokyo;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import jp.kofu.alarm.AlarmKind;
import jp.kofu.alarm.Alarms;
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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The daily checkpoints: for each municipality and each day (Asia/Tokyo) from its first log row to yesterday, one
 * text listing every chain of the municipality (one per node, and the older one keyed by the bare code) that has a
 * row logged by the end of the day, with its last sequence number and hash at the end of the day, signed with the
 * municipality's key ({@code kofu-issuance-log-checkpoint/2}, table {@code log_day_checkpoint}). A day that already
 * has a checkpoint of the older form (one chain, {@code log_checkpoint}) gets none. Runs shortly after start-up and
 * every few minutes, so the checkpoint of a day is written within minutes after its midnight, and those of days the
 * service was down are made up at the next start. Every node runs it: the first checkpoint of a day wins (primary
 * key), the others are ignored.
 */
@Singleton
public final class LogCheckpoints {
    private static final Logger OPS = LoggerFactory.getLogger("kofu.ops.audit");
    static final ZoneId TOKYO = Tokyo.ZONE;
    /** A day is checkpointed this long after its midnight, so that issuances begun before it have committed. */
    static final Duration SETTLE = Duration.ofMinutes(2);
    /** The subject of the ASP-wide alarm of checkpoints not written. */
    static final String CHECKPOINTS = "発行記録の日次チェックポイント";
    /** The subject of a municipality's alarm of a broken issuance log (also the console's integrity check's). */
    public static final String LOG_CHAIN = "発行記録のハッシュチェーン";

    private final Database db;
    private final CheckpointKeys keys;
    private final Clock clock;
    private final Alarms alarms;

    /** Checkpoints whose failures are log lines only. */
    public LogCheckpoints(Database db, CheckpointKeys keys, Clock clock) {
        this(db, keys, clock, Alarms.logOnly(clock));
    }

    @jakarta.inject.Inject
    public LogCheckpoints(Database db, CheckpointKeys keys, Clock clock, Alarms alarms) {
        this.db = db;
        this.keys = keys;
        this.clock = clock;
        this.alarms = alarms;
    }

    @Scheduled(fixedDelay = "5m", initialDelay = "10s")
    void scheduled() {
        try {
            int written = writeMissing();
            if (written > 0) {
                OPS.info("wrote {} daily checkpoints of the issuance log", written);
            }
            alarms.clear(AlarmKind.CHECKPOINTS_NOT_WRITTEN, null, CHECKPOINTS);
        } catch (DatabaseUnavailableException e) {
            OPS.warn("issuance log checkpoints skipped: database unavailable");
        } catch (RuntimeException e) {
            alarms.raise(AlarmKind.CHECKPOINTS_NOT_WRITTEN, null, CHECKPOINTS, "the daily checkpoints could not be"
                    + " written: " + e.getClass().getSimpleName() + "; they are made up at the next run that works");
            OPS.error("issuance log checkpoints not written: {}", e.toString(), e);
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

    private int writeMissing(Connection c, String municipality, DocumentSigner signer, LocalDate lastDay)
            throws SQLException {
        SortedMap<String, LocalDateTime> firstRows = new TreeMap<>();
        try (PreparedStatement s = c.prepareStatement("SELECT chain_key, MIN(logged_at) FROM issuance_log WHERE "
                + LogChainVerifier.CHAINS_OF_MUNICIPALITY + " AND chain_seq IS NOT NULL GROUP BY chain_key")) {
            LogChainVerifier.chainsOf(s, 1, municipality);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    String chain = rs.getString(1);
                    LocalDateTime first = rs.getObject(2, LocalDateTime.class);
                    if (!ChainEncoding.wellFormed(chain)) {
                        // not Kofu's: the verifier reports it; a checkpoint lists only what Kofu writes
                        alarms.raise(AlarmKind.LOG_CHAIN_BROKEN, municipality, LOG_CHAIN, "issuance log chain "
                                + chain + " is not one Kofu writes; left out of the checkpoints");
                    } else if (first != null) {
                        firstRows.put(chain, first);
                    }
                }
            }
        }
        if (firstRows.isEmpty()) {
            return 0;
        }
        LocalDate firstDay = firstRows.values().stream().min(LocalDateTime::compareTo).orElseThrow()
                .atZone(ZoneId.systemDefault()).withZoneSameInstant(TOKYO).toLocalDate();
        Set<LocalDate> done = new HashSet<>();
        for (String sql : List.of("SELECT log_day FROM log_day_checkpoint WHERE municipality_code = ?",
                "SELECT log_day FROM log_checkpoint WHERE chain_key = ?")) {
            try (PreparedStatement s = c.prepareStatement(sql)) {
                s.setString(1, municipality);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        done.add(rs.getObject(1, LocalDate.class));
                    }
                }
            }
        }
        int written = 0;
        for (LocalDate day = firstDay; !day.isAfter(lastDay); day = day.plusDays(1)) {
            if (done.contains(day)) {
                continue;
            }
            LocalDateTime end = stored(day.plusDays(1).atStartOfDay(TOKYO).toInstant());
            SortedMap<String, IssuanceLog.Head> chains = new TreeMap<>();
            for (Map.Entry<String, LocalDateTime> chain : firstRows.entrySet()) {
                if (chain.getValue().isBefore(end)) {
                    lastBefore(c, chain.getKey(), end).ifPresent(h -> chains.put(chain.getKey(), h));
                }
            }
            byte[] body = ChainEncoding.dayCheckpointBytes(municipality, day, chains);
            byte[] signature;
            try {
                signature = signer.sign(new ByteArrayInputStream(body));
            } catch (IOException e) {
                throw new IllegalStateException("the checkpoint of " + municipality + " for " + day
                        + " could not be signed", e);
            }
            try (PreparedStatement s = c.prepareStatement("INSERT IGNORE INTO log_day_checkpoint"
                    + " (municipality_code, log_day, body, signed_at, signature) VALUES (?, ?, ?, ?, ?)")) {
                s.setString(1, municipality);
                s.setObject(2, day);
                s.setBytes(3, body);
                s.setTimestamp(4, Timestamp.from(clock.instant()));
                s.setBytes(5, signature);
                written += s.executeUpdate();
            }
        }
        return written;
    }

    /**
     * The chain's last row logged before {@code end}: its state at the end of the day. (The chain's unique key,
     * read backwards from its last row, finds it after the few rows logged since.)
     */
    private static Optional<IssuanceLog.Head> lastBefore(Connection c, String chain, LocalDateTime end)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT chain_seq, entry_hash FROM issuance_log"
                + " WHERE chain_key = ? AND chain_seq IS NOT NULL AND logged_at < ? ORDER BY chain_seq DESC LIMIT 1")) {
            s.setString(1, chain);
            s.setObject(2, end);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(new IssuanceLog.Head(rs.getLong(1), rs.getString(2))) : Optional.empty();
            }
        }
    }

    private static LocalDateTime stored(Instant instant) {
        return IssuanceLog.stored(instant);
    }
}
