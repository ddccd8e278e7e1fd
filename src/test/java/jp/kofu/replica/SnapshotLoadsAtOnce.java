package jp.kofu.replica;

import com.fasterxml.jackson.databind.JsonNode;
import jp.kofu.TestNode;
import jp.kofu.client.CenterClient;
import jp.kofu.contract.Json;
import jp.kofu.bench.SyntheticResidents;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Two snapshot loads of one municipality started at the same instant through two nodes, for the tests of the load's row. */
public final class SnapshotLoadsAtOnce {
    private SnapshotLoadsAtOnce() {}

    /**
     * PUTs one generated snapshot of {@code residents} through each node at once and checks that one load ran
     * ({@code 200}) and the other was refused {@code 409 TRANSACTION_CONFLICT}; answers the one that ran.
     */
    public static CenterClient.Response oneRunsOneIsRefused(List<TestNode> nodes, String city, int residents,
                                                            long asOfSeq) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SyntheticResidents.snapshot(city, residents).transferTo(out);
        byte[] body = out.toByteArray();
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(nodes.size());
        try {
            List<Future<CenterClient.Response>> loads = new ArrayList<>();
            for (TestNode node : nodes) {
                CenterClient sync = node.sync();
                loads.add(threads.submit(() -> {
                    go.await();
                    return sync.put("/sync/v1/snapshot?municipalityCode=" + city + "&asOfSeq=" + asOfSeq, body,
                            "application/x-ndjson");
                }));
            }
            go.countDown();
            List<CenterClient.Response> answers = new ArrayList<>();
            for (Future<CenterClient.Response> f : loads) {
                answers.add(f.get());
            }
            List<Integer> statuses = answers.stream().map(CenterClient.Response::status).sorted().toList();
            assertEquals(List.of(200, 409), statuses, statuses.toString());
            CenterClient.Response refused = answers.stream().filter(r -> r.status() == 409).findFirst().orElseThrow();
            JsonNode code = Json.MAPPER.readTree(refused.body()).get("code");
            assertEquals("TRANSACTION_CONFLICT", code.asText(), refused.text());
            return answers.stream().filter(r -> r.status() == 200).findFirst().orElseThrow();
        } finally {
            threads.shutdownNow();
        }
    }
}
