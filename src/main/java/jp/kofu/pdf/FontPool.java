package jp.kofu.pdf;

import org.apache.fontbox.ttf.TTFParser;
import org.apache.fontbox.ttf.TrueTypeFont;
import org.apache.pdfbox.io.RandomAccessReadBuffer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * IPAmj明朝, read once per JVM and parsed into a few {@link TrueTypeFont}s that renderers borrow one at a time
 * (fontbox does not promise that one parsed font is safe to share between threads). A parsed font holds tens of
 * megabytes, so the pool is as large as the machine has cores, not as large as the server has threads.
 */
final class FontPool {
    static final String FONT = "/pdf-templates/fonts/ipamjm.ttf";
    private static final int SIZE = Math.max(2, Runtime.getRuntime().availableProcessors());
    private static FontPool instance;

    private final BlockingQueue<TrueTypeFont> idle = new ArrayBlockingQueue<>(SIZE);

    private FontPool(byte[] bytes) {
        for (int i = 0; i < SIZE; i++) {
            try {
                idle.add(new TTFParser().parse(new RandomAccessReadBuffer(bytes)));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot parse " + FONT, e);
            }
        }
    }

    static synchronized FontPool shared() {
        if (instance == null) {
            try (InputStream in = FontPool.class.getResourceAsStream(FONT)) {
                if (in == null) {
                    throw new IllegalStateException("font missing from the jar: " + FONT);
                }
                instance = new FontPool(in.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + FONT, e);
            }
        }
        return instance;
    }

    TrueTypeFont borrow() {
        try {
            return idle.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a font", e);
        }
    }

    void giveBack(TrueTypeFont font) {
        idle.add(font);
    }
}
