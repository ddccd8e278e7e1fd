package jp.kofu.replica;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.core.annotation.Nullable;
import jp.kofu.http.Answers;
import jp.kofu.http.Caller;
import jp.kofu.contract.ErrorCode;
import jp.kofu.contract.Refusal;
import jp.kofu.municipality.MunicipalityCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The sync feed from the 既存住基システム (contract §6). Every batch goes to the operations log with its seq range,
 * counts, caller and outcome; never its payload.
 */
@Controller("/sync/v1")
final class SyncController {
    private static final Logger OPS = LoggerFactory.getLogger("kofu.ops.sync");

    private final ReplicaStore replica;
    private final SyncMeters meters;

    SyncController(ReplicaStore replica, SyncMeters meters) {
        this.replica = replica;
        this.meters = meters;
    }

    @Post("/changes")
    @Consumes({"application/x-ndjson", "application/json", "text/plain", "application/octet-stream"})
    HttpResponse<byte[]> changes(HttpRequest<?> request, @Body InputStream body) {
        Caller caller = Caller.of(request);
        long started = System.nanoTime();
        OPS.info("changes batch from {}: receiving", caller);
        try {
            ReplicaStore.BatchResult result = replica.applyChanges(caller, body);
            meters.batchApplied(result);
            OPS.info("changes batch from {}: seq {}-{}, applied {}, skipped {}, appliedThrough {} ({} ms)", caller,
                    result.firstSeq(), result.lastSeq(), result.applied(), result.skipped(), result.appliedThrough(),
                    millis(started));
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("appliedThrough", result.appliedThrough().values().stream().reduce((a, b) -> b).orElse(0L));
            if (result.appliedThrough().size() > 1) {
                answer.put("municipalities", result.appliedThrough());
            }
            return Answers.ok(answer);
        } catch (Refusal r) {
            OPS.warn("changes batch from {} refused: {} {} {} ({} ms)", caller, r.code(), r.getMessage(), r.extra(),
                    millis(started));
            throw r;
        } catch (RuntimeException e) {
            OPS.error("changes batch from {} failed, nothing applied: {} ({} ms)", caller, e.getClass().getSimpleName(),
                    millis(started));
            throw e;
        }
    }

    @Put("/snapshot")
    @Consumes({"application/x-ndjson", "application/json", "text/plain", "application/octet-stream"})
    HttpResponse<byte[]> snapshot(HttpRequest<?> request, @Nullable @QueryValue String municipalityCode,
                                  @Nullable @QueryValue String asOfSeq, @Body InputStream body) {
        Caller caller = Caller.of(request);
        if (municipalityCode == null || !MunicipalityCode.isValid(municipalityCode)) {
            throw new Refusal(ErrorCode.MALFORMED_REQUEST, "municipalityCode query parameter missing or invalid");
        }
        long seq;
        try {
            seq = Long.parseLong(asOfSeq == null ? "" : asOfSeq);
        } catch (NumberFormatException e) {
            throw new Refusal(ErrorCode.MALFORMED_REQUEST, "asOfSeq query parameter missing or invalid");
        }
        if (seq < 0) {
            throw new Refusal(ErrorCode.MALFORMED_REQUEST, "asOfSeq must not be negative");
        }
        long started = System.nanoTime();
        OPS.info("snapshot of {} from {}: receiving", municipalityCode, caller);
        try {
            int residents = replica.loadSnapshot(caller, municipalityCode, seq, body);
            meters.snapshotLive(municipalityCode);
            OPS.info("snapshot of {} from {}: {} residents, appliedThrough {} ({} ms)", municipalityCode, caller,
                    residents, seq, millis(started));
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("municipalityCode", municipalityCode);
            answer.put("appliedThrough", seq);
            answer.put("residents", residents);
            return Answers.ok(answer);
        } catch (Refusal r) {
            OPS.warn("snapshot of {} from {} refused: {} {} {}", municipalityCode, caller, r.code(), r.getMessage(),
                    r.extra());
            throw r;
        } catch (RuntimeException e) {
            OPS.error("snapshot of {} from {} failed, old data still live: {}", municipalityCode, caller,
                    e.getClass().getSimpleName());
            throw e;
        }
    }

    @Get("/status")
    HttpResponse<byte[]> status(HttpRequest<?> request, @Nullable @QueryValue String municipalityCode) {
        Caller caller = Caller.of(request);
        if (municipalityCode != null) {
            return Answers.ok(replica.status(caller, municipalityCode));
        }
        return Answers.ok(replica.status(caller));
    }

    private static long millis(long started) {
        return (System.nanoTime() - started) / 1_000_000;
    }
}
