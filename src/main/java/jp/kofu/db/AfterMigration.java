package jp.kofu.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Set;

/**
 * Work that must run once the schema is migrated, on the migrating (admin) account, before the service's own pool
 * exists: e.g. bringing rows written by an older version up to a new migration's rules.
 */
public interface AfterMigration {
    /** {@code appliedVersions}: the Flyway versions this start applied (empty when the schema was up to date). */
    void run(Connection admin, Set<String> appliedVersions) throws SQLException;
}
