package jp.kofu.ops;

import jakarta.inject.Singleton;
import jp.kofu.card.CardRequestVerifier;
import jp.kofu.card.CrlStatus;
import jp.kofu.db.Database;
import jp.kofu.koseki.KosekiConnector;
import jp.kofu.municipality.Municipality;
import jp.kofu.municipality.MunicipalityRegistry;
import jp.kofu.replica.ReplicaState;
import jp.kofu.signing.MunicipalSigners;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * The checks of {@code GET /health/ready} (contract §10, docs/operations.md), each a public method that the alarms
 * may reuse.
 *
 * <p>The node is ready when the database answers, every served municipality's signing key signs, the JPKI CRLs are
 * current and the time-stamp authority (when {@code kofu.tsa.url} is set) answers. The feed freshness of each
 * municipality (§6) and the state of each 戸籍 link's breaker are reported beside them but never make the node
 * unready: every node of a deployment shares them, so a silent feed would take every node out of the load balancer
 * and stop every municipality of the ASP, where the contract stops only the silent one (its issuance answers 503).
 * They are watched through the metrics and the alarms instead (docs/contract-notes.md).
 */
@Singleton
public final class Readiness {
    static final String UP = "UP";
    static final String DOWN = "DOWN";
    /** How long the database may take to prove a connection valid. */
    private static final int DATABASE_SECONDS = 2;
    private static final Duration TSA_TIMEOUT = Duration.ofSeconds(3);

    /** A municipality's feed as §6 judges it. */
    public enum Feed {
        /** heard within {@code maxFeedSilenceMinutes}, or the municipality has no such limit */
        FRESH,
        /** silent longer than its limit, or never heard: its issuance answers 503 */
        SILENT,
        /** its replica state could not be read yet (database unavailable since the start) */
        UNKNOWN
    }

    private final Database db;
    private final MunicipalityRegistry municipalities;
    private final MunicipalSigners signers;
    private final CardRequestVerifier cards;
    private final KosekiConnector koseki;
    private final ReplicaStates replicas;
    private final Clock clock;
    /** Per municipality code, made at its first check (a municipality added by a reload gets one too). */
    private final Map<String, Probe> signing = new java.util.concurrent.ConcurrentHashMap<>();
    private final Duration probeInterval;
    private final Probe tsa;

    Readiness(Database db, MunicipalityRegistry municipalities, MunicipalSigners signers, CardRequestVerifier cards,
              KosekiConnector koseki, ReplicaStates replicas, ManagementSettings settings, Clock clock) {
        this.db = db;
        this.municipalities = municipalities;
        this.signers = signers;
        this.cards = cards;
        this.koseki = koseki;
        this.replicas = replicas;
        this.clock = clock;
        this.probeInterval = settings.probeInterval();
        this.tsa = signers.tsa().map(t -> new Probe(() -> t.answers(TSA_TIMEOUT), settings.probeInterval(), clock))
                .orElse(null);
    }

    /** Whether the database gives a valid connection now (within the pool's 3 s and {@value #DATABASE_SECONDS} s). */
    public boolean databaseAnswers() {
        return db.answers(DATABASE_SECONDS);
    }

    /** Whether the municipality's signing key signed a small fixed blob, at most {@code probe-seconds} ago. */
    public boolean signs(Municipality municipality) {
        return signing.computeIfAbsent(municipality.code(), code -> new Probe(() -> {
            try {
                return signers.forMunicipality(municipality).signsProbe();
            } catch (RuntimeException e) {
                return false; // no signer of the code (yet)
            }
        }, probeInterval, clock)).passes();
    }

    /** Whether every configured JPKI CA has a current CRL in {@code kofu.jpki.crl-dir} (else every card is refused). */
    public boolean crlsCurrent() {
        List<CrlStatus> statuses = cards.crlStatuses();
        return !statuses.isEmpty() && statuses.stream().allMatch(CrlStatus::current);
    }

    /** Whether the time-stamp authority answered a real time-stamp request; empty when none is configured. */
    public Optional<Boolean> tsaAnswers() {
        return Optional.ofNullable(tsa).map(Probe::passes);
    }

    /** The municipality's feed (§6) as of the last read of the replica states (at most a few seconds old). */
    public Feed feed(Municipality municipality) {
        Optional<ReplicaState> state = replicas.of(municipality.code());
        if (state.isEmpty()) {
            return Feed.UNKNOWN;
        }
        return state.get().silentAt(municipality.maxFeedSilence(), clock.instant()) ? Feed.SILENT : Feed.FRESH;
    }

    /** {@link #feed} is {@link Feed#FRESH}. */
    public boolean feedFresh(Municipality municipality) {
        return feed(municipality) == Feed.FRESH;
    }

    /** The breaker state of the municipality's 戸籍 link ({@code CLOSED}, {@code OPEN} …); empty without a link. */
    public Optional<String> kosekiBreaker(Municipality municipality) {
        return koseki.breakerState(municipality);
    }

    /** Every check now, and the body of /health/ready. */
    Report report() {
        Map<String, String> checks = new LinkedHashMap<>();
        checks.put("database", state(databaseAnswers()));
        for (Municipality m : municipalities.all()) {
            checks.put("signing:" + m.code(), state(signs(m)));
        }
        checks.put("crl", state(crlsCurrent()));
        tsaAnswers().ifPresent(up -> checks.put("tsa", state(up)));
        List<String> failed = new ArrayList<>();
        checks.forEach((name, state) -> {
            if (!state.equals(UP)) {
                failed.add(name);
            }
        });
        Map<String, String> feeds = new LinkedHashMap<>();
        Map<String, String> links = new LinkedHashMap<>();
        for (Municipality m : municipalities.all()) {
            feeds.put(m.code(), feed(m).name());
            kosekiBreaker(m).ifPresent(state -> links.put(m.code(), state));
        }
        return new Report(failed.isEmpty(), checks, failed, feeds, links);
    }

    private static String state(boolean up) {
        return up ? UP : DOWN;
    }

    /**
     * What /health/ready found: {@code checks} decide ({@code UP}/{@code DOWN}), {@code failed} names the ones down;
     * {@code feeds} ({@link Feed} per municipality code) and {@code koseki} (breaker state per municipality code)
     * are reported only. Names and codes of checks and municipalities, never anything of a resident.
     */
    record Report(boolean ready, Map<String, String> checks, List<String> failed, Map<String, String> feeds,
                  Map<String, String> koseki) {
        Map<String, Object> body() {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("status", ready ? UP : DOWN);
            body.put("checks", checks);
            body.put("failed", failed);
            body.put("feeds", feeds);
            body.put("koseki", koseki);
            return body;
        }
    }

    /** A check that costs (a signature on an HSM, a request to the TSA): its result is reused for a while. */
    static final class Probe {
        private final BooleanSupplier check;
        private final Duration reuse;
        private final Clock clock;
        private Instant checkedAt;
        private boolean passed;

        Probe(BooleanSupplier check, Duration reuse, Clock clock) {
            this.check = check;
            this.reuse = reuse;
            this.clock = clock;
        }

        synchronized boolean passes() {
            Instant now = clock.instant();
            if (checkedAt == null || !now.isBefore(checkedAt.plus(reuse)) || now.isBefore(checkedAt)) {
                passed = check.getAsBoolean();
                checkedAt = clock.instant();
            }
            return passed;
        }
    }
}
