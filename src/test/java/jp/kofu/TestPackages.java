package jp.kofu;

import java.io.IOException;
import java.nio.file.Path;

/** Installs the Debian packages that tests drive as real parts (Chromium, SoftHSM) when they are missing. */
public final class TestPackages {
    private static boolean done;

    private TestPackages() {}

    /** Runs {@code .ci/install-test-packages} once per test JVM. */
    public static synchronized void install() throws IOException {
        if (done) {
            return;
        }
        try {
            Process install = new ProcessBuilder("bash",
                    Path.of(".ci/install-test-packages").toAbsolutePath().toString()).inheritIO().start();
            if (install.waitFor() != 0) {
                throw new IOException(".ci/install-test-packages could not install the packages the tests need");
            }
            done = true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while installing test packages", e);
        }
    }
}
