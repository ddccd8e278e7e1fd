package jp.kofu.koseki;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jp.kofu.TestFiles;
import jp.kofu.koseki.FakeKosekiSystem.Behaviour;
import jp.kofu.koseki.FakeKosekiSystem.Mode;
import jp.kofu.koseki.KosekiAnswer.Kind;
import jp.kofu.municipality.Municipality;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * 川崎市 2023: two requests within a second, and one resident got the other's 戸籍. Here 200 calls for 200 persons
 * start at once against a 戸籍システム that answers in random order, after random delays, and now and then with
 * another request's body: every answer taken belongs to the person asked, and every swapped body is refused.
 */
final class SimultaneousCallsTest {
    private static final int CALLS = 200;

    private record Asked(String personKey, Kind kind, List<String> targets, KosekiResult<KosekiAnswer> result) {}

    @Test
    void noAnswerEverReachesAnotherPersonsCallAndEverySwapIsCaught() throws Exception {
        Path dir = Files.createTempDirectory("kofu-koseki-simultaneous");
        LinkPki pki = new LinkPki(dir);
        ExecutorService pool = Executors.newFixedThreadPool(CALLS);
        try (FakeKosekiSystem fake = new FakeKosekiSystem(pki.server, pki.clientCa)) {
            Municipality m = LinkSettings.city(dir.resolve("settings"), "{ url: \"" + fake.url() + "\", clientKeystore: \""
                    + pki.clientKeystore + "\", clientKeystorePassword: \"" + new String(LinkPki.PASSWORD)
                    + "\", trust: \"" + pki.trust + "\", timeoutMs: 20000, maxConcurrentCalls: 256 }");
            // the breaker is not under test here: it never opens
            KosekiConnector connector = new KosekiConnector(List.of(m), null, new SimpleMeterRegistry(),
                    Clock.systemUTC(), new KosekiLink.Breaker(CALLS, CALLS, 100f, Duration.ofSeconds(1), 1));
            fake.behave = request -> new Behaviour(ThreadLocalRandom.current().nextInt(100) < 15 ? Mode.SWAP : Mode.WELL,
                    ThreadLocalRandom.current().nextLong(0, 120));

            CountDownLatch go = new CountDownLatch(1);
            List<Future<Asked>> futures = new ArrayList<>();
            for (int i = 0; i < CALLS; i++) {
                String person = "P-" + String.format("%04d", i);
                Kind kind = Kind.values()[i % 3];
                List<String> targets = kind == Kind.KOJIN && i % 2 == 0 ? List.of(person, person + "-child") : List.of();
                futures.add(pool.submit(() -> {
                    go.await();
                    return new Asked(person, kind, targets, connector.certificateData(m, kind, person, targets));
                }));
            }
            go.countDown();

            Set<String> refused = new HashSet<>();
            int answered = 0;
            for (Future<Asked> f : futures) {
                Asked a = f.get();
                if (a.result() instanceof KosekiResult.Answered<KosekiAnswer> ok) {
                    answered++;
                    KosekiAnswer answer = ok.value();
                    assertEquals(a.personKey(), answer.personKey(), "crossing");
                    assertEquals(a.kind(), answer.kind(), "crossing");
                    assertTrue(!fake.swapped.contains(answer.requestId()), "a swapped body was taken");
                    Set<String> expected = switch (a.kind()) {
                        case ZENBU -> Set.of(a.personKey(), a.personKey() + "-spouse");
                        case KOJIN, FUHYO -> a.targets().isEmpty() ? Set.of(a.personKey()) : Set.copyOf(a.targets());
                    };
                    for (KosekiAnswer.Person p : answer.persons()) {
                        assertTrue(expected.contains(p.personKey()), "crossing: " + p.personKey() + " for " + a.personKey());
                        assertEquals("氏名 " + p.personKey(), p.name());
                    }
                } else if (a.result() instanceof KosekiResult.Mismatch<KosekiAnswer> mismatch) {
                    assertEquals(KosekiResult.MismatchReason.REQUEST_ID, mismatch.reason());
                    refused.add(mismatch.requestId());
                } else {
                    fail("call for " + a.personKey() + " came to " + a.result());
                }
            }
            assertEquals(fake.swapped, refused, "every swapped body refused, nothing else refused");
            assertEquals(CALLS, answered + refused.size());
            assertTrue(!fake.swapped.isEmpty() && answered > CALLS / 2, "swaps: " + fake.swapped.size());
            assertTrue(fake.maxInFlight.get() > 1, "calls were in flight together: " + fake.maxInFlight.get());
        } finally {
            pool.shutdownNow();
            TestFiles.deleteRecursively(dir);
        }
    }
}
