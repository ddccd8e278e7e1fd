package jp.kofu;

import io.micronaut.context.env.Environment;
import io.micronaut.runtime.Micronaut;
import jp.kofu.audit.VerifyLogCommand;
import jp.kofu.config.StartupFailure;
import jp.kofu.demo.DemoIssue;
import jp.kofu.demo.Samples;
import jp.kofu.kiosk.KioskCommand;

/**
 * Entry point. Without arguments: starts the service. {@code demo-issue}: acts as the center with a demo card
 * against a running demo node (see the README). {@code staff}: staff accounts of the console (docs/console.md).
 * {@code kiosk}: runs this machine as a city-hall kiosk (docs/kiosk.md). A bad setting stops the start with one
 * paragraph and a non-zero exit; {@code --debug} adds the stack trace (docs/settings.md).
 */
public final class Kofu {
    private Kofu() {}

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("demo-issue")) {
            System.exit(DemoIssue.run(args));
        }
        if (args.length > 0 && args[0].equals("staff")) {
            System.exit(jp.kofu.console.account.StaffCommand.run(args));
        }
        if (args.length > 0 && args[0].equals("kiosk")) {
            System.exit(KioskCommand.run(args));
        }
        if (args.length > 0 && args[0].equals("samples")) {
            System.exit(Samples.run(args));
        }
        if (args.length > 0 && args[0].equals("koseki-sim")) {
            System.exit(jp.kofu.koseki.sim.KosekiSimulator.run(args));
        }
        if (args.length > 0 && args[0].equals("verify-log")) {
            System.exit(VerifyLogCommand.run(args));
        }
        boolean debug = java.util.Arrays.asList(args).contains(StartupFailure.DEBUG);
        String[] rest = java.util.Arrays.stream(args).filter(a -> !a.equals(StartupFailure.DEBUG))
                .toArray(String[]::new);
        try {
            new Start().args(rest).mainClass(Kofu.class).banner(false).eagerInitSingletons(true).start();
        } catch (StartFailed e) {
            System.exit(StartupFailure.report(e.getCause(), debug, System.err));
        }
    }

    /**
     * Micronaut's start, except that a failure is not logged with its stack trace and turned into an exit by the
     * framework: {@link #main} reports it in one paragraph ({@link StartupFailure}).
     */
    private static final class Start extends Micronaut {
        @Override
        protected void handleStartupException(Environment environment, Throwable exception) {
            throw new StartFailed(exception);
        }
    }

    private static final class StartFailed extends RuntimeException {
        StartFailed(Throwable cause) {
            super(cause.getMessage(), cause, false, false);
        }
    }
}
