package jp.kofu.replica;

import jp.kofu.http.ErrorCode;
import jp.kofu.http.Refusal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Reads an NDJSON body line by line without holding it whole: at most {@link #MAX_BYTES} in all,
 * {@link #MAX_EVENTS} events and {@link #MAX_LINE} bytes a line. Blank lines are skipped but counted.
 */
final class NdjsonLines {
    static final long MAX_BYTES = 64L * 1024 * 1024;
    static final int MAX_EVENTS = 100_000;
    static final int MAX_LINE = 1024 * 1024;

    private final InputStream in;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(1024);
    private long total;
    private int lineNumber;
    private int events;

    NdjsonLines(InputStream in) {
        this.in = in;
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
                    if (++total > MAX_BYTES) {
                        throw new Refusal(ErrorCode.PAYLOAD_TOO_LARGE, "batch over 64 MiB");
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
                if (++events > MAX_EVENTS) {
                    throw new Refusal(ErrorCode.PAYLOAD_TOO_LARGE, "batch over 100,000 events");
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
