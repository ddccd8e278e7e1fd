package jp.kofu.municipality;

import jakarta.inject.Singleton;
import jp.kofu.contract.CertificateType;
import jp.kofu.db.Database;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Certificate types a 管理者 stopped from the console (table {@code type_stop}, docs/settings.md), added to the
 * municipalities file's {@code stoppedTypes} (contract §8: {@code 422 OUTSIDE_SERVICE_HOURS}). The table is shared
 * by every node; each node reads all of it at most once per {@link #FRESH} and answers from that copy, so a stop made
 * on one node's console holds on every node within a few seconds without a query per request.
 */
@Singleton
public final class TypeStops {
    /** How old the copy of the table may be before a request reads it again. */
    static final Duration FRESH = Duration.ofSeconds(2);

    /** A console stop: since when and by whom (the staff login id). */
    public record Stop(Instant since, String by) {}

    private record Copy(Map<String, Map<CertificateType, Stop>> byMunicipality, long readAtNanos) {}

    private final Database db;
    private final Clock clock;
    private volatile Copy copy;

    TypeStops(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** The municipality with the console's stops of its types added to the file's. */
    public Municipality applyTo(Municipality m) {
        Map<CertificateType, Stop> stops = current().getOrDefault(m.code(), Map.of());
        return stops.isEmpty() ? m : m.alsoStopping(stops.keySet());
    }

    /** The console's stops of the municipality's types, as of at most {@link #FRESH} ago. */
    public Map<CertificateType, Stop> of(String municipalityCode) {
        return current().getOrDefault(municipalityCode, Map.of());
    }

    /** Stops the type from now; false when it was already stopped from the console. */
    public boolean stop(String municipalityCode, CertificateType type, String staffLogin) {
        boolean stopped = db.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT IGNORE INTO type_stop (municipality_code,"
                    + " certificate_type, stopped_at, stopped_by) VALUES (?, ?, ?, ?)")) {
                s.setString(1, municipalityCode);
                s.setString(2, type.name());
                s.setTimestamp(3, Timestamp.from(clock.instant()));
                s.setString(4, staffLogin);
                return s.executeUpdate() == 1;
            }
        });
        copy = null;
        return stopped;
    }

    /** Ends the console's stop of the type; false when there was none. */
    public boolean resume(String municipalityCode, CertificateType type) {
        boolean resumed = db.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "DELETE FROM type_stop WHERE municipality_code = ? AND certificate_type = ?")) {
                s.setString(1, municipalityCode);
                s.setString(2, type.name());
                return s.executeUpdate() == 1;
            }
        });
        copy = null;
        return resumed;
    }

    private Map<String, Map<CertificateType, Stop>> current() {
        Copy c = copy;
        long now = System.nanoTime();
        if (c == null || now - c.readAtNanos() > FRESH.toNanos()) {
            c = new Copy(read(), now);
            copy = c;
        }
        return c.byMunicipality();
    }

    private Map<String, Map<CertificateType, Stop>> read() {
        return db.read(c -> {
            Map<String, Map<CertificateType, Stop>> all = new HashMap<>();
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT municipality_code, certificate_type, stopped_at, stopped_by FROM type_stop");
                 ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    Optional<CertificateType> type = CertificateType.of(rs.getString(2));
                    if (type.isPresent()) {
                        all.computeIfAbsent(rs.getString(1), k -> new java.util.EnumMap<>(CertificateType.class))
                                .put(type.get(), new Stop(rs.getTimestamp(3).toInstant(), rs.getString(4)));
                    }
                }
            }
            all.replaceAll((k, v) -> Map.copyOf(v));
            return Map.copyOf(all);
        });
    }
}
