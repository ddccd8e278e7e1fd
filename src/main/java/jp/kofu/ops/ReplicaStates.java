package jp.kofu.ops;

import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import jp.kofu.db.DatabaseUnavailableException;
import jp.kofu.replica.ReplicaState;
import jp.kofu.replica.ReplicaStore;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The replica state of every served municipality, read in one query every {@value #REFRESH} and kept: the gauges
 * and /health/ready read this copy, so that a scrape never queries the database (nor waits for one that is down).
 * While the database cannot be read, the last copy stays.
 */
@Singleton
final class ReplicaStates {
    static final String REFRESH = "5s";
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ReplicaStates.class);

    private final ReplicaStore replica;
    private volatile Map<String, ReplicaState> byCode = Map.of();
    private volatile boolean failing;

    ReplicaStates(ReplicaStore replica) {
        this.replica = replica;
        refresh();
    }

    @Scheduled(fixedDelay = REFRESH, initialDelay = REFRESH)
    void refresh() {
        try {
            Map<String, ReplicaState> read = new LinkedHashMap<>();
            for (ReplicaState s : replica.states()) {
                read.put(s.municipalityCode(), s);
            }
            byCode = Map.copyOf(read);
            if (failing) {
                LOG.info("replica states readable again");
            }
            failing = false;
        } catch (DatabaseUnavailableException e) {
            if (!failing) {
                LOG.warn("replica states not readable (database unavailable); the gauges keep the last values");
            }
            failing = true;
        }
    }

    /** The municipality's state as last read; empty when it was never read. */
    Optional<ReplicaState> of(String municipalityCode) {
        return Optional.ofNullable(byCode.get(municipalityCode));
    }
}
