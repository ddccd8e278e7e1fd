package jp.kofu.replica;

import jp.kofu.card.CardId;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Data kept outside the replica that was made from it (answers kept for idempotent retries hold whole
 * certificates): told of each change that must take it away, on the transaction that applies the change, so that
 * it goes in the same commit (contract §6: current-only; a removed or blocked person is never printed again).
 */
public interface ReplicaDependents {
    /** A person was removed from the replica, or put under an issuance block. */
    void personWithdrawn(Connection c, String municipalityCode, String residentId) throws SQLException;

    /** A card was revoked or suspended through the feed of this municipality. */
    void cardRevoked(Connection c, String municipalityCode, CardId card) throws SQLException;

    /** The municipality's whole replica was replaced by a snapshot. */
    void replicaReplaced(Connection c, String municipalityCode) throws SQLException;
}
