package jp.kofu;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Kofu's real main ({@code jp.kofu.Kofu}) as its own JVM on this test JVM's class path, with the settings a test node
 * has ({@link TestNode}: a new database of the shared test MariaDB, the development PKI, a random port) and the
 * service's logging.
 */
public final class KofuMain {
    private KofuMain() {}

    /** The command: {@code -D} options of {@code extra} go to the JVM (a later one wins), the rest are arguments. */
    public static ProcessBuilder process(Path dataDir, String nodeName, List<String> extra) {
        List<String> command = new ArrayList<>(ServiceProcess.java());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"),
                "-Dkofu.data-dir=" + dataDir,
                "-Dkofu.db.url=" + TestDatabase.newDatabase(),
                "-Dkofu.db.user=" + TestDatabase.app().user(),
                "-Dkofu.db.password=" + TestDatabase.app().password(),
                "-Dkofu.db.admin-user=" + TestDatabase.admin().user(),
                "-Dkofu.db.admin-password=" + TestDatabase.admin().password(),
                "-Dkofu.dev-pki=true",
                "-Dkofu.https.port=0",
                "-Dkofu.management.port=" + TestNode.freePort(),
                "-Dkofu.node.name=" + nodeName,
                // The service's own logging, as an operator sees it, not the tests' quieter one.
                "-Dlogback.configurationFile=" + KofuMain.class.getResource("/logback.xml")));
        List<String> args = new ArrayList<>();
        for (String e : extra) {
            (e.startsWith("-D") ? command : args).add(e);
        }
        command.add("jp.kofu.Kofu");
        command.addAll(args);
        return new ProcessBuilder(command).redirectErrorStream(true);
    }
}
