package jp.kofu.alarm;

import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import jp.kofu.card.CardRequestVerifier;
import jp.kofu.config.SettingException;
import jp.kofu.db.DatabaseUnavailableException;
import jp.kofu.contract.Tokyo;
import jp.kofu.koseki.KosekiConnector;
import jp.kofu.municipality.HolidayCalendar;
import jp.kofu.municipality.HolidayCalendarWatch;
import jp.kofu.municipality.Municipality;
import jp.kofu.municipality.MunicipalityRegistry;
import jp.kofu.replica.ReplicaState;
import jp.kofu.replica.ReplicaStore;
import jp.kofu.signing.MunicipalSigners;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Evaluates the conditions that hold and clear, on every node, every {@code kofu.alarms.check-interval} (30 s):
 * each municipality's feed silence (its {@code maxFeedSilenceMinutes}, contract §6), its signing certificate's
 * expiry (30 days ahead), its 戸籍 circuit breaker on this node; this node's CRLs of the JPKI CAs and its way to the
 * time-stamp authority. A condition that holds is raised (a row opened, or marked seen), an open row whose condition
 * is gone is ended. Each probe is one small method over the existing stores, to fold into the readiness checks.
 */
@Singleton
public final class AlarmWatcher {
    private static final Logger LOG = LoggerFactory.getLogger(AlarmWatcher.class);
    /** How far ahead a signing certificate's end raises SIGNING_KEY_EXPIRING. */
    static final Duration EXPIRY_WARNING = Duration.ofDays(30);
    /** A node's own condition not seen for this long is of a node that is gone: any node ends it. */
    static final Duration STALE = Duration.ofMinutes(15);
    static final String FEED = "住基の連携（/sync）";
    static final String INTERVAL = "kofu.alarms.check-interval";
    static final String KOSEKI = "戸籍システムへの照会";
    /** The kinds this watcher ends when it finds them gone. */
    private static final Set<AlarmKind> ENDS = EnumSet.of(AlarmKind.FEED_SILENT, AlarmKind.SIGNING_KEY_EXPIRING,
            AlarmKind.KOSEKI_DOWN, AlarmKind.CRL_NOT_CURRENT, AlarmKind.HOLIDAY_CALENDAR);
    /** The kinds whose subject names a node ({@link Alarms#onThisNode}). */
    private static final Set<AlarmKind> PER_NODE = EnumSet.of(AlarmKind.KOSEKI_DOWN, AlarmKind.CRL_NOT_CURRENT,
            AlarmKind.TSA_DOWN);

    private final Alarms alarms;
    private final MunicipalityRegistry municipalities;
    private final ReplicaStore replica;
    private final CardRequestVerifier cards;
    private final MunicipalSigners signers;
    private final KosekiConnector koseki;
    private final TimestampAlarms tsa;
    private final Clock clock;

    AlarmWatcher(Alarms alarms, MunicipalityRegistry municipalities, ReplicaStore replica, CardRequestVerifier cards,
                 MunicipalSigners signers, KosekiConnector koseki, TimestampAlarms tsa, Clock clock,
                 @io.micronaut.context.annotation.Value("${" + INTERVAL + ":30s}") String interval) {
        checkInterval(interval);
        this.alarms = alarms;
        this.municipalities = municipalities;
        this.replica = replica;
        this.cards = cards;
        this.signers = signers;
        this.koseki = koseki;
        this.tsa = tsa;
        this.clock = clock;
    }

    /**
     * The round's interval as Micronaut's scheduler reads it ({@code 500ms}, {@code 30s}, {@code 1m}, {@code 1h}),
     * checked at start-up so that a wrong value stops the start naming the key instead of silently checking nothing.
     */
    static Duration checkInterval(String text) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("([0-9]{1,6})(ms|s|m|h)").matcher(text.strip());
        if (!m.matches()) {
            throw new SettingException(INTERVAL, "expected a duration such as 30s, 1m or 500ms, not \"" + text + "\"");
        }
        long n = Long.parseLong(m.group(1));
        Duration d = switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
        if (d.compareTo(Duration.ofMillis(100)) < 0 || d.compareTo(Duration.ofHours(24)) > 0) {
            throw new SettingException(INTERVAL, "expected between 100ms and 24h, not " + text);
        }
        return d;
    }

    /** A condition that holds now. */
    record Condition(AlarmKind kind, String municipalityCode, String subject, String detail) {
        Condition {
            subject = Alarms.cut(subject, 128); // as the row keeps it
        }

        Alarms.Open key() {
            return new Alarms.Open(kind, municipalityCode, subject);
        }
    }

    @Scheduled(fixedDelay = "${kofu.alarms.check-interval:30s}", initialDelay = "${kofu.alarms.check-interval:30s}")
    void scheduled() {
        try {
            check();
        } catch (DatabaseUnavailableException e) {
            LOG.warn("alarm conditions not checked: database unavailable");
        } catch (RuntimeException e) {
            LOG.error("alarm conditions not checked", e);
        }
    }

    /** One round: raise what holds, end what no longer does. */
    public void check() {
        Instant now = clock.instant();
        List<Condition> holding = holding(now);
        Set<Alarms.Open> held = new HashSet<>();
        for (Condition c : holding) {
            alarms.raise(c.kind(), c.municipalityCode(), c.subject(), c.detail());
            held.add(c.key());
        }
        for (Alarms.Open open : alarms.open()) {
            if (ENDS.contains(open.kind()) && judgedHere(open) && !held.contains(open)) {
                alarms.clear(open.kind(), open.municipalityCode(), open.subject());
            }
        }
        alarms.endStale(PER_NODE, now.minus(STALE));
    }

    /** Whether this node may end the row: a municipality it serves (or none), and its own row of a node's condition. */
    private boolean judgedHere(Alarms.Open open) {
        boolean served = open.municipalityCode() == null || municipalities.find(open.municipalityCode()).isPresent();
        return served && (!PER_NODE.contains(open.kind()) || alarms.isOnThisNode(open.subject()));
    }

    List<Condition> holding(Instant now) {
        List<Condition> holding = new ArrayList<>();
        java.util.Map<String, ReplicaState> states = new java.util.HashMap<>();
        for (ReplicaState state : replica.states()) { // one query for every municipality
            states.put(state.municipalityCode(), state);
        }
        for (Municipality m : municipalities.all()) {
            Optional.ofNullable(states.get(m.code())).flatMap(state -> feedSilence(m, state, now))
                    .ifPresent(holding::add);
            signingExpiry(m, now).ifPresent(holding::add);
            kosekiDown(m).ifPresent(holding::add);
        }
        holding.addAll(crlsNotCurrent());
        timestampDown().ifPresent(holding::add);
        holidayCalendar(now).ifPresent(holding::add);
        return holding;
    }

    /** FEED_SILENT: the municipality's feed silent longer than its limit, by the rule issuance refuses on. */
    Optional<Condition> feedSilence(Municipality m, ReplicaState state, Instant now) {
        if (!state.silentAt(m.maxFeedSilence(), now)) {
            return Optional.empty();
        }
        return Optional.of(new Condition(AlarmKind.FEED_SILENT, m.code(), FEED, "no batch, heartbeat or snapshot"
                + " since " + state.lastHeardAt().map(Instant::toString).orElse("ever") + " (maxFeedSilenceMinutes="
                + m.maxFeedSilence().get().toMinutes() + "): nothing is issued"));
    }

    /** SIGNING_KEY_EXPIRING: the municipality's signing certificate ends within 30 days (or has ended). */
    Optional<Condition> signingExpiry(Municipality m, Instant now) {
        Optional<X509Certificate> certificate = signers.certificate(m.code());
        if (certificate.isEmpty()) {
            return Optional.empty();
        }
        Instant end = certificate.get().getNotAfter().toInstant();
        if (end.isAfter(now.plus(EXPIRY_WARNING))) {
            return Optional.empty();
        }
        long days = Duration.between(now, end).toDays();
        return Optional.of(new Condition(AlarmKind.SIGNING_KEY_EXPIRING, m.code(),
                "署名用証明書 シリアル " + certificate.get().getSerialNumber().toString(16),
                "notAfter=" + end + (end.isAfter(now) ? " (" + days + " days left)" : " (expired: nothing can be"
                        + " signed)") + "; renew the signing key and certificate"));
    }

    /** KOSEKI_DOWN: this node's circuit breaker of the municipality's 戸籍 link is open. */
    Optional<Condition> kosekiDown(Municipality m) {
        if (!koseki.breakerOpen(m)) {
            return Optional.empty();
        }
        return Optional.of(new Condition(AlarmKind.KOSEKI_DOWN, m.code(), alarms.onThisNode(KOSEKI),
                "calls to the 戸籍システム failed repeatedly (circuit breaker open): 戸籍 certificates answer"
                        + " SERVICE_UNAVAILABLE"));
    }

    /** CRL_NOT_CURRENT: a configured JPKI CA without a current CRL in this node's CRL folder. */
    List<Condition> crlsNotCurrent() {
        return cards.casWithoutCurrentCrl().stream().map(ca -> new Condition(AlarmKind.CRL_NOT_CURRENT, null,
                alarms.onThisNode("CRL " + ca), "no current CRL of this CA in kofu.jpki.crl-dir: cards below it are"
                        + " refused REVOCATION_UNKNOWN")).toList();
    }

    /** HOLIDAY_CALENDAR: a weekdays-only type is closed because holidays/japan.csv ends before this year. */
    Optional<Condition> holidayCalendar(Instant now) {
        HolidayCalendar calendar = HolidayCalendar.japan();
        if (!HolidayCalendarWatch.ended(municipalities.all(), calendar, now.atZone(Tokyo.ZONE).toLocalDate())) {
            return Optional.empty();
        }
        return Optional.of(new Condition(AlarmKind.HOLIDAY_CALENDAR, null, "祝日の暦（holidays/japan.csv）",
                "the calendar covers " + calendar.firstYear() + "-" + calendar.lastYear() + ": \"weekdays\" service is"
                        + " closed; extend it (HolidayRules) and deploy"));
    }

    /** TSA_DOWN: the last time-stamp request of this node failed (the row is kept seen; an answer ends it). */
    Optional<Condition> timestampDown() {
        return tsa.down() ? Optional.of(new Condition(AlarmKind.TSA_DOWN, null,
                alarms.onThisNode(TimestampAlarms.SUBJECT), null)) : Optional.empty();
    }
}
