package jp.kofu.audit;

import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

    @Test
    void tellsANullFromAnEmptyValue() {
        List<String> withNull = example();
        List<String> withEmpty = example();
        withEmpty.set(6, "");
        assertNotEquals(ChainEncoding.entryHash(withNull), ChainEncoding.entryHash(withEmpty));
    }

    @Test
    void signsACheckpointAsPlainText() {
        assertEquals("kofu-issuance-log-checkpoint/1\nchain=112038\nday=2026-11-22\nlastSequence=42\nheadHash="
                + ChainEncoding.GENESIS + "\n", new String(ChainEncoding.checkpointBytes("112038",
                LocalDate.of(2026, 11, 22), 42, ChainEncoding.GENESIS), java.nio.charset.StandardCharsets.UTF_8));
    }
}
