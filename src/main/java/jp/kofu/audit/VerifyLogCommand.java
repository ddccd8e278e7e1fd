package jp.kofu.audit;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.Environment;
import jp.kofu.config.KeyFiles;
import jp.kofu.config.KofuSettings;
import jp.kofu.db.Database;
import jp.kofu.db.DbAccount;
import jp.kofu.db.EmbeddedMariaDb;
import jp.kofu.municipality.Municipality;
import jp.kofu.municipality.MunicipalityRegistry;
import jp.kofu.signing.MunicipalSigners;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * {@code java -jar kofu.jar verify-log [--municipality CODE] [--data-dir DIR]}: checks the issuance log's chains
 * and prints the result of each municipality (its chains, one per node, and where they break) in Japanese and
 * English. Exit status 0: every chain intact; 1: a chain is broken;
 * 2: the check could not run. Works on an external MariaDB ({@code kofu.db.*}), and on the embedded one whether the
 * service runs (it then reads the running node's database) or not (it then starts the database itself).
 */
public final class VerifyLogCommand {
    public static final int INTACT = 0;
    public static final int BROKEN = 1;
    public static final int CANNOT_RUN = 2;

    private VerifyLogCommand() {}

    public static int run(String[] args) {
        if (System.getProperty("kofu.log.level") == null) {
            System.setProperty("kofu.log.level", "ERROR");
        }
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        String municipality = null;
        for (int i = 1; i < args.length; i++) {
            if (i + 1 >= args.length) {
                return usage(out, "missing value for " + args[i]);
            }
            switch (args[i]) {
                case "--municipality" -> municipality = args[++i];
                case "--data-dir" -> System.setProperty("kofu.data-dir", args[++i]);
                default -> {
                    return usage(out, "unexpected argument " + args[i]);
                }
            }
        }
        try (ApplicationContext context = ApplicationContext.builder().deduceEnvironment(false).build()) {
            Environment env = context.getEnvironment();
            env.start();
            KofuSettings settings = new KofuSettings(env);
            MunicipalityRegistry municipalities = new MunicipalityRegistry(settings);
            Optional<Database> database = open(settings, out);
            if (database.isEmpty()) {
                return CANNOT_RUN;
            }
            try (Database db = database.get()) {
                Clock clock = Clock.systemUTC(); // a command run by hand: the time is the machine's
                CheckpointKeys keys = new CheckpointKeys(municipalities, new MunicipalSigners(municipalities,
                        new KeyFiles(settings, clock), settings, clock));
                LogChainVerifier verifier = new LogChainVerifier(db, keys);
                List<ChainReport> reports = municipality == null ? verifier.verifyAll()
                        : List.of(verifier.verify(municipality));
                if (reports.isEmpty()) {
                    out.println("記録はまだありません / the issuance log is empty");
                }
                for (ChainReport r : reports) {
                    print(out, r, municipalities);
                }
                return reports.stream().allMatch(ChainReport::intact) ? INTACT : BROKEN;
            }
        } catch (RuntimeException e) {
            out.println("検証できませんでした / the log could not be checked: " + reason(e));
            return CANNOT_RUN;
        }
    }

    /** The database to read: external, the running node's embedded one, or the embedded one started here. */
    private static Optional<Database> open(KofuSettings settings, PrintStream out) {
        if (settings.dbUrl().isPresent()) {
            return Optional.of(Database.connect(settings.dbUrl().get(),
                    new DbAccount(settings.dbUser(), settings.dbPassword())));
        }
        Path home = settings.dataDir().resolve("mariadb");
        Optional<Integer> port = EmbeddedMariaDb.runningPort(home);
        if (port.isPresent()) {
            out.println("稼働中の Kofu のデータベースを確認します / checking the running Kofu's database");
            return Optional.of(Database.connect("jdbc:mariadb://127.0.0.1:" + port.get() + "/kofu",
                    EmbeddedMariaDb.storedAccount(home, false)));
        }
        if (!Files.isDirectory(home.resolve("data"))) {
            out.println("検証できませんでした / the log could not be checked: no database in " + home
                    + " (kofu.data-dir); start the service once, or give --data-dir");
            return Optional.empty();
        }
        return Optional.of(new Database(settings, List.of(new LegacyLogRows())));
    }

    private static void print(PrintStream out, ChainReport r, MunicipalityRegistry municipalities) {
        String name = r.municipality().equals(LogChainVerifier.NO_MUNICIPALITY)
                ? "自治体の分からない要求 / requests without a municipality"
                : r.municipality() + " " + municipalities.find(r.municipality()).map(Municipality::name).orElse("");
        if (r.intact()) {
            out.printf("[改ざんなし / INTACT] %s: 記録 %d 件、日次チェックポイント %d 件を確認しました"
                            + " / %d entries and %d daily checkpoints checked (%d chain(s))%n",
                    name.strip(), r.entriesChecked(), r.checkpointsChecked(), r.entriesChecked(),
                    r.checkpointsChecked(), r.chains().size());
        } else {
            out.printf("[改ざんあり / BROKEN] %s: %d か所で連鎖が切れています / the chain breaks at %d place(s)"
                            + " (%d entries and %d daily checkpoints checked)%n",
                    name.strip(), r.totalBreaks(), r.totalBreaks(), r.entriesChecked(), r.checkpointsChecked());
        }
        for (ChainReport.Chain chain : r.chains()) {
            out.printf("  チェーン / chain %s (%s): 記録 %d 件 / %d entries, last sequence %d%s%n", chain.key(),
                    chain.node() == null ? "以前の記録 / before chains per node" : "ノード / node " + chain.node(),
                    chain.entries(), chain.entries(), chain.lastSequence(),
                    chain.breaks() == 0 ? "" : ", " + chain.breaks() + " break(s)");
        }
        for (ChainBreak b : r.breaks()) {
            StringBuilder where = new StringBuilder();
            if (b.chain() != null) {
                where.append("チェーン / chain ").append(b.chain());
            }
            if (b.sequence() > 0) {
                where.append(where.isEmpty() ? "" : ", ").append("連番 / sequence ").append(b.sequence());
            }
            if (b.rowId() != null) {
                where.append(where.isEmpty() ? "" : ", ").append("id ").append(b.rowId());
            }
            if (b.day() != null) {
                where.append(where.isEmpty() ? "" : ", ").append("日付 / day ").append(b.day());
            }
            out.printf("  - %s: %s / %s (%s)%n", where, b.kind().japanese(), b.kind().english(), b.detail());
        }
        if (r.totalBreaks() > r.breaks().size()) {
            out.printf("  …ほか %d か所 / and %d more%n", r.totalBreaks() - r.breaks().size(),
                    r.totalBreaks() - r.breaks().size());
        }
    }

    private static String reason(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getMessage() != null && t.getMessage().equals("database unavailable")) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    private static int usage(PrintStream out, String problem) {
        out.println(problem);
        out.println("usage: java -jar kofu.jar verify-log [--municipality CODE] [--data-dir DIR]");
        return CANNOT_RUN;
    }
}
