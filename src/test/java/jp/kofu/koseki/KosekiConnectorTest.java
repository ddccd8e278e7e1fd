package jp.kofu.koseki;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jp.kofu.TestClock;
import jp.kofu.TestFiles;
import jp.kofu.koseki.FakeKosekiSystem.Behaviour;
import jp.kofu.koseki.FakeKosekiSystem.Mode;
import jp.kofu.koseki.KosekiAnswer.Kind;
import jp.kofu.koseki.KosekiResult.MismatchReason;
import jp.kofu.koseki.KosekiResult.UnavailableReason;
import jp.kofu.municipality.Municipality;
import jp.kofu.pki.Pkcs12;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The connector against a fake 戸籍システム: every rule of contract §9 and of docs/koseki.md. */
final class KosekiConnectorTest {
    private static Path dir;
    private static LinkPki pki;
    private static FakeKosekiSystem fake;

    private ListAppender<ILoggingEvent> alarms;
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    @BeforeAll
    static void startFake() throws Exception {
        dir = Files.createTempDirectory("kofu-koseki-connector");
        pki = new LinkPki(dir);
        fake = new FakeKosekiSystem(pki.server, pki.clientCa);
    }

    @AfterAll
    static void stopFake() {
        fake.close();
        TestFiles.deleteRecursively(dir);
    }

    @BeforeEach
    void listen() {
        fake.behaveAlways(Mode.WELL);
        fake.calls.set(0);
        fake.maxInFlight.set(0);
        alarms = new ListAppender<>();
        alarms.start();
        ((Logger) LoggerFactory.getLogger("kofu.ops.koseki")).addAppender(alarms);
    }

    @AfterEach
    void stopListening() {
        ((Logger) LoggerFactory.getLogger("kofu.ops.koseki")).detachAppender(alarms);
    }

    static String link(String url, String extra) {
        return "{ url: \"" + url + "\", clientKeystore: \"" + pki.clientKeystore + "\", clientKeystorePassword: \""
                + new String(LinkPki.PASSWORD) + "\", trust: \"" + pki.trust + "\"" + extra + " }";
    }

    private Municipality city(String extra) throws Exception {
        return LinkSettings.city(dir.resolve("settings-" + System.nanoTime()), link(fake.url(), extra));
    }

    private KosekiConnector connector(Municipality m) {
        return connector(m, KosekiLink.Breaker.DEFAULT, java.time.Clock.systemUTC());
    }

    private KosekiConnector connector(Municipality m, KosekiLink.Breaker breaker, java.time.Clock clock) {
        return new KosekiConnector(List.of(m), null, meters, clock, breaker);
    }

    @Test
    void answersTheDataOfTheCallAsked() throws Exception {
        Municipality m = city("");
        KosekiConnector connector = connector(m);
        var zenbu = assertInstanceOf(KosekiResult.Answered.class, connector.certificateData(m, Kind.ZENBU, "P-1", List.of()));
        KosekiAnswer answer = (KosekiAnswer) zenbu.value();
        assertEquals("P-1", answer.personKey());
        assertEquals(List.of("P-1", "P-1-spouse"), answer.persons().stream().map(KosekiAnswer.Person::personKey).toList());
        assertEquals("氏名 P-1", answer.persons().get(0).name());
        assertEquals(LocalDate.of(2015, 4, 1), answer.kosekiEvents().get(0).date());

        var kojin = (KosekiResult.Answered<KosekiAnswer>) connector.certificateData(m, Kind.KOJIN, "P-1", List.of("P-2", "P-3"));
        assertEquals(List.of("P-2", "P-3"), kojin.value().persons().stream().map(KosekiAnswer.Person::personKey).toList());

        var fuhyo = (KosekiResult.Answered<KosekiAnswer>) connector.certificateData(m, Kind.FUHYO, "P-1", List.of());
        assertEquals("埼玉県川口市青木二丁目1番1号", fuhyo.value().persons().get(0).addresses().get(0).address());
        assertTrue(alarms.list.isEmpty());
        assertTrue(fake.clientSubjects.contains("CN=kofu-test-client,O=Test,C=JP"), "the client presents its certificate");
    }

    @ParameterizedTest(name = "{0} on {1} → {3}")
    @CsvSource({
            "SWAP, ZENBU, '', REQUEST_ID",
            "WRONG_REQUEST_ID, ZENBU, '', REQUEST_ID",
            "WRONG_PERSON_KEY, ZENBU, '', PERSON_KEY",
            "WRONG_KIND, ZENBU, '', KIND",
            "WRONG_KIND, KOJIN, '', KIND",
            "WITHOUT_REQUESTER, ZENBU, '', REQUESTER_MISSING",
            "WITHOUT_REQUESTER, KOJIN, '', REQUESTER_MISSING",
            "WITHOUT_REQUESTER, FUHYO, '', REQUESTER_MISSING",
            "WITHOUT_REQUESTER, KOJIN, 'P-1 P-2', TARGETS",
            "EXTRA_PERSON, KOJIN, 'P-2', TARGETS",
            "EXTRA_PERSON, FUHYO, '', TARGETS",
            "MISSING_FIELD, ZENBU, '', MALFORMED",
            "NOT_JSON, KOJIN, '', MALFORMED",
    })
    void refusesAnAnswerThatIsNotTheAnswerToTheCallAndAlarms(Mode mode, Kind kind, String targets,
                                                             MismatchReason reason) throws Exception {
        Municipality m = city("");
        fake.behaveAlways(mode);
        List<String> asked = targets.isBlank() ? List.of() : List.of(targets.split(" "));
        KosekiResult<KosekiAnswer> result = connector(m).certificateData(m, kind, "P-1", asked);
        var mismatch = assertInstanceOf(KosekiResult.Mismatch.class, result);
        assertEquals(reason, mismatch.reason());
        assertEquals(1, alarms.list.size());
        String line = alarms.list.get(0).getFormattedMessage();
        assertTrue(line.startsWith("ALARM "), line);
        assertTrue(line.contains("municipality=112038") && line.contains("requestId=" + mismatch.requestId()), line);
        for (String personal : List.of("氏名", "P-ANOTHER", "P-SOMEONE", "P-1", "P-2", "川口", "筆頭")) {
            assertFalse(line.contains(personal), "no data of the answer in the alarm: " + line);
        }
    }

    @Test
    void alarmNamesTheOtherRequestIdOfASwappedAnswer() throws Exception {
        Municipality m = city("");
        KosekiConnector connector = connector(m);
        connector.certificateData(m, Kind.ZENBU, "P-7", List.of());
        fake.behaveAlways(Mode.SWAP);
        var mismatch = (KosekiResult.Mismatch<KosekiAnswer>) connector.certificateData(m, Kind.ZENBU, "P-8", List.of());
        String line = alarms.list.get(0).getFormattedMessage();
        assertTrue(line.matches(".*answeredRequestId=[0-9a-f-]{36}.*") && !line.contains("answeredRequestId="
                + mismatch.requestId()), line);
    }

    @Test
    void notFoundAndPendingNotificationAreNotIssuable() throws Exception {
        Municipality m = city("");
        KosekiConnector connector = connector(m);
        fake.behaveAlways(Mode.NOT_FOUND);
        assertEquals(new KosekiResult.NotIssuable<>(KosekiResult.NotIssuableReason.NOT_FOUND),
                connector.certificateData(m, Kind.ZENBU, "P-1", List.of()));
        fake.behaveAlways(Mode.PENDING);
        assertEquals(new KosekiResult.NotIssuable<>(KosekiResult.NotIssuableReason.PENDING_NOTIFICATION),
                connector.certificateData(m, Kind.KOJIN, "P-1", List.of()));
        assertTrue(alarms.list.isEmpty());
    }

    @Test
    void serverErrorsAndUnexplainedStatusesAreUnavailable() throws Exception {
        Municipality m = city("");
        KosekiConnector connector = connector(m);
        fake.behaveAlways(Mode.SERVER_ERROR);
        assertEquals(new KosekiResult.Unavailable<>(UnavailableReason.SERVER_ERROR),
                connector.certificateData(m, Kind.ZENBU, "P-1", List.of()));
        // a 404 from a proxy or a wrong url is not the contract's NOT_FOUND: it must not tell a resident "not issuable"
        fake.behaveAlways(Mode.NOT_FOUND_WITHOUT_CODE);
        assertEquals(new KosekiResult.Unavailable<>(UnavailableReason.UNEXPECTED_ANSWER),
                connector.certificateData(m, Kind.ZENBU, "P-1", List.of()));
    }

    @Test
    void aSilentSystemIsUnavailableWithinTheTimeout() throws Exception {
        Municipality m = city(", timeoutMs: 400");
        fake.behaveAlways(Mode.SILENT);
        long start = System.nanoTime();
        KosekiResult<KosekiAnswer> result = connector(m).certificateData(m, Kind.ZENBU, "P-1", List.of());
        long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
        assertEquals(new KosekiResult.Unavailable<>(UnavailableReason.TIMEOUT), result);
        assertTrue(millis >= 380 && millis < 900, "took " + millis + " ms");
    }

    @Test
    void aBodyThatTricklesPastTheTimeoutIsUnavailableWithinIt() throws Exception {
        Municipality m = city(", timeoutMs: 600");
        fake.behaveAlways(Mode.SLOW_BODY);
        long start = System.nanoTime();
        KosekiResult<KosekiAnswer> result = connector(m).certificateData(m, Kind.ZENBU, "P-1", List.of());
        long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
        assertEquals(new KosekiResult.Unavailable<>(UnavailableReason.TIMEOUT), result);
        assertTrue(millis < 1200, "took " + millis + " ms");
    }

    @Test
    void anOversizedAnswerIsAbandoned() throws Exception {
        Municipality m = city("");
        fake.behaveAlways(Mode.HUGE);
        assertEquals(new KosekiResult.Unavailable<>(UnavailableReason.UNEXPECTED_ANSWER),
                connector(m).certificateData(m, Kind.ZENBU, "P-1", List.of()));
    }

    @Test
    void aSlowAnswerWithinTheTimeoutIsTaken() throws Exception {
        Municipality m = city(", timeoutMs: 2000");
        fake.behave = r -> new Behaviour(Mode.WELL, 300);
        assertInstanceOf(KosekiResult.Answered.class, connector(m).certificateData(m, Kind.ZENBU, "P-1", List.of()));
    }

    @Test
    void breakerOpensAfterFailuresAnswersAtOnceWithoutCallingThenProbes() throws Exception {
        Municipality m = city("");
        TestClock clock = new TestClock(Instant.now());
        KosekiConnector connector = connector(m, new KosekiLink.Breaker(4, 4, 50f, Duration.ofSeconds(30), 1), clock);
        fake.behaveAlways(Mode.SERVER_ERROR);
        for (int i = 0; i < 4; i++) {
            connector.certificateData(m, Kind.ZENBU, "P-1", List.of());
        }
        assertEquals(4, fake.calls.get());
        long start = System.nanoTime();
        for (int i = 0; i < 20; i++) {
            assertEquals(new KosekiResult.Unavailable<>(UnavailableReason.BREAKER_OPEN),
                    connector.certificateData(m, Kind.ZENBU, "P-1", List.of()));
        }
        assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() < 200, "at once");
        assertEquals(4, fake.calls.get(), "the 戸籍システム was not called while the breaker is open");
        assertEquals(1.0, meters.get("kofu.koseki.breaker.open").gauge().value());

        fake.behaveAlways(Mode.WELL);
        clock.advance(Duration.ofSeconds(31));
        assertInstanceOf(KosekiResult.Answered.class, connector.certificateData(m, Kind.ZENBU, "P-1", List.of()));
        assertEquals(5, fake.calls.get(), "one probe");
        assertInstanceOf(KosekiResult.Answered.class, connector.certificateData(m, Kind.ZENBU, "P-1", List.of()));
        assertEquals(0.0, meters.get("kofu.koseki.breaker.open").gauge().value(), "closed again");
    }

    @Test
    void repeatedMismatchesOpenTheBreakerToo() throws Exception {
        Municipality m = city("");
        KosekiConnector connector = connector(m, new KosekiLink.Breaker(4, 4, 50f, Duration.ofSeconds(30), 1),
                java.time.Clock.systemUTC());
        fake.behaveAlways(Mode.WRONG_PERSON_KEY);
        for (int i = 0; i < 4; i++) {
            assertInstanceOf(KosekiResult.Mismatch.class, connector.certificateData(m, Kind.ZENBU, "P-1", List.of()));
        }
        assertEquals(new KosekiResult.Unavailable<>(UnavailableReason.BREAKER_OPEN),
                connector.certificateData(m, Kind.ZENBU, "P-1", List.of()));
    }

    @Test
    void atMostMaxConcurrentCallsAreInFlightAndFurtherOnesFailFast() throws Exception {
        Municipality m = city(", maxConcurrentCalls: 2, timeoutMs: 3000");
        KosekiConnector connector = connector(m);
        connector.certificateData(m, Kind.ZENBU, "P-warm", List.of());
        fake.maxInFlight.set(0);
        fake.behave = r -> new Behaviour(Mode.WELL, 800);
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<long[]>> results = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                String person = "P-" + i;
                results.add(pool.submit(() -> {
                    long start = System.nanoTime();
                    KosekiResult<KosekiAnswer> r = connector.certificateData(m, Kind.ZENBU, person, List.of());
                    long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
                    return new long[] {r instanceof KosekiResult.Answered<KosekiAnswer> ? 1
                            : r.equals(new KosekiResult.Unavailable<>(UnavailableReason.BUSY)) ? 2 : 0, millis};
                }));
            }
            int answered = 0;
            int busy = 0;
            for (Future<long[]> f : results) {
                long[] r = f.get();
                if (r[0] == 1) {
                    answered++;
                } else if (r[0] == 2) {
                    busy++;
                    assertTrue(r[1] < 700, "a call beyond the bound fails fast, not after the others: " + r[1] + " ms");
                }
            }
            assertEquals(2, answered);
            assertEquals(4, busy);
            assertTrue(fake.maxInFlight.get() <= 2, "in flight at the fake: " + fake.maxInFlight.get());
        } finally {
            pool.shutdownNow();
        }
        assertEquals(4.0, meters.get("kofu.koseki.calls").tag("municipality", "112038").tag("outcome", "unavailable")
                .tag("reason", "busy").timer().count());
    }

    @Test
    void refusesAServerCertificateNotFromTrust() throws Exception {
        try (FakeKosekiSystem rogue = new FakeKosekiSystem(pki.rogueServer, pki.clientCa)) {
            Municipality m = LinkSettings.city(dir.resolve("rogue"), link(rogue.url(), ""));
            assertEquals(new KosekiResult.Unavailable<>(UnavailableReason.CONNECTION),
                    connector(m).certificateData(m, Kind.ZENBU, "P-1", List.of()));
            assertEquals(0, rogue.calls.get(), "nothing was sent to it");
        }
    }

    @Test
    void refusesAServerCertificateForAnotherName() throws Exception {
        var other = pki.serverCa.issueTlsServer("other.example", List.of("other.example"), List.of(),
                jp.kofu.pki.Validity.starting(Instant.now().minus(Duration.ofHours(1)), Duration.ofDays(1)));
        try (FakeKosekiSystem misnamed = new FakeKosekiSystem(other, pki.clientCa)) {
            Municipality m = LinkSettings.city(dir.resolve("misnamed"), link(misnamed.url(), ""));
            assertEquals(new KosekiResult.Unavailable<>(UnavailableReason.CONNECTION),
                    connector(m).certificateData(m, Kind.ZENBU, "P-1", List.of()));
            assertEquals(0, misnamed.calls.get());
        }
    }

    @Test
    void theSystemRefusesAClientWithoutItsCertificate() throws Exception {
        Path stranger = dir.resolve("stranger.p12");
        Pkcs12.write(stranger, pki.strangerClient, LinkPki.PASSWORD);
        Municipality m = LinkSettings.city(dir.resolve("stranger"), "{ url: \"" + fake.url() + "\", clientKeystore: \""
                + stranger + "\", clientKeystorePassword: \"" + new String(LinkPki.PASSWORD) + "\", trust: \""
                + pki.trust + "\" }");
        assertEquals(new KosekiResult.Unavailable<>(UnavailableReason.CONNECTION),
                connector(m).certificateData(m, Kind.ZENBU, "P-1", List.of()));
        assertEquals(0, fake.calls.get());
    }

    @Test
    void personLookupAnswersTheKeyOrNothing() throws Exception {
        Municipality m = city("");
        KosekiConnector connector = connector(m);
        var found = (KosekiResult.Answered<Optional<String>>) connector.personLookup(m, "埼玉県川口市青木二丁目1番地",
                "川口　太郎", "川口　太郎", LocalDate.of(1980, 4, 1));
        assertTrue(found.value().orElseThrow().startsWith("P-"));
        fake.behaveAlways(Mode.NOT_FOUND);
        assertEquals(new KosekiResult.Answered<>(Optional.empty()), connector.personLookup(m, "埼玉県川口市青木二丁目1番地",
                "川口　太郎", "誰　某", LocalDate.of(1980, 4, 1)));
        fake.behaveAlways(Mode.WRONG_REQUEST_ID);
        var mismatch = assertInstanceOf(KosekiResult.Mismatch.class, connector.personLookup(m, "埼玉県川口市青木二丁目1番地",
                "川口　太郎", "川口　太郎", LocalDate.of(1980, 4, 1)));
        assertEquals(MismatchReason.REQUEST_ID, mismatch.reason());
        String line = alarms.list.get(0).getFormattedMessage();
        assertTrue(line.contains("call=person-lookup") && !line.contains("P-SOMEONE") && !line.contains("川口"), line);
    }

    @Test
    void everyOutcomeIsCountedPerMunicipality() throws Exception {
        Municipality m = city("");
        KosekiConnector connector = connector(m);
        connector.certificateData(m, Kind.ZENBU, "P-1", List.of());
        fake.behaveAlways(Mode.PENDING);
        connector.certificateData(m, Kind.ZENBU, "P-1", List.of());
        assertEquals(1, meters.get("kofu.koseki.calls").tag("municipality", "112038").tag("outcome", "answered")
                .timer().count());
        assertEquals(1, meters.get("kofu.koseki.calls").tag("outcome", "not_issuable")
                .tag("reason", "pending_notification").timer().count());
    }

    @Test
    void aMunicipalityWithoutLinkIsUnavailable() throws Exception {
        Municipality linked = city("");
        Municipality unlinked = LinkSettings.city(dir.resolve("unlinked"), null);
        assertTrue(connector(linked).isLinked(linked));
        KosekiConnector connector = connector(unlinked);
        assertFalse(connector.isLinked(unlinked));
        assertEquals(new KosekiResult.Unavailable<>(UnavailableReason.NO_LINK),
                connector.certificateData(unlinked, Kind.ZENBU, "P-1", List.of()));
    }
}
