package jp.kofu.replica;

import com.fasterxml.jackson.databind.JsonNode;
import jp.kofu.ServiceProcess;
import jp.kofu.bench.SyntheticResidents;
import jp.kofu.client.CenterClient;
import jp.kofu.contract.Json;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SIGKILL of the service in the middle of a large change batch and of a snapshot: after a restart the replica is
 * exactly as before the batch, and sending the batch again completes it.
 */
final class CrashSafetyIT {
    private static final String CITY = "112038";

    @Test
    void aKillDuringABatchOrASnapshotLosesNothingAndHalfAppliesNothing() throws Exception {
        try (ServiceProcess service = ServiceProcess.onNewDataDir("crash")) {
            service.start();
            CenterClient sync = service.sync();
            CenterClient.Response loaded = sync.put("/sync/v1/snapshot?municipalityCode=" + CITY + "&asOfSeq=0",
                    readAll(SyntheticResidents.snapshot(CITY, 20_000)), "application/x-ndjson");
            assertEquals(200, loaded.status(), loaded.text());
            assertState(sync, 0, 20_000);

            byte[] batch = changes(100_000);
            killDuring(service, () -> sync.post("/sync/v1/changes", batch, "application/x-ndjson"));
            service.start();
            assertTrue(service.log().contains("left running by a previous Kofu process")
                    || !service.log().contains("ERROR"), "restart took over the data folder");
            assertState(service.sync(), 0, 20_000);
            CenterClient.Response resent = service.sync().post("/sync/v1/changes", batch, "application/x-ndjson");
            assertEquals(200, resent.status(), resent.text());
            assertState(service.sync(), 100_000, 120_000);

            byte[] snapshot = readAll(SyntheticResidents.snapshot(CITY, 200_000));
            killDuring(service, () -> service.sync().put("/sync/v1/snapshot?municipalityCode=" + CITY
                    + "&asOfSeq=7", snapshot, "application/x-ndjson"));
            service.start();
            assertState(service.sync(), 100_000, 120_000);
            CenterClient.Response again = service.sync().put("/sync/v1/snapshot?municipalityCode=" + CITY
                    + "&asOfSeq=7", snapshot, "application/x-ndjson");
            assertEquals(200, again.status(), again.text());
            assertState(service.sync(), 7, 200_000);
        }
    }

    @FunctionalInterface
    private interface Call {
        CenterClient.Response run() throws Exception;
    }

    /**
     * Starts the call, waits until the service logs that it is receiving it, gives it a second of work, kills it,
     * and checks that it never answered.
     */
    private static void killDuring(ServiceProcess service, Call call) throws Exception {
        int receivingBefore = count(service.log(), ": receiving");
        CompletableFuture<String> outcome = CompletableFuture.supplyAsync(() -> {
            try {
                return "answered " + call.run().status();
            } catch (Exception e) {
                return "cut off";
            }
        });
        for (int i = 0; i < 300 && count(service.log(), ": receiving") == receivingBefore; i++) {
            Thread.sleep(100);
        }
        Thread.sleep(1_000);
        assertTrue(!outcome.isDone(), "the request was still running when the service was killed: " + outcome.getNow(""));
        service.kill();
        assertEquals("cut off", outcome.get(60, TimeUnit.SECONDS));
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }

    private static void assertState(CenterClient sync, long appliedThrough, long residents) throws Exception {
        CenterClient.Response r = sync.get("/sync/v1/status?municipalityCode=" + CITY);
        assertEquals(200, r.status(), r.text());
        JsonNode status = Json.MAPPER.readTree(r.body());
        assertEquals(appliedThrough, status.get("appliedThrough").asLong(), "appliedThrough");
        assertEquals(residents, status.get("residents").asLong(), "residents");
    }

    /** {@code count} change events: new residents S20000… with seq 1…count. */
    private static byte[] changes(int count) {
        StringBuilder out = new StringBuilder(count * 700);
        for (int i = 0; i < count; i++) {
            String line = SyntheticResidents.residentLine(CITY, 20_000 + i);
            out.append("{\"seq\":").append(i + 1).append(',').append(line, 1, line.length());
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        return out.toByteArray();
    }
}
