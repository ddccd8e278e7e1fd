package jp.kofu.audit;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** The canonical encoding gives the hashes of the worked example in docs/issuance-log.md (computed by its Python). */
final class ChainEncodingTest {
    static List<String> example() {
        return new ArrayList<>(Arrays.asList("112038", "1", ChainEncoding.GENESIS, "2026-11-22T10:15:30.120",
                "ISSUANCE", "ISSUED", null, "112038", "CONVENIENCE_STORE", "SEJ-0012345", "SEJ-0012345-01",
                "C-20261122-000001", "CN=Center,O=J-LIS,C=JP #1a2b", "cn=jpki test ca,c=jp", "1a2b3c", "R0000001",
                "R0000001,R0000002", "JUMINHYO", "HOUSEHOLD_ALL", "includeHouseholder,includeRelationship", "1", "1",
                "200", "112038-20261122-000042", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
    }

    @Test
    void hashesTheDocumentedExample() {
        List<String> first = example();
        String firstHash = ChainEncoding.entryHash(first);
        assertEquals("d1a243043b0f114c069d03736aa3212b32fce3a15341d98a219afa8157e830d6", firstHash);

        List<String> second = example();
        second.set(1, "2");
        second.set(2, firstHash);
        second.set(4, "COMPLETION");
        second.set(5, "VOIDED");
        second.set(6, "PAPER_JAM");
        assertEquals("7d2173e21498e814642a538bb2474ae9cfc99a7937446145b278e7ac6353ce35",
                ChainEncoding.entryHash(second));
    }

    /** The same rows in the chains of two nodes (docs/issuance-log.md, the worked example). */
    @Test
    void hashesTheDocumentedRowsOfTwoNodes() {
        List<String> a1 = example();
        a1.set(0, ChainEncoding.chainOf("112038", "kofu-a"));
        assertEquals("112038/kofu-a", a1.get(0));
        String a1Hash = ChainEncoding.entryHash(a1);
        assertEquals("b7fbf2130ab238549438fcf0fcbd3b8da131433c4453432e5e3d77f5ef143bf1", a1Hash);

        List<String> a2 = new ArrayList<>(a1);
        a2.set(1, "2");
        a2.set(2, a1Hash);
        a2.set(4, "COMPLETION");
        a2.set(5, "VOIDED");
        a2.set(6, "PAPER_JAM");
        assertEquals("8089c2b542ac24821f520cad2dac6ad0af0566b3b65d7cd959b0ded552f721de", ChainEncoding.entryHash(a2));

        List<String> b1 = example();
        b1.set(0, ChainEncoding.chainOf("112038", "kofu-b"));
        b1.set(3, "2026-11-22T10:16:02.005");
        b1.set(11, "C-20261122-000002");
        b1.set(23, "112038-20261122-000043");
        assertEquals("af9bf9be70f4f3adbc43e7aafab6a4e19b7c99b696b041dff7ab4f895e898aad", ChainEncoding.entryHash(b1));
    }

    @Test
    void namesChainsByMunicipalityAndNode() {
        assertEquals("-", ChainEncoding.chainOf(null, "kofu-a"));
        assertEquals("112038", ChainEncoding.municipalityOf("112038"));
        assertEquals("112038", ChainEncoding.municipalityOf("112038/kofu-a"));
        assertTrue(ChainEncoding.belongsTo("112038/kofu-a", "112038"));
        assertTrue(ChainEncoding.belongsTo("112038", "112038"));
        assertTrue(ChainEncoding.belongsTo("-", null));
        assertFalse(ChainEncoding.belongsTo("112038/kofu-a", "131016"));
        assertFalse(ChainEncoding.belongsTo("-/kofu-a", null));
        assertTrue(ChainEncoding.wellFormed("112038/kofu-a.example_1"));
        assertFalse(ChainEncoding.wellFormed("112038/"));
        assertFalse(ChainEncoding.wellFormed("112038/kofu a"));
        assertFalse(ChainEncoding.wellFormed("112038/kofu-a\nchain=x"));
    }

    @Test
    void signsADayCheckpointListingEveryChain() {
        SortedMap<String, IssuanceLog.Head> chains = new TreeMap<>();
        chains.put("112038/kofu-b", new IssuanceLog.Head(1,
                "af9bf9be70f4f3adbc43e7aafab6a4e19b7c99b696b041dff7ab4f895e898aad"));
        chains.put("112038/kofu-a", new IssuanceLog.Head(2,
                "8089c2b542ac24821f520cad2dac6ad0af0566b3b65d7cd959b0ded552f721de"));
        chains.put("112038", new IssuanceLog.Head(2,
                "7d2173e21498e814642a538bb2474ae9cfc99a7937446145b278e7ac6353ce35"));
        byte[] body = ChainEncoding.dayCheckpointBytes("112038", LocalDate.of(2026, 11, 22), chains);
        String text = """
                kofu-issuance-log-checkpoint/2
                municipality=112038
                day=2026-11-22
                chain=112038 lastSequence=2 headHash=7d2173e21498e814642a538bb2474ae9cfc99a7937446145b278e7ac6353ce35
                chain=112038/kofu-a lastSequence=2 headHash=8089c2b542ac24821f520cad2dac6ad0af0566b3b65d7cd959b0ded552f721de
                chain=112038/kofu-b lastSequence=1 headHash=af9bf9be70f4f3adbc43e7aafab6a4e19b7c99b696b041dff7ab4f895e898aad
                """;
        assertEquals(text, new String(body, StandardCharsets.UTF_8));

        ChainEncoding.DayCheckpoint parsed = ChainEncoding.parseDayCheckpoint(body).orElseThrow();
        assertEquals("112038", parsed.municipality());
        assertEquals(LocalDate.of(2026, 11, 22), parsed.day());
        assertEquals(chains, parsed.chains());
        // Only the exact text is read: no other order, spacing or ending.
        assertTrue(ChainEncoding.parseDayCheckpoint(text.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8))
                .isEmpty());
        assertTrue(ChainEncoding.parseDayCheckpoint(text.strip().getBytes(StandardCharsets.UTF_8)).isEmpty());
        String swapped = text.replace("chain=112038/kofu-a", "chain=112038/kofu-x")
                .replace("chain=112038/kofu-b", "chain=112038/kofu-a").replace("chain=112038/kofu-x",
                        "chain=112038/kofu-b");
        assertTrue(ChainEncoding.parseDayCheckpoint(swapped.getBytes(StandardCharsets.UTF_8)).isEmpty(),
                "the chains in byte order of their keys");
    }

    @Test
    void tellsANullFromAnEmptyValue() {
        List<String> withNull = example();
        List<String> withEmpty = example();
        withEmpty.set(6, "");
        assertNotEquals(ChainEncoding.entryHash(withNull), ChainEncoding.entryHash(withEmpty));
    }

    @Test
    void signsACheckpointOfTheOlderFormAsPlainText() {
        assertEquals("kofu-issuance-log-checkpoint/1\nchain=112038\nday=2026-11-22\nlastSequence=42\nheadHash="
                + ChainEncoding.GENESIS + "\n", new String(ChainEncoding.checkpointBytes("112038",
                LocalDate.of(2026, 11, 22), 42, ChainEncoding.GENESIS), java.nio.charset.StandardCharsets.UTF_8));
    }
}
