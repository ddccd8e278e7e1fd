package jp.kofu.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jp.kofu.TestNode;
import jp.kofu.audit.ChainReport;
import jp.kofu.audit.LogChainVerifier;
import jp.kofu.card.SoftwareCard;
import jp.kofu.client.CenterClient;
import jp.kofu.client.CenterRequests;
import jp.kofu.contract.Json;
import jp.kofu.demo.DemoResidents;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Two Kofu nodes of the demo municipality on a three-node Galera cluster (issue 14): node A reaches the cluster
 * through {@code sequential://node1,node2,node3}, node B through {@code sequential://node2,node3,node1}, so that
 * both write at once through different database nodes, with the same keys (B is A's sibling).
 * <ol>
 *   <li>a sync batch answered on A is seen at once by an issuance on B (blocks, unblocks, seal abolitions, removals,
 *       many rounds): the causal reads ({@code wsrep_sync_wait=1}) that {@code Database} sets on Galera;</li>
 *   <li>concurrent issuances of one municipality on both nodes: no 5xx, distinct numbers, intact log chains, and
 *       (no hot rows) hardly a retry;</li>
 *   <li>database node 1 killed (SIGKILL) under load on A: A carries on through nodes 2 and 3 within seconds, every
 *       request answered 200 (those in flight are run again), nothing half-issued, the chains intact; node 1
 *       rejoins.</li>
 * </ol>
 * The tests run in this order and share the cluster, the nodes and the feed's sequence.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
final class KofuOnGaleraIT {
    private static final String CITY = "112038";
    private static final String R1 = DemoResidents.FAMILY_HEAD;
    private static final String R2 = DemoResidents.SPOUSE;
    private static final String R3 = DemoResidents.TEEN;
    private static final String R10 = DemoResidents.FOREIGN;

    private static GaleraCluster cluster;
    private static String db;
    private static TestNode a;
    private static TestNode b;
    private static final Map<String, SoftwareCard> CARDS = new ConcurrentHashMap<>();
    /** The feed's last seq: the demo snapshot is loaded as of seq 0. */
    private static final AtomicLong SEQ = new AtomicLong();

    @BeforeAll
    static void startClusterAndNodes() {
        long started = System.nanoTime();
        cluster = GaleraCluster.start();
        try {
            db = cluster.createDatabase("kofu_galera_it");
            String urlA = cluster.sequentialUrl(db);
            String urlB = "jdbc:mariadb:sequential://127.0.0.1:" + cluster.port(2) + ",127.0.0.1:" + cluster.port(3)
                    + ",127.0.0.1:" + cluster.port(1) + "/" + db;
            a = TestNode.startOn(urlA, cluster.admin(), cluster.app(), Map.of(), null);
            b = a.sibling(urlB, Map.of(), null);
            for (String id : List.of(R1, R2, R3, R10)) {
                CARDS.put(id, a.card(id));
            }
        } catch (RuntimeException | Error e) {
            stopAll();
            throw e;
        }
        System.out.printf("KofuOnGaleraIT: cluster formed in %d ms, both Kofu nodes up after %d ms%n",
                cluster.startMillis(), (System.nanoTime() - started) / 1_000_000);
    }

    @AfterAll
    static void stopAll() {
        GaleraCluster.closeInOrder(b, a, cluster);
    }

    /** One step of the feed: a batch through A, then what an issuance through B must answer at once. */
    private record Step(String what, String batchFields, String resident, String certificateType, int expected,
                        String expectedCode) {}

    @Test
    @Order(1)
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void aSyncBatchAnsweredOnNodeAIsSeenAtOnceByAnIssuanceOnNodeB() throws Exception {
        List<Step> steps = new ArrayList<>();
        // Blocks and unblocks, each unblock proved by a certificate of the type the resident still has.
        for (String id : List.of(R1, R2, R10, R3, R1, R2, R10, R1)) {
            String type = id.equals(R3) ? "JUMINHYO" : "INKAN";
            steps.add(new Step("block " + id, block(id, true), id, "JUMINHYO", 422, "NOT_ISSUABLE"));
            steps.add(new Step("unblock " + id, block(id, false), id, type, 200, null));
        }
        // Seal abolitions: the 印鑑登録証明書 goes at once, the 住民票 stays.
        for (String id : List.of(R1, R2, R10)) {
            steps.add(new Step("abolish the seal of " + id, "\"type\":\"SEAL_ABOLISH\",\"residentId\":\"" + id + "\"",
                    id, "INKAN", 422, "NOT_ISSUABLE"));
            steps.add(new Step("(no batch) 住民票 of " + id + " after its seal's abolition", null, id, "JUMINHYO",
                    200, null));
        }
        // Removals.
        for (String id : List.of(R3, R10)) {
            steps.add(new Step("remove " + id, "\"type\":\"RESIDENT_REMOVE\",\"residentId\":\"" + id + "\"", id,
                    "JUMINHYO", 0, null));
        }
        CenterClient feed = a.sync();
        CenterClient centerB = b.center();
        List<String> log = new ArrayList<>();
        long slowest = 0;
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            if (step.batchFields() != null) {
                CenterClient.Response batch = feed.post("/sync/v1/changes", line(SEQ.incrementAndGet(),
                        step.batchFields()).getBytes(StandardCharsets.UTF_8), "application/x-ndjson");
                assertEquals(200, batch.status(), "round " + i + ", " + step.what() + ": the batch on A " + batch.text());
            }
            long sent = System.nanoTime();
            Answer answer = issue(centerB, step.resident(), step.certificateType());
            slowest = Math.max(slowest, System.nanoTime() - sent);
            log.add(i + " " + step.what() + " -> B " + step.certificateType() + " " + answer.status() + " "
                    + (answer.code() == null ? "" : answer.code()));
            String context = "round " + i + ", " + step.what() + ": the " + step.certificateType() + " of "
                    + step.resident() + " issued on B right after the batch's 200 on A answered " + answer.status() + " "
                    + answer.text() + "\nrounds so far:\n" + String.join("\n", log);
            if (step.expected() == 0) {
                // A removed resident: refused, whatever the refusal is called (the card is no longer bound).
                assertTrue(answer.status() == 422 || answer.status() == 403, context);
            } else {
                assertEquals(step.expected(), answer.status(), context);
                if (step.expectedCode() != null) {
                    assertEquals(step.expectedCode(), answer.code(), context);
                }
            }
        }
        System.out.printf("KofuOnGaleraIT: %d rounds of batch on A then issuance on B, all as expected (slowest"
                + " issuance %d ms):%n  %s%n", steps.size(), slowest / 1_000_000, String.join("\n  ", log));
    }

    @Test
    @Order(2)
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void concurrentIssuancesOnBothNodesNeverFailAndGetDistinctNumbers() throws Exception {
        final int threadsPerNode = 4;
        final int perThread = 19; // 2 × 4 × 19 = 152 issuances
        Map<String, Double> retriesBeforeA = retries(a);
        Map<String, Double> retriesBeforeB = retries(b);
        long issuedBefore = count(2, "SELECT COUNT(*) FROM issuance WHERE municipality_code = '" + CITY + "'");
        List<String> numbers = Collections.synchronizedList(new ArrayList<>());
        Map<String, AtomicInteger> statuses = new ConcurrentHashMap<>();
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(2 * threadsPerNode);
        long started = System.nanoTime();
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < 2 * threadsPerNode; t++) {
                TestNode node = t % 2 == 0 ? a : b;
                String name = t % 2 == 0 ? "A" : "B";
                String resident = t % 4 < 2 ? R1 : R2;
                workers.add(pool.submit(() -> {
                    CenterClient center = node.center();
                    for (int i = 0; i < perThread; i++) {
                        Answer answer = issue(center, resident, "JUMINHYO");
                        statuses.computeIfAbsent(name + " " + answer.status(), k -> new AtomicInteger()).incrementAndGet();
                        if (answer.status() == 200) {
                            numbers.add(answer.number());
                        } else {
                            failures.add(name + ": " + answer.status() + " " + answer.text());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : workers) {
                f.get(100, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS), "the issuing threads ended");
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        Map<String, Double> retriesA = delta(retriesBeforeA, retries(a));
        Map<String, Double> retriesB = delta(retriesBeforeB, retries(b));
        long fivexx = failures.stream().filter(f -> f.matches("[AB]: 5.*")).count();
        System.out.printf("KofuOnGaleraIT: %d concurrent issuances (%d threads per node) in %d ms: answers %s,"
                        + " %d 5xx; retries node A %s, node B %s%n", 2 * threadsPerNode * perThread, threadsPerNode,
                millis, new TreeMap<>(statuses), fivexx, retriesA, retriesB);

        assertEquals(List.of(), failures.subList(0, Math.min(20, failures.size())),
                failures.size() + " of " + 2 * threadsPerNode * perThread + " issuances were not 200 (" + fivexx
                        + " 5xx); retries node A " + retriesA + ", node B " + retriesB);
        assertEquals(2 * threadsPerNode * perThread, numbers.size());
        Set<String> distinct = new HashSet<>(numbers);
        assertEquals(numbers.size(), distinct.size(), "every issuanceNumber distinct: duplicates "
                + numbers.stream().collect(Collectors.groupingBy(n -> n, Collectors.counting())).entrySet().stream()
                .filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList());
        assertEquals(issuedBefore + numbers.size(),
                count(2, "SELECT COUNT(*) FROM issuance WHERE municipality_code = '" + CITY + "'"),
                "one issuance row per 200 (counted on database node 2)");
        // No hot rows: each node appends to its own chain and draws numbers from its own block, so the two nodes
        // hardly ever meet at commit (one block reservation per 50 numbers may). Before: 0.25–0.42 retries per issuance.
        double conflicts = retriesA.values().stream().mapToDouble(Double::doubleValue).sum()
                + retriesB.values().stream().mapToDouble(Double::doubleValue).sum();
        assertTrue(conflicts <= 0.05 * numbers.size(), conflicts + " retries for " + numbers.size() + " issuances");
        assertChainsIntact("after the concurrent issuances");
    }

    /** One answer of the load on A while database node 1 dies. */
    private record Timed(long sentMillis, long answeredMillis, int status, String number, String text) {}

    @Test
    @Order(3)
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void aDatabaseNodeKilledUnderLoadLeavesNothingHalfIssuedAndRejoins() throws Exception {
        final int threads = 3;
        Map<String, Double> retriesBefore = retries(a);
        List<Timed> answers = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean stop = new AtomicBoolean();
        long t0 = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long killedAt;
        long killReturned;
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String resident = t % 2 == 0 ? R1 : R2;
                workers.add(pool.submit(() -> {
                    CenterClient center = a.center();
                    while (!stop.get()) {
                        long sent = millisSince(t0);
                        Answer answer = issue(center, resident, "JUMINHYO");
                        answers.add(new Timed(sent, millisSince(t0), answer.status(), answer.number(),
                                answer.status() == 200 ? "" : answer.text()));
                    }
                    return null;
                }));
            }
            awaitCondition(() -> answers.stream().filter(x -> x.status() == 200).count() >= 10, 40_000,
                    "10 issuances on A before the kill; answers " + summary(answers));
            killedAt = millisSince(t0);
            cluster.kill(1);
            killReturned = millisSince(t0);
            // A must be issuing again within 20 s of the SIGKILL: several 200s sent after the kill.
            long deadline = killedAt + 20_000;
            while (millisSince(t0) < deadline
                    && answers.stream().filter(x -> x.status() == 200 && x.sentMillis() > killReturned).count() < 10) {
                Thread.sleep(100);
            }
            Thread.sleep(1000);
            stop.set(true);
            for (Future<?> f : workers) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            stop.set(true);
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS), "the issuing threads ended");
        }
        List<Timed> all = new ArrayList<>(answers);
        long firstBack = all.stream().filter(x -> x.status() == 200 && x.sentMillis() > killedAt)
                .mapToLong(Timed::answeredMillis).min().orElse(-1);
        Map<Integer, Long> before = statusCounts(all, x -> x.sentMillis() < killedAt);
        Map<Integer, Long> after = statusCounts(all, x -> x.sentMillis() >= killedAt);
        List<String> nonOk = all.stream().filter(x -> x.status() != 200)
                .map(x -> "sent +" + (x.sentMillis() - killedAt) + " ms: " + x.status() + " " + abbreviate(x.text()))
                .toList();
        System.out.printf("KofuOnGaleraIT: SIGKILL of database node 1 under load on A: kill() returned (2-node primary"
                        + " component) after %d ms; first 200 sent after the kill answered %d ms after it; answers sent"
                        + " before %s, after %s; retries node A %s; not 200: %s%n", killReturned - killedAt,
                firstBack < 0 ? -1 : firstBack - killedAt, before, after, delta(retriesBefore, retries(a)),
                nonOk.subList(0, Math.min(10, nonOk.size())));
        assertTrue(firstBack >= 0 && firstBack - killedAt <= 20_000, "A issued again within 20 s of the SIGKILL of"
                + " its database node: first 200 after the kill at +" + (firstBack - killedAt) + " ms; answers "
                + "after the kill " + after + ", not 200: " + nonOk);
        long okAfter = all.stream().filter(x -> x.status() == 200 && x.sentMillis() > killReturned).count();
        assertTrue(okAfter >= 10, "A carries on: " + okAfter + " issuances sent after the new primary component"
                + " answered 200");
        // The requests in flight at the kill are run again on db2 once the cluster has gone on (Database: a node going
        // away is tried for 12 s): none is answered 503.
        assertEquals(List.of(), nonOk, "every issuance answered 200, also those in flight when the node died");
        List<String> lateFailures = all.stream().filter(x -> x.status() != 200 && x.sentMillis() > killReturned)
                .map(x -> "sent +" + (x.sentMillis() - killedAt) + " ms: " + x.status() + " " + abbreviate(x.text()))
                .toList();
        assertEquals(List.of(), lateFailures, "once the two-node primary component has formed (+"
                + (killReturned - killedAt) + " ms), every issuance on A is answered 200");

        // Nothing half-issued: every 200 has its issuance row and its ISSUED log row, and no row lacks the other.
        List<String> issued = all.stream().filter(x -> x.status() == 200).map(Timed::number).toList();
        try (Connection c = cluster.connect(2); var s = c.createStatement()) {
            c.setCatalog(db);
            s.execute("SET SESSION wsrep_sync_wait = 1");
            Set<String> rows = strings(s, "SELECT issuance_number FROM issuance");
            Set<String> logged = strings(s, "SELECT issuance_number FROM issuance_log WHERE result = 'ISSUED'");
            List<String> missing = issued.stream().filter(n -> !rows.contains(n) || !logged.contains(n)).toList();
            assertEquals(List.of(), missing, "issuances answered 200 without their issuance row or ISSUED log row"
                    + " (read on database node 2)");
            Set<String> unlogged = new HashSet<>(rows);
            unlogged.removeAll(logged);
            assertEquals(Set.of(), unlogged, "issuance rows without an ISSUED log row");
            Set<String> orphans = new HashSet<>(logged);
            orphans.removeAll(rows);
            assertEquals(Set.of(), orphans, "ISSUED log rows without an issuance row");
        }
        assertChainsIntact("after the SIGKILL of database node 1");

        GaleraCluster.Rejoin rejoin = cluster.restart(1);
        System.out.printf("KofuOnGaleraIT: database node 1 rejoined by %s in %d ms%n", rejoin.transfer(),
                rejoin.millis());
        for (int n = 1; n <= 3; n++) {
            assertEquals("3", cluster.status(n).get("wsrep_cluster_size"), "node " + n + " after the rejoin");
            assertEquals("Synced", cluster.status(n).get("wsrep_local_state_comment"), "node " + n);
        }
        long onNode2 = count(2, "SELECT COUNT(*) FROM issuance");
        assertEquals(onNode2, count(1, "SELECT COUNT(*) FROM issuance"), "the rejoined node 1 has every issuance");
        for (TestNode node : List.of(a, b)) {
            Answer answer = issue(node.center(), R1, "JUMINHYO");
            assertEquals(200, answer.status(), "issuing after the rejoin: " + answer.text());
        }
        assertChainsIntact("after the rejoin");
    }

    // --- helpers ---

    private static String block(String id, boolean active) {
        return "\"type\":\"ISSUANCE_BLOCK\",\"residentId\":\"" + id + "\",\"active\":" + active
                + ",\"reason\":\"DV_SUPPORT\"";
    }

    private static String line(long seq, String fields) {
        return "{\"seq\":" + seq + ",\"municipalityCode\":\"" + CITY + "\"," + fields + "}\n";
    }

    private record Answer(int status, String code, String number, String text) {}

    /** One issuance of {@code resident}'s own certificate; status -1 when no HTTP answer came. */
    private static Answer issue(CenterClient center, String resident, String certificateType) {
        ObjectNode p = CenterRequests.payload(CITY, "SELF", OffsetDateTime.now());
        p.put("certificateType", certificateType);
        try {
            CenterClient.Response r = center.post("/center/v1/issuances", CenterRequests.issuanceBody(
                    "G-" + UUID.randomUUID(), "SEJ-0012345", CenterRequests.sign(CARDS.get(resident), p)),
                    "application/json");
            JsonNode body = null;
            try {
                body = Json.MAPPER.readTree(r.body());
            } catch (Exception ignored) {
                // not JSON: kept as text
            }
            String code = body != null && body.hasNonNull("code") ? body.get("code").asText() : null;
            String number = body != null && body.hasNonNull("issuanceNumber") ? body.get("issuanceNumber").asText() : null;
            return new Answer(r.status(), code, number, r.status() == 200 ? "" : r.text());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(-1, null, null, e.toString());
        } catch (Exception e) {
            return new Answer(-1, null, null, e.toString());
        }
    }

    /** {@code kofu_db_transaction_retries_total} of a node by reason. */
    private static Map<String, Double> retries(TestNode node) {
        Map<String, Double> out = new TreeMap<>();
        for (Counter c : node.context().getBean(MeterRegistry.class).find("kofu.db.transaction.retries").counters()) {
            out.merge(c.getId().getTag("reason"), c.count(), Double::sum);
        }
        return out;
    }

    private static Map<String, Double> delta(Map<String, Double> before, Map<String, Double> after) {
        Map<String, Double> out = new TreeMap<>();
        after.forEach((k, v) -> out.put(k, v - before.getOrDefault(k, 0.0)));
        return out;
    }

    private static void assertChainsIntact(String when) {
        for (TestNode node : List.of(a, b)) {
            List<ChainReport> reports = node.context().getBean(LogChainVerifier.class).verifyAll();
            assertTrue(!reports.isEmpty(), "verify-log found chains " + when);
            if (node == a) {
                System.out.printf("KofuOnGaleraIT: verify-log %s: %s%n", when, reports.stream().map(r -> r.chain()
                        + " intact=" + r.intact() + " entries=" + r.entriesChecked()).toList());
            }
            for (ChainReport report : reports) {
                assertTrue(report.intact(), "verify-log " + when + " (on " + (node == a ? "A" : "B") + "): " + report);
            }
        }
    }

    /** The single number a query answers through database node {@code n}, after its earlier commits applied. */
    private static long count(int n, String sql) throws SQLException {
        try (Connection c = cluster.connect(n); var s = c.createStatement()) {
            c.setCatalog(db);
            s.execute("SET SESSION wsrep_sync_wait = 1");
            try (var rs = s.executeQuery(sql)) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static Set<String> strings(java.sql.Statement s, String sql) throws SQLException {
        Set<String> out = new HashSet<>();
        try (var rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private static Map<Integer, Long> statusCounts(List<Timed> answers, java.util.function.Predicate<Timed> which) {
        return answers.stream().filter(which).collect(Collectors.groupingBy(Timed::status, TreeMap::new,
                Collectors.counting()));
    }

    private static String summary(List<Timed> answers) {
        synchronized (answers) {
            return statusCounts(new ArrayList<>(answers), x -> true).toString();
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "…";
    }

    private static long millisSince(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }

    private static void awaitCondition(java.util.function.BooleanSupplier condition, long timeoutMillis,
                                       String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out after " + timeoutMillis + " ms waiting for " + what);
            }
            Thread.sleep(50);
        }
    }
}
