package jp.kofu.replica;

import java.time.Instant;
import java.util.Optional;

/**
 * A municipality's replica: the last applied {@code seq}, the live generation of its rows, and when this deployment
 * last accepted a batch, heartbeat or snapshot of its feed (empty: never), which issuance compares with the
 * municipality's {@code maxFeedSilence} (contract §6).
 */
public record ReplicaState(String municipalityCode, long appliedThrough, long generation, Optional<Instant> lastHeardAt) {

    /**
     * Whether the replica holds exactly what it held in {@code earlier}: no batch, heartbeat or snapshot of the
     * municipality has been applied since (each one advances {@code appliedThrough} or {@code generation}).
     */
    public boolean unchangedSince(ReplicaState earlier) {
        return municipalityCode.equals(earlier.municipalityCode) && appliedThrough == earlier.appliedThrough
                && generation == earlier.generation;
    }

    /**
     * Whether the feed has been silent longer than {@code maxSilence} at {@code now} (never heard counts as silent
     * since ever); never with no limit. Issuance refuses, and the alarm watcher raises FEED_SILENT, on this one rule.
     */
    public boolean silentAt(java.util.Optional<java.time.Duration> maxSilence, Instant now) {
        return maxSilence.isPresent() && lastHeardAt.orElse(Instant.EPOCH).plus(maxSilence.get()).isBefore(now);
    }
}
