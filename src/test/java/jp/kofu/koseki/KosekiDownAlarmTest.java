package jp.kofu.koseki;

import jp.kofu.alarm.AlarmWatcher;
import jp.kofu.koseki.FakeKosekiSystem.Behaviour;
import jp.kofu.koseki.FakeKosekiSystem.Mode;
import jp.kofu.municipality.Municipality;
import jp.kofu.municipality.MunicipalityRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A 戸籍システム that keeps failing opens the node's circuit breaker, and the watcher raises KOSEKI_DOWN for the
 * municipality (this node's row); once the breaker has closed again after its probes, the watcher ends it.
 */
final class KosekiDownAlarmTest {
    private static KosekiCity city;

    @BeforeAll
    static void start() throws Exception {
        city = new KosekiCity(1500, 8);
    }

    @AfterAll
    static void stop() {
        city.close();
    }

    private static long open() {
        return city.node.count("SELECT COUNT(*) FROM alarm WHERE kind = 'KOSEKI_DOWN' AND ended_at IS NULL"
                + " AND municipality_code = '" + KosekiCity.CODE + "'");
    }

    @Test
    void raisesKosekiDownWhileTheBreakerIsOpenAndEndsItWhenItCloses() throws Exception {
        KosekiConnector connector = city.node.context().getBean(KosekiConnector.class);
        AlarmWatcher watcher = city.node.context().getBean(AlarmWatcher.class);
        Municipality m = city.node.context().getBean(MunicipalityRegistry.class).find(KosekiCity.CODE).orElseThrow();
        watcher.check();
        assertEquals(0, open(), "a well 戸籍システム: no alarm");

        city.fake.behave = request -> new Behaviour(Mode.SERVER_ERROR, 0);
        for (int i = 0; i < 10; i++) {
            connector.certificateData(m, KosekiAnswer.Kind.ZENBU, "P-1", List.of());
        }
        assertTrue(connector.breakerOpen(m), "ten failures in a row open the breaker");
        watcher.check();
        watcher.check();
        assertEquals(1, open(), "one open row however often the watcher looks");
        String subject = city.node.context().getBean(jp.kofu.alarm.AlarmBook.class).open(KosekiCity.CODE).stream()
                .filter(a -> a.kind() == jp.kofu.alarm.AlarmKind.KOSEKI_DOWN).findFirst().orElseThrow().subject();
        assertTrue(subject.contains("ノード test-node-"), "the row is this node's: " + subject);

        city.fake.behave = request -> new Behaviour(Mode.WELL, 0);
        long until = System.nanoTime() + 45_000_000_000L; // the breaker stays open 30 s, then lets 3 probes through
        while (connector.breakerOpen(m) && System.nanoTime() < until) {
            Thread.sleep(1000);
            connector.certificateData(m, KosekiAnswer.Kind.ZENBU, "P-1", List.of());
        }
        assertInstanceOf(KosekiResult.Answered.class, connector.certificateData(m, KosekiAnswer.Kind.ZENBU, "P-1",
                List.of()), "the 戸籍システム answers again");
        watcher.check();
        assertEquals(0, open(), "the breaker closed: the alarm ended");
    }
}
