package jp.kofu.db;

import jp.kofu.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** {@code wsrep_sync_wait} is set only on a Galera node; on a plain MariaDB the pool runs as before. */
final class CausalReadsTest {
    @Test
    void setsNothingOnAMariaDbWithoutGalera() {
        try (Database db = Database.connect(TestDatabase.newDatabase(), TestDatabase.admin())) {
            assertFalse(db.galera());
            Optional<String> syncWait = db.withConnection(c -> {
                assertFalse(Database.isGaleraNode(c));
                try (Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery("SHOW SESSION VARIABLES LIKE 'wsrep_sync_wait'")) {
                    return rs.next() ? Optional.of(rs.getString(2)) : Optional.<String>empty();
                }
            });
            // A server built without wsrep has no such variable; one built with it keeps the default.
            syncWait.ifPresent(value -> assertEquals("0", value));
        }
    }
}
