package jp.kofu.issuance;

import jp.kofu.Mutations;
import jp.kofu.TestNode;
import jp.kofu.client.CenterClient;
import jp.kofu.client.CenterRequests;
import jp.kofu.demo.DemoResidents;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Damaged issuance and sync bodies over real mTLS: every answer is one of the contract's refusals (never a 5xx
 * while the database is up), and an issuance is recorded exactly when the answer is 200.
 */
class HttpFuzzTest {
    private static final Set<Integer> REFUSALS = Set.of(400, 403, 404, 409, 413, 422, 429);
    private static TestNode node;
    private static CenterClient center;
    private static CenterClient sync;
    private static String body;

    @BeforeContainer
    static void start() {
        node = TestNode.start();
        center = node.center();
        sync = node.sync();
        body = new String(CenterRequests.issuanceBody("F-1", "SEJ-0012345", CenterRequests.sign(
                node.card(DemoResidents.FAMILY_HEAD), CenterRequests.payload("112038", "SELF",
                        OffsetDateTime.now().plusSeconds(120)))), StandardCharsets.UTF_8);
    }

    @AfterContainer
    static void stop() {
        node.close();
    }

    @Provide
    Arbitrary<String> damagedIssuance() {
        return Mutations.of(body);
    }

    @Provide
    Arbitrary<String> damagedBatch() {
        return Mutations.of("{\"seq\":1,\"type\":\"ISSUANCE_BLOCK\",\"municipalityCode\":\"112038\","
                + "\"residentId\":\"R0000099\",\"active\":false}\n");
    }

    @Property(tries = 400)
    void issuanceAnswersOnlyContractRefusals(@ForAll("damagedIssuance") String damaged) throws Exception {
        long before = issued();
        CenterClient.Response r = center.post("/center/v1/issuances", damaged.getBytes(StandardCharsets.UTF_8),
                "application/json");
        assertTrue(r.status() == 200 || REFUSALS.contains(r.status()), r.status() + " " + r.text());
        long after = issued();
        if (r.status() == 200) {
            assertTrue(after == before || after == before + 1, "at most one issuance (or a retry's same answer)");
        } else {
            assertEquals(before, after, "a refusal issues nothing");
        }
    }

    @Property(tries = 200)
    void syncAnswersOnlyContractRefusals(@ForAll("damagedBatch") String damaged) throws Exception {
        CenterClient.Response r = sync.post("/sync/v1/changes", damaged.getBytes(StandardCharsets.UTF_8),
                "application/x-ndjson");
        assertTrue(r.status() == 200 || REFUSALS.contains(r.status()), r.status() + " " + r.text());
    }

    private static long issued() {
        return node.count("SELECT COUNT(*) FROM issuance");
    }
}
