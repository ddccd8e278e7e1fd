package jp.kofu.ops;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import jp.kofu.replica.ReplicaState;
import jp.kofu.replica.ReplicaStore;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The replica state of every served municipality, read in one query every {@value #REFRESH_SECONDS} s and kept:
 * the gauges and /health/ready read this copy, so that a scrape never queries the database (nor waits for one that
 * is down). While the database cannot be read, the last copy stays. A thread of its own (not {@code @Scheduled},
 * which would make the bean, and the database, in every context, the command-line ones too).
 */
@Singleton
final class ReplicaStates {
    static final int REFRESH_SECONDS = 5;
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ReplicaStates.class);

    private final ReplicaStore replica;
    private volatile Map<String, ReplicaState> byCode = Map.of();
    private volatile boolean failing;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "kofu-replica-states");
        t.setDaemon(true);
        return t;
    });

    ReplicaStates(ReplicaStore replica) {
        this.replica = replica;
        refresh();
        timer.scheduleWithFixedDelay(this::refresh, REFRESH_SECONDS, REFRESH_SECONDS, TimeUnit.SECONDS);
    }

    @PreDestroy
    void stop() {
        timer.shutdownNow();
    }

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
        } catch (RuntimeException e) { // the database unavailable, or the pool closing: never end the timer
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
