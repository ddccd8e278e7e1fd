package jp.kofu.console.account;

import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.context.event.StartupEvent;
import jakarta.inject.Singleton;
import jp.kofu.db.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.PreparedStatement;
import java.sql.ResultSet;

/**
 * At start-up, seals the TOTP secrets that an older version stored in plain text ({@link TotpSecrets}). Each row is
 * rewritten only if it still holds the plain value it was read with, so two nodes starting together do no harm.
 */
@Singleton
final class TotpSecretMigration implements ApplicationEventListener<StartupEvent> {
    private static final Logger LOG = LoggerFactory.getLogger(TotpSecretMigration.class);

    private final Database db;
    private final TotpSecrets secrets;

    TotpSecretMigration(Database db, TotpSecrets secrets) {
        this.db = db;
        this.secrets = secrets;
    }

    @Override
    public void onApplicationEvent(StartupEvent event) {
        int sealed = db.inTransaction(c -> {
            int n = 0;
            try (PreparedStatement s = c.prepareStatement("SELECT id, totp_secret FROM staff_account"
                    + " WHERE totp_secret IS NOT NULL AND totp_secret NOT LIKE 'gcm1:%' FOR UPDATE");
                 ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    try (PreparedStatement u = c.prepareStatement(
                            "UPDATE staff_account SET totp_secret = ? WHERE id = ? AND totp_secret = ?")) {
                        u.setString(1, secrets.seal(rs.getLong(1), rs.getString(2)));
                        u.setLong(2, rs.getLong(1));
                        u.setString(3, rs.getString(2));
                        n += u.executeUpdate();
                    }
                }
            }
            return n;
        });
        if (sealed > 0) {
            LOG.info("Sealed {} TOTP secret(s) stored in plain text by an older version", sealed);
        }
    }
}
