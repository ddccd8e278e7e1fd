package jp.kofu.db;

import jp.kofu.config.SettingException;
import org.junit.jupiter.api.Test;
import org.mariadb.jdbc.export.HaMode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code kofu.db.url} in every form MariaDB Connector/J connects with, and the forms Kofu refuses. */
final class JdbcUrlTest {
    @Test
    void readsTheDatabaseOfOneHost() {
        JdbcUrl url = JdbcUrl.parse("jdbc:mariadb://db.example.lg.jp:3306/kofu");
        assertEquals("kofu", url.database());
        assertEquals(HaMode.NONE, url.mode());
        assertEquals(1, url.hosts());
        assertEquals("jdbc:mariadb://db.example.lg.jp:3306/", url.withoutDatabase());
    }

    @Test
    void readsASequentialFailoverUrl() {
        JdbcUrl url = JdbcUrl.parse("jdbc:mariadb:sequential://h1:3306,h2:3306,h3:3307/kofu?connectTimeout=2000");
        assertEquals("kofu", url.database());
        assertEquals(HaMode.SEQUENTIAL, url.mode());
        assertEquals(3, url.hosts());
        assertEquals("jdbc:mariadb:sequential://h1:3306,h2:3306,h3:3307/?connectTimeout=2000", url.withoutDatabase());
    }

    @Test
    void readsALoadBalancingUrl() {
        JdbcUrl url = JdbcUrl.parse("jdbc:mariadb:loadbalance://h1,h2/kofu");
        assertEquals(HaMode.LOADBALANCE, url.mode());
        assertEquals(2, url.hosts());
        assertEquals("kofu", url.database());
    }

    @Test
    void readsAddressForms() {
        JdbcUrl url = JdbcUrl.parse("jdbc:mariadb:sequential://address=(host=10.0.0.1)(port=3307),"
                + "address=(host=10.0.0.2)(port=3308)/kofu_city?sslMode=verify-full");
        assertEquals("kofu_city", url.database());
        assertEquals(2, url.hosts());
        assertEquals("jdbc:mariadb:sequential://address=(host=10.0.0.1)(port=3307),address=(host=10.0.0.2)(port=3308)/"
                + "?sslMode=verify-full", url.withoutDatabase());
    }

    @Test
    void readsIpv6Hosts() {
        JdbcUrl url = JdbcUrl.parse("jdbc:mariadb://[::1]:3306/kofu");
        assertEquals("kofu", url.database());
        assertEquals("jdbc:mariadb://[::1]:3306/", url.withoutDatabase());
    }

    @Test
    void keepsOptionsWithoutADatabase() {
        JdbcUrl url = JdbcUrl.parse("jdbc:mariadb://h/kofu?user=kofu&useBulkStmts=true");
        assertEquals("jdbc:mariadb://h/?user=kofu&useBulkStmts=true", url.withoutDatabase());
    }

    @Test
    void acceptsTheMysqlSchemeOnlyWhenTheDriverDoes() {
        assertEquals("kofu", JdbcUrl.parse("jdbc:mysql://h/kofu?permitMysqlScheme").database());
        assertRefused("jdbc:mysql://h/kofu", "jdbc:mariadb:");
    }

    @Test
    void refusesReplicationModes() {
        assertRefused("jdbc:mariadb:replication://h1,h2/kofu", "replication mode");
        assertRefused("jdbc:mariadb:load-balance-read://h1,h2/kofu", "load-balance-read mode");
        assertRefused("jdbc:mariadb://address=(host=h1)(type=primary),address=(host=h2)(type=replica)/kofu",
                "type=replica");
    }

    @Test
    void refusesAUrlWithoutDatabase() {
        assertRefused("jdbc:mariadb://h:3306", "names no database");
        assertRefused("jdbc:mariadb://h:3306/?connectTimeout=100", "names no database");
    }

    @Test
    void refusesWhatTheDriverCannotReadWithoutShowingTheUrl() {
        String message = assertRefused("jdbc:mariadb:sideways://h/kofu?password=secret", "kofu.db.url");
        assertFalse(message.contains("secret"), message);
        assertRefused("jdbc:mariadb://h:port/kofu", "kofu.db.url");
        assertRefused("jdbc:postgresql://h/kofu", "jdbc:mariadb:");
    }

    @Test
    void neverShowsThePasswordOfAUrl() {
        JdbcUrl url = JdbcUrl.parse("jdbc:mariadb://h/kofu?password=secret");
        assertFalse(url.toString().contains("secret"));
        assertFalse(url.summary().contains("secret"));
    }

    private static String assertRefused(String url, String expected) {
        SettingException e = assertThrows(SettingException.class, () -> JdbcUrl.parse(url));
        assertTrue(e.getMessage().startsWith("kofu.db.url: "), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        return e.getMessage();
    }
}
