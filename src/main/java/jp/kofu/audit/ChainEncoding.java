package jp.kofu.audit;

import jp.kofu.contract.Sha256;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * The canonical bytes of a log row and of a checkpoint, as {@code docs/issuance-log.md} specifies them so that an
 * independent script can recompute every hash: each field in {@link #COLUMNS} order, NULL as the byte 0x00, any
 * other value as 0x01, its UTF-8 length as 4 bytes big-endian, and its UTF-8 bytes.
 */
final class ChainEncoding {
    /** The hash before the first row of every chain. */
    static final String GENESIS = "0".repeat(64);
    /** The chain of the rows without a municipality (callers refused before their request was read). */
    static final String NO_MUNICIPALITY = "-";
    static final String ENTRY_FORMAT = "kofu-issuance-log/1";
    static final String CHECKPOINT_FORMAT = "kofu-issuance-log-checkpoint/1";
    /** Every column of issuance_log except {@code id} and {@code entry_hash}, in the order they are hashed. */
    static final List<String> COLUMNS = List.of("chain_key", "chain_seq", "prev_hash", "logged_at", "endpoint",
            "result", "code", "municipality_code", "channel", "store_code", "terminal_id", "center_transaction_id",
            "caller", "card_issuer", "card_serial", "requester_id", "printed_ids", "certificate_type", "scope",
            "options", "copies", "page_count", "fee", "issuance_number", "pdf_sha256");
    /** {@code logged_at} as stored (DATETIME(3)), e.g. {@code 2026-11-22T10:15:30.120}. */
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS");

    private ChainEncoding() {}

    static String chainOf(String municipalityCode) {
        return municipalityCode == null ? NO_MUNICIPALITY : municipalityCode;
    }

    /** The hex SHA-256 of a row whose {@link #COLUMNS} values are {@code values} (text; numbers in decimal). */
    static String entryHash(List<String> values) {
        if (values.size() != COLUMNS.size()) {
            throw new IllegalArgumentException("a row has " + COLUMNS.size() + " hashed columns");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        field(out, ENTRY_FORMAT);
        for (String v : values) {
            field(out, v);
        }
        return sha256(out.toByteArray());
    }

    /** The bytes a checkpoint signs. */
    static byte[] checkpointBytes(String chain, LocalDate day, long lastSeq, String headHash) {
        return (CHECKPOINT_FORMAT + "\nchain=" + chain + "\nday=" + day + "\nlastSequence=" + lastSeq
                + "\nheadHash=" + headHash + "\n").getBytes(StandardCharsets.UTF_8);
    }

    static String time(LocalDateTime storedLoggedAt) {
        return storedLoggedAt == null ? null : TIME.format(storedLoggedAt);
    }

    private static void field(ByteArrayOutputStream out, String value) {
        if (value == null) {
            out.write(0);
            return;
        }
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        out.write(1);
        out.write(bytes.length >>> 24);
        out.write(bytes.length >>> 16);
        out.write(bytes.length >>> 8);
        out.write(bytes.length);
        out.writeBytes(bytes);
    }

    static String sha256(byte[] bytes) {
        return Sha256.hex(bytes);
    }
}
