package jp.kofu.replica;

import jp.kofu.contract.ErrorCode;
import jp.kofu.contract.Refusal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Reads an NDJSON body line by line without holding it whole, within limits of size and count (a change batch:
 * 64 MiB and 100,000 events; a snapshot: a whole municipality). Lines are at most {@link #MAX_LINE} bytes. Blank
 * lines are skipped but counted.
 */
final class NdjsonLines {
    static final long BATCH_BYTES = 64L * 1024 * 1024;
    static final int BATCH_EVENTS = 100_000;
    static final long SNAPSHOT_BYTES = 8L * 1024 * 1024 * 1024;
    static final int SNAPSHOT_EVENTS = 10_000_000;
    static final int MAX_LINE = 1024 * 1024;

    private final InputStream in;
    private final long maxBytes;
    private final int maxEvents;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(1024);
    private long total;
    private int lineNumber;
    private int events;

    private NdjsonLines(InputStream in, long maxBytes, int maxEvents) {
        this.in = in;
        this.maxBytes = maxBytes;
        this.maxEvents = maxEvents;
    }

    static NdjsonLines batch(InputStream in) {
        return new NdjsonLines(in, BATCH_BYTES, BATCH_EVENTS);
    }

    static NdjsonLines snapshot(InputStream in) {
        return new NdjsonLines(in, SNAPSHOT_BYTES, SNAPSHOT_EVENTS);
    }

    /** The next non-blank line, or {@code null} at the end. */
    byte[] next() {
        try {
            while (true) {
                line.reset();
                int b;
                boolean any = false;
                while ((b = in.read()) != -1) {
                    any = true;
                    if (++total > maxBytes) {
                        throw new Refusal(ErrorCode.PAYLOAD_TOO_LARGE, "body over " + maxBytes + " bytes");
                    }
                    if (b == '\n') {
                        break;
                    }
                    if (line.size() >= MAX_LINE) {
                        throw new Refusal(ErrorCode.MALFORMED_REQUEST, "line over 1 MiB",
                                Map.of("line", lineNumber + 1));
                    }
                    line.write(b);
                }
                if (!any) {
                    return null;
                }
                lineNumber++;
                if (isBlank()) {
                    continue;
                }
                if (++events > maxEvents) {
                    throw new Refusal(ErrorCode.PAYLOAD_TOO_LARGE, "over " + maxEvents + " events");
                }
                return line.toByteArray();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("request body could not be read", e);
        }
    }

    private boolean isBlank() {
        byte[] bytes = line.toByteArray();
        for (byte b : bytes) {
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return true;
    }

    int lineNumber() {
        return lineNumber;
    }

    int events() {
        return events;
    }
}
