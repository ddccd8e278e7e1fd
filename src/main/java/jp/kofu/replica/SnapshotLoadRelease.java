package jp.kofu.replica;

import jakarta.inject.Singleton;
import jp.kofu.config.KofuSettings;
import jp.kofu.db.AfterMigration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Set;

/**
 * At start, before anything is served: the {@code snapshot_load} rows of this node ({@code kofu.node.name}) are of
 * loads its previous process was running when it stopped (a crash, a kill), so none of them is still loading; they
 * go, and a snapshot can be sent again at once rather than after the 10 minutes that make another node's row stale.
 * The rows the dead load wrote are of a generation nobody reads, removed by the next load.
 */
@Singleton
final class SnapshotLoadRelease implements AfterMigration {
    private static final Logger OPS = LoggerFactory.getLogger("kofu.ops.replica");

    private final String nodeName;

    SnapshotLoadRelease(KofuSettings settings) {
        this.nodeName = settings.nodeName();
    }

    @Override
    public void run(Connection admin, Set<String> appliedVersions) throws SQLException {
        try (PreparedStatement s = admin.prepareStatement("DELETE FROM snapshot_load WHERE node_name = ?")) {
            s.setString(1, nodeName);
            int released = s.executeUpdate();
            if (released > 0) {
                OPS.warn("{} snapshot load(s) of this node ({}) were cut off when it last stopped: released, the"
                        + " snapshot may be sent again", released, nodeName);
            }
        }
    }
}
