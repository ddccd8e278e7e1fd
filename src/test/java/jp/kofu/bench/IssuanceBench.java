package jp.kofu.bench;

import jp.kofu.TestNode;
import jp.kofu.card.SoftwareCard;
import jp.kofu.client.CenterClient;
import jp.kofu.client.CenterRequests;
import jp.kofu.demo.DemoResidents;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * End-to-end issuance over mutual TLS against one in-process node: card verification, replica reads, PDF
 * rendering, PAdES signing and the log, from {@code threads} concurrent centers. Run with
 * {@code bench/run issuance [requests] [threads]}.
 */
public final class IssuanceBench {
    private IssuanceBench() {}

    public static void main(String[] args) throws Exception {
        int requests = args.length > 0 ? Integer.parseInt(args[0]) : 2_000;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        try (TestNode node = TestNode.start()) {
            List<SoftwareCard> cards = List.of(node.card(DemoResidents.FAMILY_HEAD), node.card(DemoResidents.SPOUSE),
                    node.card(DemoResidents.FOREIGN));
            run(node, cards, Math.min(300, requests), threads); // warm-up
            long started = System.nanoTime();
            List<Long> latencies = run(node, cards, requests, threads);
            double seconds = (System.nanoTime() - started) / 1e9;
            Collections.sort(latencies);
            System.out.printf("issuance: %d requests, %d threads, %.1f s, %.0f/s; latency p50 %.1f ms, p95 %.1f ms,"
                            + " p99 %.1f ms%n", requests, threads, seconds, requests / seconds,
                    percentile(latencies, 50), percentile(latencies, 95), percentile(latencies, 99));
        }
        System.exit(0);
    }

    private static List<Long> run(TestNode node, List<SoftwareCard> cards, int requests, int threads) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<List<Long>>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int share = requests / threads + (t < requests % threads ? 1 : 0);
            int index = t;
            futures.add(pool.submit(() -> {
                CenterClient center = node.center();
                List<Long> mine = new ArrayList<>();
                for (int i = 0; i < share; i++) {
                    SoftwareCard card = cards.get((index + i) % cards.size());
                    byte[] body = CenterRequests.issuanceBody(UUID.randomUUID().toString(), "BENCH",
                            CenterRequests.sign(card, CenterRequests.payload("112038", "HOUSEHOLD_ALL",
                                    OffsetDateTime.now())));
                    long t0 = System.nanoTime();
                    CenterClient.Response r = center.post("/center/v1/issuances", body, "application/json");
                    mine.add(System.nanoTime() - t0);
                    if (r.status() != 200) {
                        throw new IllegalStateException("HTTP " + r.status() + " " + r.text());
                    }
                }
                return mine;
            }));
        }
        List<Long> all = new ArrayList<>();
        for (Future<List<Long>> f : futures) {
            all.addAll(f.get());
        }
        pool.shutdown();
        return all;
    }

    private static double percentile(List<Long> sorted, int p) {
        return sorted.get(Math.min(sorted.size() - 1, sorted.size() * p / 100)) / 1e6;
    }
}
