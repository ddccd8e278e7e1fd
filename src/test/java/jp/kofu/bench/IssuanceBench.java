package jp.kofu.bench;

import jp.kofu.TestNode;

import java.util.List;
import java.util.Map;

/**
 * End-to-end issuance over mutual TLS against one in-process node: card verification, replica reads, PDF
 * rendering, PAdES signing and the log, from {@code threads} concurrent centers ({@link IssuanceLoad}). Run with
 * {@code bench/run issuance [requests] [threads]}.
 */
public final class IssuanceBench {
    private IssuanceBench() {}

    public static void main(String[] args) throws Exception {
        int requests = args.length > 0 ? Integer.parseInt(args[0]) : 2_000;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        try (TestNode node = TestNode.start()) {
            Measured measured = measure(List.of(node), requests, threads);
            System.out.println("issuance: " + measured.result().summary() + "; transaction retries by reason "
                    + measured.retries().get(0));
        }
        System.exit(0);
    }

    /** A measured run, and the retries ({@code kofu.db.transaction.retries} by reason) each node counted in it. */
    record Measured(IssuanceLoad.Result result, List<Map<String, Long>> retries) {}

    /** A warm-up of {@code min(300, requests)} issuances on {@code nodes}, then the measured run. */
    static Measured measure(List<TestNode> nodes, int requests, int threads) throws Exception {
        IssuanceLoad load = new IssuanceLoad(nodes);
        IssuanceLoad.Result warmUp = load.run(Math.min(300, requests), threads);
        if (warmUp.ok() != warmUp.requests()) {
            System.out.println("warm-up: " + warmUp.summary());
        }
        List<Map<String, Double>> before = nodes.stream().map(IssuanceLoad::retries).toList();
        IssuanceLoad.Result result = load.run(requests, threads);
        List<Map<String, Long>> retries = new java.util.ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            retries.add(IssuanceLoad.delta(before.get(i), IssuanceLoad.retries(nodes.get(i))));
        }
        return new Measured(result, retries);
    }
}
