package jp.kofu.config;

import java.io.PrintStream;
import java.util.Optional;

/**
 * What an operator reads when the service does not start because of a setting: one paragraph naming the key, the
 * problem with its value and the fix, instead of the framework's stack trace around that sentence (docs/settings.md).
 * The stack trace is printed only with {@code --debug}.
 */
public final class StartupFailure {
    /** The command-line flag that adds the stack trace. */
    public static final String DEBUG = "--debug";

    private StartupFailure() {}

    /**
     * The setting error somewhere in the cause chain of a start-up failure, if any. A port that cannot be listened on
     * is one too: the fix is {@code kofu.https.port} or {@code kofu.management.port} (or stopping the other program).
     */
    public static Optional<SettingException> settingOf(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SettingException s) {
                return Optional.of(s);
            }
        }
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.net.BindException b) {
                String port = portOf(failure);
                return Optional.of(new SettingException(port.strip().equals(managementPort())
                        ? "kofu.management.port" : "kofu.https.port", "cannot listen on the port"
                        + port + " (" + b.getMessage() + "): another program uses it, or it needs privileges"));
            }
        }
        return Optional.empty();
    }

    /** The management listener's port as given to this process (system property, environment, or the default). */
    private static String managementPort() {
        String given = System.getProperty("kofu.management.port", System.getenv("KOFU_MANAGEMENT_PORT"));
        return given == null ? String.valueOf(jp.kofu.ops.ManagementSettings.DEFAULT_PORT) : given.strip();
    }

    /** " 8443" when the framework's message names the port it tried ("… server on *:8443"), else "". */
    private static String portOf(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile(":(\\d{1,5})\\b")
                    .matcher(String.valueOf(t.getMessage()));
            if (m.find()) {
                return " " + m.group(1);
            }
        }
        return "";
    }

    /** The paragraph for a bad setting. */
    public static String paragraph(SettingException s) {
        return "Kofu did not start: the setting " + s.key() + " is wrong.\n"
                + "  Problem: " + s.problem() + "\n"
                + "  Fix: correct " + s.key() + " (a -D" + s.key() + " option, the environment variable "
                + environmentName(s.key()) + " or application.yml; every setting is in the README's settings"
                + " table) and start Kofu again. Add " + DEBUG + " to see the stack trace.";
    }

    /**
     * Reports a failed start on {@code err} and answers the exit code: the paragraph for a bad setting, else one
     * line with the failure's message; the stack trace only when {@code debug}.
     */
    public static int report(Throwable failure, boolean debug, PrintStream err) {
        Optional<SettingException> setting = settingOf(failure);
        err.println(setting.map(StartupFailure::paragraph).orElseGet(() -> "Kofu did not start: "
                + rootMessage(failure) + (debug ? "" : "\n  Add " + DEBUG + " to see the stack trace.")));
        if (debug) {
            failure.printStackTrace(err);
        }
        err.flush();
        return setting.isPresent() ? 78 : 1; // 78: EX_CONFIG of sysexits.h
    }

    static String environmentName(String key) {
        return key.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    private static String rootMessage(Throwable failure) {
        Throwable t = failure;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }
}
