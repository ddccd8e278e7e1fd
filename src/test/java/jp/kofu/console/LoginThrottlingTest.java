package jp.kofu.console;

import jp.kofu.TestClock;
import jp.kofu.TestNode;
import jp.kofu.console.account.HashGate;
import jp.kofu.console.account.StaffRole;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A login flood: attempts are throttled per login id and per client address before any Argon2 hash is computed,
 * and no more hashes run at once than {@code kofu.console.max-concurrent-hashes}; the rest are refused at once.
 */
final class LoginThrottlingTest {
    private static TestClock clock;
    private static TestNode node;
    private static ConsoleHttp http;
    private static HashGate gate;

    @BeforeAll
    static void start() {
        clock = new TestClock(Instant.now());
        node = TestNode.start(Map.of("kofu.console.login-attempts-per-login-per-minute", 3,
                "kofu.console.login-attempts-per-address-per-minute", 8,
                "kofu.console.max-concurrent-hashes", 1,
                "kofu.console.lockout-failures", 20), clock);
        ConsoleFixtures.addStaff(node, ConsoleFixtures.CITY, "kanri", "川口 管理", StaffRole.ADMIN);
        http = new ConsoleHttp(node);
        gate = node.context().getBean(HashGate.class);
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    @BeforeEach
    void refill() {
        clock.advance(Duration.ofMinutes(2));
    }

    @Test
    void throttlesALoginIdAfterItsAttemptsOfAMinuteWithoutComputingAHash() throws Exception {
        for (int i = 1; i <= 3; i++) {
            HttpResponse<String> wrong = http.tryLogin(ConsoleFixtures.CITY, "kanri", "wrong-password-" + i);
            assertEquals(200, wrong.statusCode());
            assertTrue(wrong.body().contains("パスワードが違います"), wrong.body());
        }
        long hashes = gate.computed();
        HttpResponse<String> throttled = http.tryLogin(ConsoleFixtures.CITY, "kanri", ConsoleFixtures.PASSWORD);
        assertEquals(429, throttled.statusCode());
        assertTrue(throttled.body().contains("1分ほどたってから、もう一度お試しください"), throttled.body());
        assertTrue(throttled.body().contains("職員ログイン"), "the login page again: " + throttled.body());
        assertEquals(hashes, gate.computed(), "a throttled attempt computes no hash");
        clock.advance(Duration.ofSeconds(20));
        assertEquals(303, http.tryLogin(ConsoleFixtures.CITY, "kanri", ConsoleFixtures.PASSWORD).statusCode(),
                "a minute's share of attempts later, the right password is accepted");
    }

    @Test
    void throttlesAnAddressWhateverLoginIdsItTries() throws Exception {
        for (int i = 1; i <= 8; i++) {
            assertEquals(200, http.tryLogin(ConsoleFixtures.CITY, "nobody" + i, "wrong-password").statusCode());
        }
        long hashes = gate.computed();
        assertEquals(429, http.tryLogin(ConsoleFixtures.CITY, "someone-else", "wrong-password").statusCode());
        assertEquals(429, http.tryLogin(ConsoleFixtures.CITY, "kanri", ConsoleFixtures.PASSWORD).statusCode());
        assertEquals(hashes, gate.computed());
    }

    @Test
    void anUnknownLoginIdCostsAHashLikeAKnownOne() throws Exception {
        long before = gate.computed();
        assertEquals(200, http.tryLogin(ConsoleFixtures.CITY, "no-such-clerk", "wrong-password").statusCode());
        assertEquals(before + 1, gate.computed(), "a dummy hash, so that timing does not tell which ids exist");
        assertEquals(200, http.tryLogin(ConsoleFixtures.CITY, "kanri", "wrong-password").statusCode());
        assertEquals(before + 2, gate.computed());
    }

    @Test
    void refusesAttemptsBeyondTheConcurrentHashesAtOnceRatherThanQueueingThem() throws Exception {
        List<HttpResponse<String>> answers = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<HttpResponse<String>>> futures = new ArrayList<>();
            for (int i = 1; i <= 8; i++) {
                String login = "flood" + i;
                futures.add(pool.submit(() -> http.tryLogin(ConsoleFixtures.CITY, login, "wrong-password")));
            }
            for (Future<HttpResponse<String>> f : futures) {
                answers.add(f.get());
            }
        } finally {
            pool.shutdown();
        }
        long busy = answers.stream().filter(r -> r.statusCode() == 503).count();
        assertTrue(busy >= 1, "one hash at a time: 8 at once cannot all be hashed");
        for (HttpResponse<String> r : answers) {
            assertTrue(r.statusCode() == 200 || r.statusCode() == 503, r.statusCode() + " " + r.body());
            if (r.statusCode() == 503) {
                assertTrue(r.body().contains("混み合っています"), r.body());
            }
        }
    }

    /**
     * The hash is computed with no database transaction (nor connection) held: while another connection holds the
     * account's row lock, the attempt still computes its hash, and only its short write transaction waits.
     */
    @Test
    void hashesBeforeTakingTheAccountsRowLock() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        Future<HttpResponse<String>> attempt;
        try (java.sql.Connection other = java.sql.DriverManager.getConnection(node.dbUrl(),
                jp.kofu.TestDatabase.app().user(), jp.kofu.TestDatabase.app().password())) {
            other.setAutoCommit(false);
            try (var s = other.createStatement()) {
                s.executeQuery("SELECT id FROM staff_account WHERE login = 'kanri' FOR UPDATE").close();
            }
            long before = gate.computed();
            attempt = pool.submit(() -> http.tryLogin(ConsoleFixtures.CITY, "kanri", ConsoleFixtures.PASSWORD));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (gate.computed() == before && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(before + 1, gate.computed(), "hashed while the row is locked elsewhere");
            Thread.sleep(200);
            assertTrue(!attempt.isDone(), "only the write of the outcome waits for the lock");
            other.rollback();
        } finally {
            pool.shutdown();
        }
        assertEquals(303, attempt.get().statusCode(), "signed in once the lock is gone");
    }
}
