package jp.kofu.db;

import jp.kofu.config.SettingException;
import org.mariadb.jdbc.Configuration;
import org.mariadb.jdbc.HostAddress;
import org.mariadb.jdbc.export.HaMode;

import java.sql.SQLException;
import java.util.List;

/**
 * {@code kofu.db.url} as MariaDB Connector/J reads it: parsed by the driver's own public
 * {@link Configuration#parse(String)}, so every form it connects with is accepted — one host, several hosts
 * ({@code h1,h2}), {@code sequential}/{@code loadbalance} failover, {@code address=(host=…)(port=…)}, IPv6
 * {@code [::1]}, options after {@code ?}. Kofu needs the database name from it (Flyway migrates that database; the
 * grant step connects without it).
 *
 * <p>Refused: {@code replication} and {@code load-balance-read}, and any host marked {@code type=replica}. Kofu writes
 * on every connection and its reads decide issuances, which must see the latest sync batch; an asynchronous replica
 * may lag, and Connector/J never promotes one when the primary is lost. For a Galera cluster (every node a primary)
 * use {@code sequential} (all nodes of Kofu write on the same database node, so no certification conflicts while it
 * lives) or {@code loadbalance} (spreads connections; conflicts at commit are retried, see
 * {@link Database#inTransaction}). A refusal names the key, never the URL, which may hold a password.
 */
record JdbcUrl(String url, String database, HaMode mode, int hosts) {
    static final String KEY = "kofu.db.url";

    static JdbcUrl parse(String url) {
        if (url == null || !Configuration.acceptsUrl(url)) {
            throw new SettingException(KEY, "must be a jdbc:mariadb: URL (jdbc:mysql: only with permitMysqlScheme)");
        }
        Configuration conf;
        try {
            conf = Configuration.parse(url);
        } catch (SQLException | RuntimeException e) {
            // The driver's message says what is wrong (a port that is not a number, an unknown failover mode).
            throw new SettingException(KEY, "not a URL MariaDB Connector/J accepts: " + withoutUrl(e.getMessage(), url));
        }
        if (conf.haMode() == HaMode.REPLICATION || conf.haMode() == HaMode.LOAD_BALANCE_READ) {
            throw new SettingException(KEY, "the " + conf.haMode().name().toLowerCase().replace('_', '-')
                    + " mode sends reads to replicas that may lag behind the sync feed; use one host, sequential"
                    + " or loadbalance (a Galera cluster: docs/replica.md)");
        }
        List<HostAddress> addresses = conf.addresses();
        if (addresses.isEmpty()) {
            throw new SettingException(KEY, "names no host");
        }
        for (HostAddress a : addresses) {
            if (Boolean.FALSE.equals(a.primary)) {
                throw new SettingException(KEY, "a host of type=replica is never written to; Kofu writes everywhere");
            }
        }
        if (conf.database() == null || conf.database().isBlank()) {
            throw new SettingException(KEY, "names no database (…/kofu after the hosts)");
        }
        return new JdbcUrl(url, conf.database(), conf.haMode(), addresses.size());
    }

    /**
     * The same URL without its database (its hosts, mode and options unchanged), cut where Connector/J cuts it: at
     * the first {@code /} after {@code //}, up to the {@code ?}. Checked by parsing the result again.
     */
    String withoutDatabase() {
        int hostsStart = url.indexOf("//") + 2;
        int slash = url.indexOf('/', hostsStart);
        int query = url.indexOf('?', hostsStart);
        String out;
        if (slash < 0 || (query >= 0 && query < slash)) {
            out = url;
        } else {
            out = url.substring(0, slash + 1) + (query < 0 ? "" : url.substring(query));
        }
        try {
            Configuration again = Configuration.parse(out);
            if (again.database() != null || !again.addresses().equals(Configuration.parse(url).addresses())) {
                throw new SettingException(KEY, "its database could not be told apart from its hosts");
            }
        } catch (SQLException e) {
            throw new SettingException(KEY, "its database could not be told apart from its hosts");
        }
        return out;
    }

    /** Whether the URL sets session variables of its own (they take the place of those Kofu would give the driver). */
    boolean setsSessionVariables() {
        try {
            String own = Configuration.parse(url).sessionVariables();
            return own != null && !own.isBlank();
        } catch (SQLException e) {
            return false;
        }
    }

    /** What Kofu logs about the URL: the mode and the number of hosts, never the URL (it may hold a password). */
    String summary() {
        return hosts + (hosts == 1 ? " host" : " hosts") + (mode == HaMode.NONE ? "" : ", " + mode.name().toLowerCase());
    }

    @Override
    public String toString() {
        return "JdbcUrl[" + database + ", " + summary() + "]";
    }

    private static String withoutUrl(String message, String url) {
        if (message == null) {
            return "unreadable";
        }
        return message.replace(url, "<the URL>");
    }
}
