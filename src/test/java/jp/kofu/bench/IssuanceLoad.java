package jp.kofu.bench;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jp.kofu.TestNode;
import jp.kofu.card.SoftwareCard;
import jp.kofu.client.CenterClient;
import jp.kofu.client.CenterRequests;
import jp.kofu.demo.DemoResidents;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * The issuance load of the benchmarks: one municipality (112038), a 住民票 of a scope ({@code HOUSEHOLD_ALL} unless
 * told otherwise) asked for by demo cards in turn, each request signed and sent over mutual TLS as the center does.
 * Each client thread has its own {@link CenterClient} (one HTTP client, its connection kept alive between requests);
 * threads are spread over the given targets in turn (thread {@code t} on target {@code t % targets}). Every answer is
 * counted by HTTP status (-1: no answer, the exception's class counted in {@link Result#failures}); nothing stops the
 * run.
 */
public final class IssuanceLoad {
    static final String MUNICIPALITY = "112038";
    private static final String RETRIES = "kofu.db.transaction.retries";

    private final List<Supplier<CenterClient>> targets;
    private final List<SoftwareCard> cards;

    /**
     * The load on in-process {@code nodes}, from three demo cards issued by the first node's dev PKI (the nodes share
     * keys): the householder and the spouse of a household of four, and the foreign resident (a household of one).
     */
    public IssuanceLoad(List<TestNode> nodes) {
        this(nodes.stream().<Supplier<CenterClient>>map(n -> n::center).toList(), nodes.isEmpty() ? List.of()
                : List.of(nodes.get(0).card(DemoResidents.FAMILY_HEAD), nodes.get(0).card(DemoResidents.SPOUSE),
                        nodes.get(0).card(DemoResidents.FOREIGN)));
    }

    /** The load on {@code targets} (each call a new center client of one node), from {@code cards} in turn. */
    public IssuanceLoad(List<Supplier<CenterClient>> targets, List<SoftwareCard> cards) {
        if (targets.isEmpty() || cards.isEmpty()) {
            throw new IllegalArgumentException("no node or no card");
        }
        this.targets = List.copyOf(targets);
        this.cards = List.copyOf(cards);
    }

    /** The outcome of one run: latencies of every answered request (ms), counts by status, wall time. */
    public record Result(int requests, int threads, double seconds, List<Double> latenciesMillis,
                         Map<Integer, Integer> statuses, Map<String, Integer> failures) {
        public int ok() {
            return statuses.getOrDefault(200, 0);
        }

        public int serverErrors() {
            return statuses.entrySet().stream().filter(e -> e.getKey() >= 500).mapToInt(Map.Entry::getValue).sum();
        }

        /** Issued certificates per second of wall time. */
        public double throughput() {
            return ok() / seconds;
        }

        public double percentile(int p) {
            if (latenciesMillis.isEmpty()) {
                return Double.NaN;
            }
            return latenciesMillis.get(Math.min(latenciesMillis.size() - 1, latenciesMillis.size() * p / 100));
        }

        /** One line: requests, answers by status, throughput, latency percentiles. */
        public String summary() {
            return String.format("%d requests, %d threads, %.1f s: answers by HTTP status %s (%d 5xx%s), %.1f"
                            + " issuances/s, latency p50 %.1f ms, p95 %.1f ms, p99 %.1f ms", requests, threads,
                    seconds, statuses, serverErrors(), failures.isEmpty() ? "" : "; no answer: " + failures,
                    throughput(), percentile(50), percentile(95), percentile(99));
        }
    }

    /** Runs {@code requests} issuances of {@code HOUSEHOLD_ALL} on {@code threads} threads and waits for all. */
    public Result run(int requests, int threads) throws Exception {
        return run(requests, threads, List.of("HOUSEHOLD_ALL"));
    }

    /**
     * Runs {@code requests} issuances on {@code threads} threads spread over the targets and waits for all; each
     * thread's requests take the {@code scopes} in turn.
     */
    public Result run(int requests, int threads, List<String> scopes) throws Exception {
        return run(requests, threads, scopes, 0);
    }

    /**
     * {@link #run(int, int, List)} at an offered rate of {@code rate} requests per second over all threads (0: each
     * thread sends its next request when the last is answered). At a rate, request {@code k} is due {@code k / rate}
     * seconds after the start, and its latency counts from then, not from when a busy thread got to send it: a stall
     * of the node counts for every request it holds up.
     */
    public Result run(int requests, int threads, List<String> scopes, double rate) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<List<long[]>>> futures = new ArrayList<>();
        Map<String, Integer> failures = Collections.synchronizedMap(new TreeMap<>());
        long started = System.nanoTime();
        try {
            for (int t = 0; t < threads; t++) {
                int share = requests / threads + (t < requests % threads ? 1 : 0);
                int index = t;
                Supplier<CenterClient> target = targets.get(t % targets.size());
                futures.add(pool.submit(() -> {
                    CenterClient center = target.get();
                    List<long[]> mine = new ArrayList<>(share); // {status, nanoseconds}
                    for (int i = 0; i < share; i++) {
                        SoftwareCard card = cards.get((index + i) % cards.size());
                        String scope = scopes.get(i % scopes.size());
                        byte[] body = CenterRequests.issuanceBody(UUID.randomUUID().toString(), "BENCH",
                                CenterRequests.sign(card, CenterRequests.payload(MUNICIPALITY, scope,
                                        OffsetDateTime.now())));
                        long t0 = System.nanoTime();
                        if (rate > 0) {
                            long due = started + (long) ((i * (double) threads + index) / rate * 1e9);
                            long wait = due - t0;
                            if (wait > 0) {
                                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                            }
                            t0 = due;
                        }
                        try {
                            CenterClient.Response r = center.post("/center/v1/issuances", body, "application/json");
                            mine.add(new long[] {r.status(), System.nanoTime() - t0});
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw e;
                        } catch (Exception e) {
                            failures.merge(e.getClass().getSimpleName(), 1, Integer::sum);
                            mine.add(new long[] {-1, -1});
                        }
                    }
                    return mine;
                }));
            }
            List<long[]> all = new ArrayList<>();
            for (Future<List<long[]>> f : futures) {
                all.addAll(f.get());
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            Map<Integer, Integer> statuses = new TreeMap<>();
            List<Double> latencies = new ArrayList<>();
            for (long[] a : all) {
                statuses.merge((int) a[0], 1, Integer::sum);
                if (a[0] >= 0) {
                    latencies.add(a[1] / 1e6);
                }
            }
            Collections.sort(latencies);
            return new Result(requests, threads, seconds, latencies, statuses, new TreeMap<>(failures));
        } finally {
            pool.shutdownNow();
        }
    }

    /** {@code kofu.db.transaction.retries} of a node by its tag {@code reason}, read from its registry in-process. */
    public static Map<String, Double> retries(TestNode node) {
        Map<String, Double> out = new TreeMap<>();
        for (Counter c : node.context().getBean(MeterRegistry.class).find(RETRIES).counters()) {
            out.merge(String.valueOf(c.getId().getTag("reason")), c.count(), Double::sum);
        }
        return out;
    }

    /** What was counted between {@code before} and {@code after}, as whole numbers, zeros left out. */
    public static Map<String, Long> delta(Map<String, Double> before, Map<String, Double> after) {
        Map<String, Long> out = new TreeMap<>();
        after.forEach((k, v) -> {
            long d = Math.round(v - before.getOrDefault(k, 0.0));
            if (d != 0) {
                out.put(k, d);
            }
        });
        return out;
    }
}
