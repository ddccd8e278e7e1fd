package jp.kofu.municipality;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SIGHUP as "reload the municipalities file" (docs/settings.md), through {@code sun.misc.Signal} of module
 * jdk.unsupported, which JDK 17 exports without a warning. Where the signal cannot be handled (Windows, or a JVM
 * started with {@code -Xrs}), the console action is the only way and a line says so.
 */
final class HangupSignal {
    private static final Logger LOG = LoggerFactory.getLogger(HangupSignal.class);

    private HangupSignal() {}

    /** Runs {@code reload} on a thread of its own at each SIGHUP; answers the handler it replaced (or null). */
    static Object install(Runnable reload) {
        try {
            return sun.misc.Signal.handle(new sun.misc.Signal("HUP"), signal -> {
                Thread t = new Thread(reload, "kofu-reload-on-hangup");
                t.setDaemon(true);
                t.start();
            });
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            LOG.info("SIGHUP cannot be handled here ({}): reload the municipalities file from the console",
                    e.getMessage());
            return null;
        }
    }

    /** Puts back the handler that {@link #install} replaced, when this node stops (tests start several in one JVM). */
    static void restore(Object previous) {
        if (previous instanceof sun.misc.SignalHandler handler) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal("HUP"), handler);
            } catch (IllegalArgumentException e) {
                // nothing to put back
            }
        }
    }
}
