package jp.kofu;

import jp.kofu.client.CenterClient;
import jp.kofu.pki.DevPki;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/** The packaged service ({@code target/kofu.jar}) run as its own process, as an operator runs it. */
public final class ServiceProcess implements AutoCloseable {
    public static final Path JAR = Path.of("target/kofu.jar").toAbsolutePath();

    private final Path dataDir;
    private final int port;
    private final Path log;
    private Process process;

    private boolean ownsDataDir;

    public ServiceProcess(Path dataDir) throws IOException {
        this.dataDir = dataDir;
        this.port = freePort();
        this.log = dataDir.resolve("service-" + port + ".log");
    }

    /**
     * A service on a fresh data folder under target/ (a folder under java.io.tmpdir is refused for the embedded
     * database), removed again when the service is closed.
     */
    public static ServiceProcess onNewDataDir(String name) throws IOException {
        ServiceProcess service = new ServiceProcess(
                Files.createTempDirectory(Files.createDirectories(Path.of("target")), name).toAbsolutePath());
        service.ownsDataDir = true;
        return service;
    }

    public void start() throws Exception {
        Files.deleteIfExists(log);
        java.util.List<String> command = new java.util.ArrayList<>(java());
        command.addAll(java.util.List.of("-Xmx1g", "-Dkofu.data-dir=" + dataDir, "-Dkofu.https.port=" + port,
                "-Dkofu.management.port=" + TestNode.freePort(), "-jar",
                JAR.toString()));
        process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("service exited: " + log());
            }
            if (Files.exists(log) && log().contains("Startup completed")) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("service did not start in 120 s: " + log());
    }

    public String log() throws IOException {
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    }

    /** SIGTERM, and wait for a clean stop. */
    public boolean stop() throws InterruptedException {
        process.destroy();
        return process.waitFor(60, TimeUnit.SECONDS);
    }

    /** SIGKILL: no shutdown hook runs. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return dataDir;
    }

    public URI uri() {
        return URI.create("https://localhost:" + port + "/");
    }

    public CenterClient sync() {
        DevPki pki = DevPki.open(dataDir.resolve("dev-pki"), Clock.systemUTC());
        return new CenterClient(uri(), pki.syncClientKeystore(), pki.password(), pki.tlsCa());
    }

    /**
     * The command that starts a Kofu JVM like this one, with the same java.io.tmpdir (the build's target/tmp), so
     * that data folders under target/ are never under the child's temporary folder.
     */
    public static java.util.List<String> java() {
        return java.util.List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Stops the service if it runs, and removes its data folder (an embedded database is large). */
    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            stop();
        }
        if (ownsDataDir) {
            TestFiles.deleteRecursively(dataDir);
        }
    }
}
