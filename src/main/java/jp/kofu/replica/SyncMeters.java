package jp.kofu.replica;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;

import java.util.Map;

/**
 * {@code kofu_sync_events_total{municipality,type}} (docs/operations.md): the events of accepted change batches by
 * their contract type ({@code RESIDENT_UPSERT} …, {@code HEARTBEAT}), and one {@code BATCH} per accepted batch and
 * one {@code SNAPSHOT} per snapshot made live. Counted after the commit, so that a refused batch or a transaction
 * run again counts nothing twice. The labels are a served municipality's code and a fixed type name: never a
 * resident's id or anything of a line's content.
 */
@Singleton
final class SyncMeters {
    static final String EVENTS = "kofu.sync.events";

    private final MeterRegistry meters;

    SyncMeters(MeterRegistry meters) {
        this.meters = meters;
    }

    void batchApplied(ReplicaStore.BatchResult result) {
        for (Map.Entry<String, Map<String, Integer>> m : result.appliedByType().entrySet()) {
            counter(m.getKey(), "BATCH").increment();
            m.getValue().forEach((type, count) -> counter(m.getKey(), type).increment(count));
        }
    }

    void snapshotLive(String municipalityCode) {
        counter(municipalityCode, "SNAPSHOT").increment();
    }

    private Counter counter(String municipalityCode, String type) {
        return Counter.builder(EVENTS)
                .description("Sync feed events applied, by type; BATCH and SNAPSHOT count accepted batches and snapshots")
                .tag("municipality", municipalityCode)
                .tag("type", type)
                .register(meters);
    }
}
