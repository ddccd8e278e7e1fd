package jp.kofu.issuance;

import jakarta.inject.Singleton;
import jp.kofu.card.CardId;
import jp.kofu.contract.ErrorCode;
import jp.kofu.contract.Refusal;
import jp.kofu.municipality.Municipality;
import jp.kofu.replica.ReplicaState;
import jp.kofu.replica.ReplicaStore;
import jp.kofu.replica.ResidentRecord;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Finds the card holder in the replica, on the request's transaction and under the municipality's shared replica
 * lock (so a sync batch answered before is seen, and none is seen half): the feed's revocations, the card binding,
 * and that the holder is a current resident old enough to use the service (contract §2).
 */
@Singleton
final class Requesters {
    private final ReplicaStore replica;

    Requesters(ReplicaStore replica) {
        this.replica = replica;
    }

    /** The card's resident, read under the municipality's shared replica lock. */
    record Binding(ReplicaState state, String residentId) {}

    /**
     * The municipality's replica state, locked shared until the request's transaction ends: the first lock a request
     * takes, before it claims its transaction id, so that it never holds a row a sync batch (which locks the state
     * exclusively first) would then wait for. A municipality whose feed has been silent longer than its
     * {@code maxFeedSilenceMinutes} serves nothing ({@code SERVICE_UNAVAILABLE}, an alarm): its replica may be stale
     * (contract §6).
     */
    ReplicaState lock(Connection c, Municipality municipality, Instant now) throws SQLException {
        ReplicaState state = replica.lockForRead(c, municipality.code());
        if (state.silentAt(municipality.maxFeedSilence(), now)) {
            throw new Refusal(ErrorCode.SERVICE_UNAVAILABLE, "the feed of " + municipality.code()
                    + " has been silent since " + state.lastHeardAt().map(Instant::toString).orElse("ever")
                    + ", longer than maxFeedSilenceMinutes: the replica may be stale");
        }
        return state;
    }

    /** Whom the card is bound to: {@code CARD_REVOKED} after the feed's revocation, {@code CARD_NOT_REGISTERED} unbound. */
    Binding binding(Connection c, ReplicaState state, CardId card) throws SQLException {
        return optionalBinding(c, state, card)
                .orElseThrow(() -> new Refusal(ErrorCode.CARD_NOT_REGISTERED, "no resident bound to the card"));
    }

    /**
     * Whom the card is bound to, if anyone: {@code CARD_REVOKED} after the feed's revocation; empty when no resident
     * of the municipality is bound to it (a 戸籍 request may still come from a registered non-resident, §9).
     */
    Optional<Binding> optionalBinding(Connection c, ReplicaState state, CardId card) throws SQLException {
        ReplicaStore.CardStanding standing = replica.card(c, state, card);
        if (standing.revoked()) {
            throw new Refusal(ErrorCode.CARD_REVOKED, "card revoked through the feed");
        }
        return standing.boundResident().map(id -> new Binding(state, id));
    }

    /** The bound resident, a current resident of at least the minimum age, with their household. */
    Requester find(Connection c, Municipality municipality, Binding binding, LocalDate today) throws SQLException {
        ReplicaStore.WithHousehold found = replica.residentWithHousehold(c, binding.state(), binding.residentId())
                .orElseThrow(() -> Eligibility.notIssuable("requester not in the replica"));
        ResidentRecord record = found.resident();
        if (record.birthDate() == null
                || Period.between(record.birthDate(), today).getYears() < municipality.minimumAge()) {
            throw Eligibility.notIssuable("requester younger than the minimum age");
        }
        List<ResidentRecord> household = found.household().stream()
                .sorted(HouseholdOrder.PRINT_ORDER).collect(Collectors.toList());
        return new Requester(binding.state(), record, household);
    }
}
