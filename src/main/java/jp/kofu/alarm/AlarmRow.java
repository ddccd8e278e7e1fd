package jp.kofu.alarm;

import java.time.Instant;
import java.util.Optional;

/**
 * One row of table {@code alarm} as the console shows it.
 *
 * @param municipalityCode null for an ASP-wide row (shown to every municipality's staff, acknowledged by none)
 * @param occurrences      how many times an event happened in this row (1 for a condition)
 * @param recordedBy       the login id of the staff member who recorded it (a J-LIS notice); null when Kofu raised it
 */
public record AlarmRow(long id, String municipalityCode, AlarmKind kind, String subject, String detail,
                       Instant startedAt, Instant lastSeenAt, Optional<Instant> endedAt, int occurrences,
                       Optional<Instant> acknowledgedAt, String acknowledgedBy,
                       String recordedBy) {

    public boolean open() {
        return endedAt.isEmpty();
    }

    public boolean aspWide() {
        return municipalityCode == null;
    }

    /** Whether the municipality's staff may acknowledge it: their own row, not yet acknowledged. */
    public boolean acknowledgeable() {
        return !aspWide() && acknowledgedAt.isEmpty();
    }

    /** Whether {@code login} may acknowledge it: {@link #acknowledgeable()}, and not the one who recorded it. */
    public boolean acknowledgeableBy(String login) {
        return acknowledgeable() && !recordedBy(login);
    }

    /** Whether {@code login} recorded this row (four eyes: they do not acknowledge it themselves). */
    public boolean recordedBy(String login) {
        return recordedBy != null && recordedBy.equals(login);
    }
}
