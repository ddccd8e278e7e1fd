package jp.kofu.municipality;

import io.micronaut.context.annotation.Requires;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.annotation.PreDestroy;
import jp.kofu.config.KofuSettings;
import jp.kofu.db.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reloads of the municipalities file (docs/settings.md): on SIGHUP, this node only; from the ASP 管理者's console
 * action, every node, through the generation of table {@code settings_reload} that each node polls every
 * {@code 2 s} and acts on when it went up. Each node records what came of its last reload (table
 * {@code settings_reload_result}) for the console page.
 */
@jakarta.inject.Singleton
@Requires(notEnv = "staff-cli")
public final class SettingsReloads {
    private static final Logger LOG = LoggerFactory.getLogger(SettingsReloads.class);
    private static final int MESSAGE_LENGTH = 1000;

    /** What made a node reload. */
    public enum Trigger { CONSOLE, SIGNAL }

    /** The last request from the console: its generation, when and by whom. */
    public record Request(long generation, Instant at, String by) {}

    /** What one node made of its last reload. */
    public record Result(String node, long generation, Trigger trigger, Instant at, boolean ok, String message) {}

    private final MunicipalityRegistry registry;
    private final Database db;
    private final Clock clock;
    private final String nodeName;
    private final AtomicLong seen;
    private final Object hangup;

    SettingsReloads(MunicipalityRegistry registry, Database db, Clock clock, KofuSettings settings) {
        this.registry = registry;
        this.db = db;
        this.clock = clock;
        this.nodeName = settings.nodeName();
        // Requests made before this node started are in the file it just read.
        this.seen = new AtomicLong(request().generation());
        this.hangup = HangupSignal.install(() -> reload(Trigger.SIGNAL, seen.get()));
    }

    /** Asks every node to reload its file; answers the new generation. */
    public long requestEverywhere(String staffLogin) {
        return db.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE settings_reload SET generation = generation + 1,"
                    + " requested_at = ?, requested_by = ? WHERE id = 1")) {
                s.setTimestamp(1, Timestamp.from(clock.instant()));
                s.setString(2, staffLogin);
                s.executeUpdate();
            }
            try (PreparedStatement s = c.prepareStatement("SELECT generation FROM settings_reload WHERE id = 1");
                 ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    /** The last request from the console. */
    public Request request() {
        return db.read(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT generation, requested_at, requested_by FROM settings_reload WHERE id = 1");
                 ResultSet rs = s.executeQuery()) {
                return rs.next() ? new Request(rs.getLong(1), rs.getTimestamp(2).toInstant(), rs.getString(3))
                        : new Request(0, Instant.EPOCH, "-");
            }
        });
    }

    /** Each node's last result, by node name. */
    public List<Result> results() {
        return db.read(c -> {
            List<Result> all = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT node_name, generation, trigger_by, finished_at, ok,"
                    + " message FROM settings_reload_result ORDER BY node_name");
                 ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    all.add(new Result(rs.getString(1), rs.getLong(2), Trigger.valueOf(rs.getString(3)),
                            rs.getTimestamp(4).toInstant(), rs.getBoolean(5), rs.getString(6)));
                }
            }
            return all;
        });
    }

    /** Acts on a console request that this node has not acted on yet. */
    @Scheduled(fixedDelay = "2s", initialDelay = "2s")
    void poll() {
        try {
            long wanted = request().generation();
            long before = seen.get();
            if (wanted > before && seen.compareAndSet(before, wanted)) {
                reload(Trigger.CONSOLE, wanted);
            }
        } catch (RuntimeException e) {
            LOG.warn("Cannot read the reload requests ({}); trying again", e.getClass().getSimpleName());
        }
    }

    /** Reloads this node's file and records the result under this node's name. */
    MunicipalityRegistry.Reload reload(Trigger trigger, long generation) {
        MunicipalityRegistry.Reload result = registry.reload();
        boolean ok = result instanceof MunicipalityRegistry.Reload.Done;
        String message = result instanceof MunicipalityRegistry.Reload.Done d ? "added " + d.added() + ", changed "
                + d.changed() + ", removed " + d.removed() : ((MunicipalityRegistry.Reload.Refused) result).message();
        String kept = message.length() > MESSAGE_LENGTH ? message.substring(0, MESSAGE_LENGTH) : message;
        try {
            db.inTransaction(c -> {
                try (PreparedStatement s = c.prepareStatement("INSERT INTO settings_reload_result (node_name,"
                        + " generation, trigger_by, finished_at, ok, message) VALUES (?, ?, ?, ?, ?, ?)"
                        + " ON DUPLICATE KEY UPDATE generation = VALUES(generation), trigger_by = VALUES(trigger_by),"
                        + " finished_at = VALUES(finished_at), ok = VALUES(ok), message = VALUES(message)")) {
                    s.setString(1, nodeName);
                    s.setLong(2, generation);
                    s.setString(3, trigger.name());
                    s.setTimestamp(4, Timestamp.from(clock.instant()));
                    s.setBoolean(5, ok);
                    s.setString(6, kept);
                    return s.executeUpdate();
                }
            });
        } catch (RuntimeException e) {
            LOG.warn("Cannot record the reload's result ({})", e.getClass().getSimpleName());
        }
        return result;
    }

    @PreDestroy
    void close() {
        HangupSignal.restore(hangup);
    }
}
