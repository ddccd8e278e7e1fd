package jp.kofu.issuance;

import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import jp.kofu.db.Database;
import jp.kofu.db.DatabaseUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;

/**
 * Once a minute: voids issuances never completed, forgets answers kept for retries and nonces older than the
 * acceptance window. Safe to run on every node at once.
 */
@Singleton
final class Housekeeping {
    private static final Logger OPS = LoggerFactory.getLogger("kofu.ops.housekeeping");
    private static final Duration NONCE_KEEP = Duration.ofMinutes(15);

    private final Completions completions;
    private final CenterTransactions transactions;
    private final Database db;
    private final Clock clock;

    Housekeeping(Completions completions, CenterTransactions transactions, Database db, Clock clock) {
        this.completions = completions;
        this.transactions = transactions;
        this.db = db;
        this.clock = clock;
    }

    @Scheduled(fixedDelay = "60s", initialDelay = "30s")
    void run() {
        try {
            int voided = completions.voidStale();
            int forgotten = transactions.purge(clock.instant());
            int nonces = db.withConnection(c -> {
                try (PreparedStatement s = c.prepareStatement("DELETE FROM card_nonce WHERE seen_at < ?")) {
                    s.setTimestamp(1, Timestamp.from(clock.instant().minus(NONCE_KEEP)));
                    return s.executeUpdate();
                }
            });
            if (voided + forgotten + nonces > 0) {
                OPS.info("housekeeping: {} issuances voided, {} kept answers and {} nonces forgotten",
                        voided, forgotten, nonces);
            }
        } catch (DatabaseUnavailableException e) {
            OPS.warn("housekeeping skipped: database unavailable");
        }
    }
}
