package jp.kofu.bench;

import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import jp.kofu.TestDatabase;
import jp.kofu.TestNode;
import jp.kofu.client.CenterClient;
import jp.kofu.demo.DemoResidents;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A Kofu node (a {@link TestNode} on the embedded MariaDB) in a JVM of its own, so that the benchmark can read the
 * node's CPU from {@code /proc} without counting its own client work (TLS, card signatures). The parent starts
 * {@code java -cp <its own class path> jp.kofu.bench.NodeProcess}; the child starts the node, prints what a client
 * needs on lines beginning with {@code @bench }, then answers commands read from its standard input:
 * {@code retries} ({@code kofu.db.transaction.retries} by reason), {@code jfr-start <name> <file>} and
 * {@code jfr-stop <name>} (a Java Flight Recording of the node, settings {@code profile}), {@code quit}. It stops at {@code quit} or at
 * the end of its input (the parent has gone). Every other line of its output (the node's log) is echoed by the
 * parent prefixed with {@code node| }.
 */
final class NodeProcess implements AutoCloseable {
    private static final String TAG = "@bench ";

    private final Process process;
    private final PrintWriter commands;
    private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();
    private final Map<String, String> facts = new LinkedHashMap<>();
    private final Map<String, Path> cards = new LinkedHashMap<>();
    private final long databasePid;

    private NodeProcess(Process process) throws Exception {
        this.process = process;
        this.commands = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    if (line.startsWith(TAG)) {
                        answers.add(line.substring(TAG.length()));
                    } else {
                        System.out.println("node| " + line);
                    }
                }
            } catch (IOException e) {
                System.out.println("node| (output lost: " + e.getMessage() + ")");
            }
            answers.add("gone");
        }, "node-output");
        reader.setDaemon(true);
        reader.start();
        for (String line; !(line = answer(Duration.ofMinutes(3))).equals("ready"); ) {
            String[] kv = line.split(" ", 2);
            if (kv[0].equals("card")) {
                String[] card = kv[1].split(" ", 2);
                cards.put(card[0], Path.of(card[1]));
            } else {
                facts.put(kv[0], kv.length > 1 ? kv[1] : "");
            }
        }
        databasePid = ProcCpu.findDatabase(Path.of(facts.get("db-home")));
    }

    /** Starts the child JVM with {@code jvmOptions} and waits until its node answers. */
    static NodeProcess start(List<String> jvmOptions) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(jvmOptions);
        Path tmp = Files.createDirectories(Path.of("target", "tmp")).toAbsolutePath();
        // The node's data folder (Files.createTempDirectory) under target/, not /tmp.
        command.add("-Djava.io.tmpdir=" + tmp);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(NodeProcess.class.getName());
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            return new NodeProcess(p);
        } catch (Exception e) {
            p.destroy();
            throw e;
        }
    }

    private String answer(Duration timeout) throws InterruptedException {
        String line = answers.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (line == null || line.equals("gone")) {
            throw new IllegalStateException("the node process did not answer (its output is above)");
        }
        return line;
    }

    private String ask(String command) throws InterruptedException {
        commands.println(command);
        return answer(Duration.ofMinutes(2));
    }

    long pid() {
        return process.pid();
    }

    /** The pid of the node's {@code mariadbd}. */
    long databasePid() {
        return databasePid;
    }

    /** What the node printed about itself: {@code uri}, {@code db} (the server version), {@code jvm}, … */
    String fact(String key) {
        return facts.get(key);
    }

    /** A new center client of the node (its own HTTP client and connection). */
    CenterClient center() {
        return new CenterClient(java.net.URI.create(facts.get("uri")), Path.of(facts.get("center-keystore")),
                facts.get("password").toCharArray(), Path.of(facts.get("tls-ca")));
    }

    /** The demo card files the node issued, by resident. */
    Map<String, Path> cards() {
        return cards;
    }

    char[] password() {
        return facts.get("password").toCharArray();
    }

    /** {@code kofu.db.transaction.retries} of the node by reason, now. */
    Map<String, Double> retries() throws InterruptedException {
        return counters("retries");
    }

    /** The database server's own counters ({@link #DB_STATUS}), now. */
    Map<String, Double> databaseStatus() throws InterruptedException {
        return counters("db-status");
    }

    /** The answer to {@code command}: {@code command k=v k=v ...}. */
    private Map<String, Double> counters(String command) throws InterruptedException {
        Map<String, Double> out = new LinkedHashMap<>();
        String line = ask(command);
        for (String kv : line.substring(command.length()).trim().split(" ")) {
            if (!kv.isEmpty()) {
                String[] p = kv.split("=", 2);
                out.put(p[0], Double.parseDouble(p[1]));
            }
        }
        return out;
    }

    /** Starts the recording {@code name} of the node (settings {@code profile}) into {@code file}, or none if null. */
    void startRecording(String name, Path file) throws InterruptedException {
        expectOk(ask("jfr-start " + name + " " + (file == null ? "-" : file.toAbsolutePath())));
    }

    void stopRecording(String name) throws InterruptedException {
        expectOk(ask("jfr-stop " + name));
    }

    private static void expectOk(String answer) {
        if (!answer.equals("ok")) {
            throw new IllegalStateException("the node answered: " + answer);
        }
    }

    @Override
    public void close() throws Exception {
        commands.println("quit");
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroy();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    // ---- the child ----

    public static void main(String[] args) throws Exception {
        PrintStream out = System.out;
        try (TestNode node = TestNode.start()) {
            char[] password = node.pki().password();
            say(out, "uri " + node.uri());
            say(out, "center-keystore " + node.pki().centerClientKeystore().toAbsolutePath());
            say(out, "tls-ca " + node.pki().tlsCa().toAbsolutePath());
            say(out, "password " + new String(password));
            for (String resident : List.of(DemoResidents.FAMILY_HEAD, DemoResidents.SPOUSE)) {
                say(out, "card " + resident + " " + node.pki().issueCard(resident).toAbsolutePath());
            }
            say(out, "db " + BenchMachine.databaseVersion(node));
            say(out, "db-home " + TestDatabase.home().toAbsolutePath());
            say(out, "jvm " + String.join(" ", java.lang.management.ManagementFactory.getRuntimeMXBean()
                    .getInputArguments().stream().filter(a -> !a.startsWith("-Djava.io.tmpdir")).toList())
                    + ", max heap " + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MB");
            say(out, "ready");
            serve(node, out);
        }
        System.exit(0);
    }

    private static void serve(TestNode node, PrintStream out) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        Map<String, Recording> recordings = new LinkedHashMap<>();
        for (String line; (line = in.readLine()) != null && !line.equals("quit"); ) {
            try {
                if (line.equals("retries")) {
                    say(out, counters(line, IssuanceLoad.retries(node)));
                } else if (line.equals("db-status")) {
                    say(out, counters(line, databaseStatus(node)));
                } else if (line.startsWith("jfr-start ")) {
                    String[] a = line.split(" ", 3); // jfr-start <name> <file, or - for none>
                    Recording recording = new Recording(Configuration.getConfiguration("profile"));
                    recording.setName(a[1]);
                    if (!a[2].equals("-")) {
                        recording.setDestination(Path.of(a[2]));
                    }
                    recording.start();
                    recordings.put(a[1], recording);
                    say(out, "ok");
                } else if (line.startsWith("jfr-stop ") && recordings.containsKey(line.substring(9))) {
                    Recording recording = recordings.remove(line.substring(9));
                    recording.stop(); // writes the destination, if any
                    recording.close();
                    say(out, "ok");
                } else {
                    say(out, "unknown command " + line);
                }
            } catch (IOException | java.text.ParseException | RuntimeException e) {
                say(out, "failed " + e);
            }
        }
    }

    /** The server's counters of statements and bytes: what a request costs the database in round trips and data. */
    static final List<String> DB_STATUS = List.of("Questions", "Com_commit", "Com_rollback", "Bytes_received",
            "Bytes_sent", "Innodb_data_written", "Innodb_os_log_written");

    /** {@code command k=v k=v ...}, as {@link #counters(String)} reads it. */
    private static String counters(String command, Map<String, Double> values) {
        StringBuilder b = new StringBuilder(command);
        values.forEach((k, v) -> b.append(' ').append(k).append('=').append(v));
        return b.toString();
    }

    private static Map<String, Double> databaseStatus(TestNode node) {
        return node.context().getBean(jp.kofu.db.Database.class).withConnection(c -> {
            Map<String, Double> status = new LinkedHashMap<>();
            try (java.sql.Statement s = c.createStatement(); java.sql.ResultSet rs = s.executeQuery(
                    "SHOW GLOBAL STATUS WHERE Variable_name IN ('" + String.join("','", DB_STATUS) + "')")) {
                while (rs.next()) {
                    status.put(rs.getString(1), rs.getDouble(2));
                }
            }
            return status;
        });
    }

    private static void say(PrintStream out, String line) {
        synchronized (out) {
            out.println(TAG + line);
            out.flush();
        }
    }
}
