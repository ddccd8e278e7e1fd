package jp.kofu.issuance;

import jakarta.inject.Singleton;
import jp.kofu.contract.CertificateType;
import jp.kofu.contract.ErrorCode;
import jp.kofu.contract.Refusal;
import jp.kofu.replica.ReplicaStore;
import jp.kofu.replica.ResidentRecord;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;

/**
 * The refusal rules of contract §2 that hold for every certificate from the replica, checked against the replica at
 * the moment of issuance, on the issuance's transaction: no planned move-out in the household, no person to be
 * printed under an issuance block of the type (or a household-wide one), with a 外字 being registered, or a resident since today. Each refusal is the same
 * {@code NOT_ISSUABLE}: the answer never tells why.
 */
@Singleton
final class Eligibility {
    private final ReplicaStore replica;

    Eligibility(ReplicaStore replica) {
        this.replica = replica;
    }

    void check(Connection c, CertificateType type, Requester requester, List<ResidentRecord> persons, LocalDate today)
            throws SQLException {
        if (requester.household().stream().anyMatch(r -> r.plannedMoveOutOn() != null)) {
            throw notIssuable("household has a planned move-out");
        }
        Set<String> blocked = replica.blocked(c, requester.state(), type, persons);
        if (!blocked.isEmpty()) {
            throw notIssuable("a person to be printed is blocked");
        }
        for (ResidentRecord p : persons) {
            if (p.gaijiPending()) {
                throw notIssuable("外字 registration pending for a person to be printed");
            }
            if (today.equals(p.becameResidentOn())) {
                throw notIssuable("a person to be printed became a resident today");
            }
        }
    }

    static Refusal notIssuable(String reason) {
        return new Refusal(ErrorCode.NOT_ISSUABLE, reason);
    }
}
