package jp.kofu;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import jp.kofu.card.SoftwareCard;
import jp.kofu.client.CenterClient;
import jp.kofu.db.DbAccount;
import jp.kofu.pki.DevPki;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * A Kofu node started in-process on a random HTTPS port, with its own data folder (dev PKI, demo residents) and
 * its own database in the shared test MariaDB. Talk to it only over real HTTPS with mutual TLS.
 */
public final class TestNode implements AutoCloseable {
    private static final java.util.concurrent.atomic.AtomicInteger NODE_NAMES = new java.util.concurrent.atomic.AtomicInteger();
    /** The property of the mTLS listener's port (application.yml); -1: a random free port. */
    public static final String HTTPS_PORT = "micronaut.server.netty.listeners.https.port";
    private final ApplicationContext context;
    private final EmbeddedServer server;
    private final Path dataDir;
    private final DevPki pki;
    private final String dbUrl;
    private final boolean ownsDataDir;
    private final DbAccount admin;
    private final DbAccount app;
    private final int managementPort;
    private final int httpsPort;

    private TestNode(Map<String, Object> extra, Clock clock, String dbUrl, Path dataDir, boolean ownsDataDir) {
        this(extra, clock, dbUrl, TestDatabase.admin(), TestDatabase.app(), dataDir, ownsDataDir);
    }

    private TestNode(Map<String, Object> extra, Clock clock, String dbUrl, DbAccount admin, DbAccount app,
                     Path dataDir, boolean ownsDataDir) {
        this.ownsDataDir = ownsDataDir;
        this.dataDir = dataDir;
        this.dbUrl = dbUrl;
        this.admin = admin;
        this.app = app;
        Map<String, Object> props = new HashMap<>();
        props.put("kofu.data-dir", dataDir.toString());
        props.put("kofu.db.url", dbUrl);
        // As in production: Flyway and the grants as the admin, the pool as the application account.
        props.put("kofu.db.user", app.user());
        props.put("kofu.db.password", app.password());
        props.put("kofu.db.admin-user", admin.user());
        props.put("kofu.db.admin-password", admin.password());
        props.put(HTTPS_PORT, -1);
        // A port of its own (not random: the management routes are bound to the configured port number).
        props.put("kofu.management.port", freePort());
        // Test nodes take their keys from the development PKI, with a municipalities file too.
        props.put("kofu.dev-pki", true);
        // Tests send many requests with one demo card; RateLimitTest sets real limits.
        props.put("kofu.limits.per-terminal-per-minute", 1_000_000);
        props.put("kofu.limits.per-card-per-minute", 1_000_000);
        props.put("kofu.node.name", "test-node-" + NODE_NAMES.incrementAndGet());
        props.putAll(extra);
        var builder = ApplicationContext.builder().properties(props).eagerInitSingletons(true);
        if (clock != null) {
            builder.singletons(clock);
        }
        context = builder.start();
        server = context.getBean(EmbeddedServer.class).start();
        managementPort = context.getBean(jp.kofu.ops.ManagementSettings.class).port();
        httpsPort = ((io.micronaut.http.server.netty.NettyEmbeddedServer) server).getBoundPorts().stream()
                .filter(p -> p != managementPort).findFirst().orElseThrow();
        pki = DevPki.open(dataDir.resolve("dev-pki"), clock == null ? Clock.systemUTC() : clock);
    }

    public static TestNode start() {
        return start(Map.of(), null);
    }

    public static TestNode start(Map<String, Object> extra, Clock clock) {
        try {
            return new TestNode(extra, clock, TestDatabase.newDatabase(), Files.createTempDirectory("kofu-node"), true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A node on a database of another server (for instance a Galera cluster, {@code jp.kofu.cluster.GaleraCluster})
     * instead of the shared embedded test database: its own data folder, {@code dbUrl} (any Connector/J form) and
     * the given accounts. The database must exist; the node migrates it as {@code admin}.
     */
    public static TestNode startOn(String dbUrl, DbAccount admin, DbAccount app, Map<String, Object> extra,
                                   Clock clock) {
        try {
            return new TestNode(extra, clock, dbUrl, admin, app, Files.createTempDirectory("kofu-node"), true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A second node on the same database and keys, as on an ASP cluster. */
    public TestNode sibling(Map<String, Object> extra, Clock clock) {
        return new TestNode(extra, clock, dbUrl, admin, app, dataDir, false);
    }

    /**
     * A second node on the same keys (data folder, dev PKI) and accounts, reaching the same database through
     * another URL: on a Galera cluster, for instance, a sequential URL that starts at another database node.
     */
    public TestNode sibling(String otherDbUrl, Map<String, Object> extra, Clock clock) {
        return new TestNode(extra, clock, otherDbUrl, admin, app, dataDir, false);
    }

    public URI uri() {
        return URI.create("https://localhost:" + httpsPort + "/");
    }

    /** The plain-HTTP management listener (contract §10): /health/live, /health/ready, /metrics. */
    public URI managementUri() {
        return URI.create("http://127.0.0.1:" + managementPort + "/");
    }

    /**
     * A TCP port free now on the loopback address, for a listener that needs a fixed number (the management port):
     * taken from the kernel's ephemeral range, so nodes started in parallel do not pick the same one.
     */
    public static int freePort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1,
                java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The JDBC URL of the node's database. */
    public String dbUrl() {
        return dbUrl;
    }

    public DevPki pki() {
        return pki;
    }

    public ApplicationContext context() {
        return context;
    }

    /** The center, with its client certificate. */
    public CenterClient center() {
        return new CenterClient(uri(), pki.centerClientKeystore(), pki.password(), pki.tlsCa());
    }

    /** The 既存住基システム, with its client certificate. */
    public CenterClient sync() {
        return new CenterClient(uri(), pki.syncClientKeystore(), pki.password(), pki.tlsCa());
    }

    /** Another center caller, {@code CN=<name>, O=Kofu (DEV), C=JP}, of the same center client CA. */
    public CenterClient center(String name) {
        return new CenterClient(uri(), pki.centerClientKeystore(name), pki.password(), pki.tlsCa());
    }

    /** Another feed, {@code CN=<name>, O=Kofu (DEV), C=JP}, of the same sync client CA. */
    public CenterClient sync(String name) {
        return new CenterClient(uri(), pki.syncClientKeystore(name), pki.password(), pki.tlsCa());
    }

    /** A city-hall kiosk with its own client certificate ({@link DevPki#kioskSubject}). */
    public CenterClient kiosk(String terminalId) {
        return new CenterClient(uri(), pki.kioskClientKeystore(terminalId), pki.password(), pki.tlsCa());
    }

    /** A caller without any client certificate. */
    public CenterClient anonymous() {
        return new CenterClient(uri(), pki.tlsCa());
    }

    /** The demo card of a demo resident (see DemoResidents). */
    public SoftwareCard card(String residentId) {
        return SoftwareCard.load(pki.issueCard(residentId), pki.password());
    }

    /**
     * Drops the node's database, as the admin account (the node's own account may not), to show what the node does
     * when its database is gone.
     */
    public void dropDatabase() {
        try (var c = java.sql.DriverManager.getConnection(dbUrl, admin.user(),
                admin.password()); var s = c.createStatement()) {
            s.execute("DROP DATABASE `" + c.getCatalog() + "`");
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The single number a query of the node's database answers, e.g. {@code SELECT COUNT(*) FROM issuance}. */
    public long count(String sql) {
        return context.getBean(jp.kofu.db.Database.class).withConnection(c -> {
            try (var s = c.createStatement(); var rs = s.executeQuery(sql)) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    @Override
    public void close() {
        server.stop();
        context.close();
        if (ownsDataDir) {
            TestFiles.deleteRecursively(dataDir);
        }
    }

    /** Closes each node that is not null, in the order given (siblings before the node they share a database with). */
    public static void closeAll(TestNode... nodes) {
        for (TestNode node : nodes) {
            if (node != null) {
                node.close();
            }
        }
    }
}
