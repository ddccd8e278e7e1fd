package jp.kofu.alarm;

import jp.kofu.TestNode;
import jp.kofu.console.account.StaffAccount;
import jp.kofu.console.account.StaffAccounts;
import jp.kofu.console.account.StaffRole;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/** The alarm rows on a real MariaDB shared by two Kofu nodes, as on an ASP cluster. */
final class AlarmsTest {
    private static final Map<String, Object> QUIET = Map.of("kofu.alarms.check-interval", "1h");
    private static TestNode a;
    private static TestNode b;
    private static StaffAccount auditor;
    private static StaffAccount admin;
    private static StaffAccount chiyoda;

    @BeforeAll
    static void start() {
        a = TestNode.start(QUIET, null);
        b = a.sibling(QUIET, null);
        StaffAccounts accounts = a.context().getBean(StaffAccounts.class);
        auditor = accounts.add("112038", "kansa", "監査 太郎", StaffRole.AUDITOR, "Kofu-alarm-test-9", false);
        admin = accounts.add("112038", "kanri", "管理 花子", StaffRole.ADMIN, "Kofu-alarm-test-9", false);
        chiyoda = accounts.add("131016", "chiyoda", "千代田 職員", StaffRole.ADMIN, "Kofu-alarm-test-9", false);
    }

    @AfterAll
    static void stop() {
        TestNode.closeAll(b, a);
    }

    private static long rows(String where) {
        return a.count("SELECT COUNT(*) FROM alarm WHERE " + where);
    }

    @Test
    void twoNodesRaisingTheSameConditionAtOnceOpenOneRowAndAClearEndsIt() throws Exception {
        String subject = "race-" + System.nanoTime();
        Alarms[] nodes = {a.context().getBean(Alarms.class), b.context().getBean(Alarms.class)};
        CyclicBarrier together = new CyclicBarrier(8);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                Alarms alarms = nodes[t % 2];
                done.add(pool.submit(() -> {
                    together.await();
                    for (int i = 0; i < 10; i++) {
                        alarms.raise(AlarmKind.FEED_SILENT, "112038", subject, "silent since ever");
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        String mine = "kind = 'FEED_SILENT' AND subject = '" + subject + "'";
        assertEquals(1, rows(mine), "80 raises from two nodes: one row");
        assertEquals(1, rows(mine + " AND ended_at IS NULL AND open_key IS NOT NULL"));

        nodes[1].clear(AlarmKind.FEED_SILENT, "112038", subject);
        assertEquals(1, rows(mine + " AND ended_at IS NOT NULL AND open_key IS NULL"), "the other node ended it");

        nodes[0].raise(AlarmKind.FEED_SILENT, "112038", subject, "silent again");
        assertEquals(2, rows(mine), "raised again after it ended: a new row");
        assertEquals(1, rows(mine + " AND ended_at IS NULL AND detail = 'silent again'"));
        nodes[0].clear(AlarmKind.FEED_SILENT, "112038", subject);
    }

    @Test
    void eventsCountInTheOpenRowUntilAcknowledgedThenOpenANewOne() {
        String subject = "event-" + System.nanoTime();
        Alarms alarms = a.context().getBean(Alarms.class);
        for (int i = 1; i <= 3; i++) {
            (i % 2 == 0 ? b.context().getBean(Alarms.class) : alarms).occurred(AlarmKind.TRANSACTION_FAILED, "112038",
                    subject, "transaction=T-" + i + " cause=IOException", null);
        }
        String mine = "kind = 'TRANSACTION_FAILED' AND subject = '" + subject + "'";
        assertEquals(1, rows(mine));
        assertEquals(3, a.count("SELECT occurrences FROM alarm WHERE " + mine));
        assertEquals(1, rows(mine + " AND detail = 'transaction=T-3 cause=IOException'"), "the latest occurrence");

        StaffAccount staff = auditor;
        long id = a.count("SELECT alarm_id FROM alarm WHERE " + mine);
        AlarmBook book = a.context().getBean(AlarmBook.class);
        AlarmBook.Acknowledgement done = book.acknowledge(id, staff, "127.0.0.1");
        assertInstanceOf(AlarmBook.Acknowledgement.Done.class, done);
        assertEquals(1, rows(mine + " AND ended_at IS NOT NULL AND acknowledged_by = '" + staff.login() + "'"),
                "an event ends when acknowledged");
        assertEquals(1, a.count("SELECT COUNT(*) FROM staff_action_log WHERE action = 'ALARM_ACKNOWLEDGE'"
                + " AND target = 'alarm " + id + "'"), "the acknowledgement is in the staff action log");
        assertInstanceOf(AlarmBook.Acknowledgement.Already.class, book.acknowledge(id, staff, "127.0.0.1"));

        alarms.occurred(AlarmKind.TRANSACTION_FAILED, "112038", subject, "transaction=T-4 cause=IOException", null);
        assertEquals(2, rows(mine), "a later occurrence opens a new row");
        assertEquals(1, rows(mine + " AND ended_at IS NULL AND occurrences = 1"));
    }

    @Test
    void aConditionAcknowledgedStaysOpenUntilItClears() {
        String subject = "ack-state-" + System.nanoTime();
        Alarms alarms = a.context().getBean(Alarms.class);
        alarms.raise(AlarmKind.KOSEKI_DOWN, "112038", subject, "breaker open");
        StaffAccount staff = admin;
        long id = a.count("SELECT alarm_id FROM alarm WHERE subject = '" + subject + "'");
        assertInstanceOf(AlarmBook.Acknowledgement.Done.class,
                a.context().getBean(AlarmBook.class).acknowledge(id, staff, "127.0.0.1"));
        assertEquals(1, rows("alarm_id = " + id + " AND ended_at IS NULL AND acknowledged_at IS NOT NULL"),
                "acknowledged, still open: the condition holds");
        alarms.raise(AlarmKind.KOSEKI_DOWN, "112038", subject, "breaker open");
        assertEquals(1, rows("subject = '" + subject + "'"), "raised again while open: the same row");
        alarms.clear(AlarmKind.KOSEKI_DOWN, "112038", subject);
        assertEquals(1, rows("alarm_id = " + id + " AND ended_at IS NOT NULL"));
    }

    @Test
    void anAspWideRowIsAcknowledgedByNoMunicipality() {
        String subject = "asp-" + System.nanoTime();
        a.context().getBean(Alarms.class).raise(AlarmKind.CRL_NOT_CURRENT, null, subject, "no current CRL");
        long id = a.count("SELECT alarm_id FROM alarm WHERE subject = '" + subject + "'");
        AlarmBook book = a.context().getBean(AlarmBook.class);
        assertInstanceOf(AlarmBook.Acknowledgement.AspWide.class, book.acknowledge(id, chiyoda, "127.0.0.1"));
        assertEquals(1, rows("alarm_id = " + id + " AND acknowledged_at IS NULL"), "nothing changed");
        assertEquals(1, book.open("131016").stream().filter(r -> r.id() == id).count(), "seen by 千代田区");
        assertEquals(1, book.open("112038").stream().filter(r -> r.id() == id).count(), "and by 川口市");
        a.context().getBean(Alarms.class).clear(AlarmKind.CRL_NOT_CURRENT, null, subject);
    }
}
