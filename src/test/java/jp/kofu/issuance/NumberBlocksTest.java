package jp.kofu.issuance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jp.kofu.TestNode;
import jp.kofu.client.CenterClient;
import jp.kofu.client.CenterRequests;
import jp.kofu.contract.IssuanceNumber;
import jp.kofu.contract.Json;
import jp.kofu.db.Database;
import jp.kofu.demo.DemoResidents;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 発行番号 from blocks that each node reserves: two nodes on one database draw distinct numbers, each from its own
 * blocks, the copies of one issuance consecutive, and the block log names every reservation and its node.
 */
final class NumberBlocksTest {
    private static final String CITY = "112038";
    private static TestNode a;
    private static TestNode b;

    @BeforeAll
    static void start() {
        a = TestNode.start(Map.of("kofu.node.name", "kofu-a"), null);
        b = a.sibling(Map.of("kofu.node.name", "kofu-b"), null);
    }

    @AfterAll
    static void stop() {
        TestNode.closeAll(b, a);
    }

    private record Block(int first, int last, String node) {
        boolean holds(int sequence) {
            return first <= sequence && sequence <= last;
        }
    }

    private record Drawn(String node, List<String> numbers) {}

    @Test
    void twoNodesIssuingAtOnceDrawDistinctConsecutiveNumbersFromTheirOwnBlocks() throws Exception {
        LocalDate day = LocalDate.of(2026, 11, 24);
        IssuanceNumbers onA = a.context().getBean(IssuanceNumbers.class);
        IssuanceNumbers onB = b.context().getBean(IssuanceNumbers.class);
        ExecutorService threads = Executors.newFixedThreadPool(8);
        List<Future<List<Drawn>>> futures = new ArrayList<>();
        try {
            for (int t = 0; t < 8; t++) {
                boolean nodeA = t % 2 == 0;
                IssuanceNumbers numbers = nodeA ? onA : onB;
                int seed = t;
                Callable<List<Drawn>> work = () -> {
                    List<Drawn> drawn = new ArrayList<>();
                    for (int i = 0; i < 40; i++) {
                        int copies = (i + seed) % 7 == 0 ? IssuanceNumber.MAX_COPIES : 1 + (i + seed) % 3;
                        drawn.add(new Drawn(nodeA ? "kofu-a" : "kofu-b", numbers.next(CITY, day, copies)));
                    }
                    return drawn;
                };
                futures.add(threads.submit(work));
            }
            List<Drawn> all = new ArrayList<>();
            for (Future<List<Drawn>> f : futures) {
                all.addAll(f.get());
            }

            List<Block> blocks = blocks(day);
            Set<String> seen = new HashSet<>();
            int total = 0;
            for (Drawn d : all) {
                IssuanceNumber first = IssuanceNumber.parse(d.numbers().get(0)).orElseThrow();
                assertEquals(first.copies(d.numbers().size()).stream().map(IssuanceNumber::toString).toList(),
                        d.numbers(), "the copies of one issuance have consecutive numbers");
                Block block = blocks.stream().filter(bl -> bl.holds(first.sequence())).findFirst().orElseThrow();
                assertTrue(block.holds(first.sequence() + d.numbers().size() - 1), "all copies from one block");
                assertEquals(d.node(), block.node(), "a node hands out only numbers of its own blocks: " + d);
                for (String n : d.numbers()) {
                    assertTrue(seen.add(n), "drawn twice: " + n);
                }
                total += d.numbers().size();
            }
            assertEquals(total, seen.size());

            // The block log: consecutive blocks from 1 (no number reserved twice), 50 each, held by both nodes.
            int expectedFirst = 1;
            Set<String> holders = new HashSet<>();
            for (Block block : blocks) {
                assertEquals(expectedFirst, block.first(), "blocks follow each other: " + blocks);
                assertEquals(IssuanceNumbers.BLOCK, block.last() - block.first() + 1);
                holders.add(block.node());
                expectedFirst = block.last() + 1;
            }
            assertEquals(Set.of("kofu-a", "kofu-b"), holders);
            assertEquals(expectedFirst - 1, a.count("SELECT last_value FROM issuance_counter WHERE municipality_code = '"
                    + CITY + "' AND issue_date = '2026-11-24'"), "the counter stands at the last block's end");
            // Far fewer reservations than issuances: the counter row is written once per block.
            assertTrue(blocks.size() < all.size() / 4, blocks.size() + " blocks for " + all.size() + " issuances");
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void oneNodeCountsFromOneAndANewBlockWhenTheRestIsTooShort() {
        LocalDate day = LocalDate.of(2026, 11, 25);
        IssuanceNumbers numbers = a.context().getBean(IssuanceNumbers.class);
        assertEquals(List.of(CITY + "-20261125-000001"), numbers.next(CITY, day, 1));
        assertEquals(List.of(CITY + "-20261125-000002"), numbers.next(CITY, day, 1));
        for (int i = 0; i < 42; i++) {
            numbers.next(CITY, day, 1);
        }
        // 44 drawn, 6 left in the block: 10 copies abandon them for a new block 51–100.
        assertEquals(CITY + "-20261125-000051", numbers.next(CITY, day, 10).get(0));
        assertEquals(CITY + "-20261125-000061", numbers.next(CITY, day, 1).get(0));
        // A new day starts a new block at 1.
        assertEquals(List.of(CITY + "-20261126-000001", CITY + "-20261126-000002"),
                numbers.next(CITY, day.plusDays(1), 2));
        assertEquals(List.of(new Block(1, 50, "kofu-a"), new Block(51, 100, "kofu-a")), blocks(day));
    }

    @Test
    void anIssuanceOnTheOtherNodeTakesItsNumbersFromThatNodesBlock() throws Exception {
        JsonNode first = issue(a, "NB-1", 1);
        JsonNode second = issue(b, "NB-2", 3);
        IssuanceNumber onA = IssuanceNumber.parse(first.get("issuanceNumber").asText()).orElseThrow();
        IssuanceNumber onB = IssuanceNumber.parse(second.get("issuanceNumber").asText()).orElseThrow();
        if (!onA.day().equals(onB.day())) {
            return; // midnight in Tokyo between the two: each is the first of its day, nothing more to see
        }
        assertEquals(1, onA.sequence(), "the first number of the day");
        assertEquals(IssuanceNumbers.BLOCK + 1, onB.sequence(), "node B's first block follows node A's");
        JsonNode copies = second.get("issuanceNumbers");
        assertEquals(3, copies.size(), second.toString());
        for (int k = 0; k < 3; k++) {
            assertEquals(onB.plus(k).toString(), copies.get(k).asText(), "consecutive numbers of B's block");
        }
        assertEquals(2, a.count("SELECT COUNT(*) FROM issuance WHERE issuance_number IN ('" + onA + "', '"
                + onB + "')"), "both issuances recorded");
    }

    private static JsonNode issue(TestNode node, String transaction, int copies) throws Exception {
        ObjectNode payload = CenterRequests.payload(CITY, "SELF", OffsetDateTime.now());
        payload.put("copies", copies);
        CenterClient.Response r = node.center().post("/center/v1/issuances", CenterRequests.issuanceBody(transaction,
                "SEJ-0012345", CenterRequests.sign(node.card(DemoResidents.SPOUSE), payload)), "application/json");
        assertEquals(200, r.status(), r.text());
        return Json.MAPPER.readTree(r.body());
    }

    private static List<Block> blocks(LocalDate day) {
        return a.context().getBean(Database.class).withConnection(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT first_value, last_value, node_name"
                    + " FROM number_block_log WHERE municipality_code = ? AND issue_date = ? ORDER BY first_value")) {
                s.setString(1, CITY);
                s.setDate(2, Date.valueOf(day));
                List<Block> blocks = new ArrayList<>();
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        blocks.add(new Block(rs.getInt(1), rs.getInt(2), rs.getString(3)));
                    }
                }
                return blocks;
            }
        });
    }
}
