package jp.kofu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Removes what a test made on disk: embedded databases take hundreds of megabytes each. */
public final class TestFiles {
    private TestFiles() {}

    public static void deleteRecursively(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // a file still held open (a socket, a log) is left; the folder stays then
                }
            });
        } catch (IOException ignored) {
            // nothing more to do
        }
    }
}
