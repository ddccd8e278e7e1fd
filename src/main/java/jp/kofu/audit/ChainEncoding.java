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
    /** The checkpoint of one chain and day: written before chains were per node, verified still. */
    static final String CHECKPOINT_FORMAT = "kofu-issuance-log-checkpoint/1";
    /** The checkpoint of one municipality and day, listing every chain of the municipality. */
    static final String DAY_CHECKPOINT_FORMAT = "kofu-issuance-log-checkpoint/2";
    /** What a node's name may be ({@code kofu.node.name}), and so the part of a chain key after the '/'. */
    private static final java.util.regex.Pattern NODE_NAME = java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,39}");
    /** Every column of issuance_log except {@code id} and {@code entry_hash}, in the order they are hashed. */
    static final List<String> COLUMNS = List.of("chain_key", "chain_seq", "prev_hash", "logged_at", "endpoint",
            "result", "code", "municipality_code", "channel", "store_code", "terminal_id", "center_transaction_id",
            "caller", "card_issuer", "card_serial", "requester_id", "printed_ids", "certificate_type", "scope",
            "options", "copies", "page_count", "fee", "issuance_number", "pdf_sha256");
    /** {@code logged_at} as stored (DATETIME(3)), e.g. {@code 2026-11-22T10:15:30.120}. */
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS");

    private ChainEncoding() {}

    /**
     * The chain a node appends a row to: {@code <municipality code>/<node name>}, or {@link #NO_MUNICIPALITY} for a
     * row without a municipality.
     */
    static String chainOf(String municipalityCode, String nodeName) {
        return municipalityCode == null ? NO_MUNICIPALITY : municipalityCode + "/" + nodeName;
    }

    /** The one chain per municipality of the rows written before chains were per node (and of the older rows). */
    static String legacyChainOf(String municipalityCode) {
        return municipalityCode == null ? NO_MUNICIPALITY : municipalityCode;
    }

    /** The municipality a chain key belongs to: the part before the '/', or the whole key of the older form. */
    static String municipalityOf(String chainKey) {
        int slash = chainKey.indexOf('/');
        return slash < 0 ? chainKey : chainKey.substring(0, slash);
    }

    /** Whether a row of {@code municipalityCode} (null: none) belongs in chain {@code chainKey}. */
    static boolean belongsTo(String chainKey, String municipalityCode) {
        return municipalityOf(chainKey).equals(legacyChainOf(municipalityCode))
                && !(municipalityCode == null && chainKey.contains("/"));
    }

    /** Whether Kofu writes chains so named: the municipality code alone (older) or followed by '/' and a node name. */
    static boolean wellFormed(String chainKey) {
        int slash = chainKey.indexOf('/');
        return slash < 0 || (slash > 0 && NODE_NAME.matcher(chainKey.substring(slash + 1)).matches());
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

    /**
     * The text a day's checkpoint signs: every chain of the municipality with its last sequence number and hash at
     * the end of the day, in byte order of the chain keys (the keys are ASCII, so String order is byte order).
     */
    static byte[] dayCheckpointBytes(String municipality, LocalDate day,
                                     java.util.SortedMap<String, IssuanceLog.Head> chains) {
        StringBuilder text = new StringBuilder(DAY_CHECKPOINT_FORMAT).append("\nmunicipality=").append(municipality)
                .append("\nday=").append(day).append('\n');
        chains.forEach((chain, head) -> text.append("chain=").append(chain).append(" lastSequence=")
                .append(head.lastSeq()).append(" headHash=").append(head.lastHash()).append('\n'));
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A day's checkpoint as its signed text says. */
    record DayCheckpoint(String municipality, LocalDate day, java.util.SortedMap<String, IssuanceLog.Head> chains) {}

    private static final java.util.regex.Pattern CHAIN_LINE =
            java.util.regex.Pattern.compile("chain=([^ \n]+) lastSequence=(0|[1-9][0-9]{0,18}) headHash=([0-9a-f]{64})");

    /**
     * Reads the signed text of a day's checkpoint; empty unless it is exactly what {@link #dayCheckpointBytes}
     * writes (so that what is checked is what was signed, byte for byte).
     */
    static java.util.Optional<DayCheckpoint> parseDayCheckpoint(byte[] body) {
        try {
            String text = new String(body, StandardCharsets.UTF_8);
            if (!text.endsWith("\n")) {
                return java.util.Optional.empty();
            }
            String[] lines = text.substring(0, text.length() - 1).split("\n", -1);
            if (lines.length < 3 || !lines[0].equals(DAY_CHECKPOINT_FORMAT) || !lines[1].startsWith("municipality=")
                    || !lines[2].startsWith("day=")) {
                return java.util.Optional.empty();
            }
            String municipality = lines[1].substring("municipality=".length());
            LocalDate day = LocalDate.parse(lines[2].substring("day=".length()));
            java.util.SortedMap<String, IssuanceLog.Head> chains = new java.util.TreeMap<>();
            for (int i = 3; i < lines.length; i++) {
                java.util.regex.Matcher m = CHAIN_LINE.matcher(lines[i]);
                if (!m.matches() || chains.put(m.group(1), new IssuanceLog.Head(Long.parseLong(m.group(2)),
                        m.group(3))) != null) {
                    return java.util.Optional.empty();
                }
            }
            DayCheckpoint parsed = new DayCheckpoint(municipality, day, chains);
            return java.util.Arrays.equals(body, dayCheckpointBytes(municipality, day, chains))
                    ? java.util.Optional.of(parsed) : java.util.Optional.empty();
        } catch (RuntimeException e) {
            return java.util.Optional.empty();
        }
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
