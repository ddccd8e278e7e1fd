package jp.kofu;

import io.micronaut.runtime.Micronaut;
import jp.kofu.audit.VerifyLogCommand;
import jp.kofu.demo.DemoIssue;
import jp.kofu.demo.Samples;
import jp.kofu.kiosk.KioskCommand;

/**
 * Entry point. Without arguments: starts the service. {@code demo-issue}: acts as the center with a demo card
 * against a running demo node (see the README). {@code staff}: staff accounts of the console (docs/console.md).
 * {@code kiosk}: runs this machine as a city-hall kiosk (docs/kiosk.md).
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
        Micronaut.build(args).mainClass(Kofu.class).eagerInitSingletons(true).start();
    }
}
