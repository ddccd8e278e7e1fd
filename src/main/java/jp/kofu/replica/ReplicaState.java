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
}
