package jp.kofu.replica;

import jp.kofu.contract.ErrorCode;
import jp.kofu.contract.Refusal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Set;

/**
 * A sync body read whole from the socket before anything is applied, so that a sender, however slow, never holds a
 * transaction or a replica lock while it sends. Small bodies stay in memory; a larger one goes to a file in
 * {@code <data-dir>/run/spool} that is unlinked as soon as it is opened (owner-only while it has a name), so a crash
 * leaves no resident data on disk. Bounded: a body over {@code maxBytes} is {@code PAYLOAD_TOO_LARGE}, read no further.
 */
final class Spool implements AutoCloseable {
    private static final int IN_MEMORY = 1 << 20;

    private byte[] memory;
    private int memoryLength;
    private FileChannel file;
    private long size;

    private Spool() {}

    static Spool of(InputStream in, long maxBytes, Path dir) {
        Spool spool = new Spool();
        try (in) {
            spool.read(in, maxBytes, dir);
            return spool;
        } catch (IOException e) {
            spool.close();
            throw new UncheckedIOException("sync body could not be read", e);
        } catch (RuntimeException e) {
            spool.close();
            throw e;
        }
    }

    private void read(InputStream in, long maxBytes, Path dir) throws IOException {
        memory = new byte[8192];
        byte[] chunk = new byte[65536];
        for (int n = in.read(chunk); n != -1; n = in.read(chunk)) {
            size += n;
            if (size > maxBytes) {
                throw new Refusal(ErrorCode.PAYLOAD_TOO_LARGE, "body over " + maxBytes + " bytes");
            }
            if (file == null && memoryLength + n <= IN_MEMORY) {
                if (memoryLength + n > memory.length) {
                    memory = Arrays.copyOf(memory, Math.max(memory.length * 2, memoryLength + n));
                }
                System.arraycopy(chunk, 0, memory, memoryLength, n);
                memoryLength += n;
                continue;
            }
            if (file == null) {
                file = unlinkedFile(dir);
                writeFully(ByteBuffer.wrap(memory, 0, memoryLength));
                memory = null;
            }
            writeFully(ByteBuffer.wrap(chunk, 0, n));
        }
    }

    private static FileChannel unlinkedFile(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path name = Files.createTempFile(dir, "sync-", ".ndjson",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            return FileChannel.open(name, Set.of(StandardOpenOption.READ, StandardOpenOption.WRITE));
        } finally {
            Files.deleteIfExists(name);
        }
    }

    private void writeFully(ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            file.write(buffer);
        }
    }

    /** The body, from its first byte. */
    InputStream open() {
        if (file == null) {
            return new ByteArrayInputStream(memory, 0, memoryLength);
        }
        try {
            file.position(0);
        } catch (IOException e) {
            throw new UncheckedIOException("spooled sync body could not be read", e);
        }
        return Channels.newInputStream(file);
    }

    long size() {
        return size;
    }

    @Override
    public void close() {
        memory = null;
        if (file != null) {
            try {
                file.close();
            } catch (IOException ignored) {
                // the file has no name any more; closing frees its blocks
            }
            file = null;
        }
    }
}
