package jp.kofu.koseki.registration;

import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import jp.kofu.db.DatabaseUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;

/**
 * Once an hour: an application nobody decided within {@link #KEEP} is rejected ({@code EXPIRED}) and its applied
 * fields deleted, so that personal data of an abandoned application does not stay for ever. The applicant may apply
 * again. Safe on every node at once (one UPDATE of rows still PENDING).
 */
@Singleton
final class PendingExpiry {
    /** How long a PENDING application waits for staff (the research speaks of about 5 営業日; this is generous). */
    static final Duration KEEP = Duration.ofDays(90);
    private static final Logger OPS = LoggerFactory.getLogger("kofu.ops.koseki");

    private final KosekiRegistrations registrations;
    private final Clock clock;

    PendingExpiry(KosekiRegistrations registrations, Clock clock) {
        this.registrations = registrations;
        this.clock = clock;
    }

    @Scheduled(fixedDelay = "1h", initialDelay = "5m")
    void run() {
        try {
            int expired = registrations.expire(clock.instant().minus(KEEP), clock.instant());
            if (expired > 0) {
                OPS.info("koseki registrations: {} pending applications older than {} days expired", expired,
                        KEEP.toDays());
            }
        } catch (DatabaseUnavailableException e) {
            OPS.warn("koseki registration expiry skipped: database unavailable");
        }
    }
}
