package jp.kofu.ops;

import jakarta.inject.Singleton;
import io.micronaut.context.env.Environment;
import jp.kofu.config.KofuSettings;
import jp.kofu.config.SettingException;

import java.time.Duration;

/**
 * The management listener's settings (contract §10, docs/operations.md), validated at start-up:
 * {@code kofu.management.port} (default 8081), {@code kofu.management.bind} (default 127.0.0.1) and
 * {@code kofu.management.probe-seconds} (default 30: how long the result of the signing-key and time-stamp probes
 * of /health/ready is reused, so that a scrape every few seconds neither signs nor asks the TSA each time).
 * Micronaut's listener reads the same keys from application.yml; this class only checks them first.
 */
@Singleton
public final class ManagementSettings {
    /** {@code kofu.management.port} when it is not set (as in application.yml). */
    public static final int DEFAULT_PORT = 8081;

    private final int port;
    private final String bind;
    private final Duration probeInterval;

    public ManagementSettings(Environment env, KofuSettings kofu) {
        port = env.getProperty("kofu.management.port", Integer.class).orElse(DEFAULT_PORT);
        // A fixed port: the management routes are matched by the port a request came in on (ManagementController).
        if (port < 1 || port > 65535) {
            throw new SettingException("kofu.management.port", "must be a port number (1-65535)");
        }
        if (port == kofu.httpsPort()) {
            throw new SettingException("kofu.management.port", "must differ from kofu.https.port (" + port + ")");
        }
        bind = env.getProperty("kofu.management.bind", String.class).map(String::strip).orElse("127.0.0.1");
        if (!bind.matches("[A-Za-z0-9.:\\-]+")) {
            throw new SettingException("kofu.management.bind", "must be an address or host name to listen on,"
                    + " e.g. 127.0.0.1, 0.0.0.0 or the address HAProxy and Prometheus reach");
        }
        int seconds = env.getProperty("kofu.management.probe-seconds", Integer.class).orElse(30);
        if (seconds < 0) {
            throw new SettingException("kofu.management.probe-seconds", "must be 0 or more");
        }
        probeInterval = Duration.ofSeconds(seconds);
    }

    /** The management port: the only port that answers /health/** and /metrics, and that answers nothing else. */
    public int port() {
        return port;
    }

    public String bind() {
        return bind;
    }

    /** How long a signing-key or time-stamp probe's result is reused. */
    public Duration probeInterval() {
        return probeInterval;
    }
}
