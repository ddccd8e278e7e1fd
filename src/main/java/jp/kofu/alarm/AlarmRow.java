package jp.kofu.alarm;

import java.time.Instant;
import java.util.Optional;

/**
 * One row of table {@code alarm} as the console shows it.
 *
 * @param municipalityCode null for an ASP-wide row (shown to every municipality's staff, acknowledged by none)
 * @param occurrences      how many times an event happened in this row (1 for a condition)
 */
public record AlarmRow(long id, String municipalityCode, AlarmKind kind, String subject, String detail,
                       Instant startedAt, Instant lastSeenAt, Optional<Instant> endedAt, int occurrences,
                       Optional<Instant> acknowledgedAt, String acknowledgedBy) {

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
}
