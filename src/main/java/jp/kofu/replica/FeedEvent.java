package jp.kofu.replica;

import jp.kofu.card.CardId;
import jp.kofu.contract.CertificateType;

import java.time.OffsetDateTime;
import java.util.Set;

/** One line of the sync feed (contract §6). {@code seq} is 0 in a snapshot, where lines carry none. */
public sealed interface FeedEvent {
    long seq();

    String municipalityCode();

    /** The line's {@code type}, as the contract names it (§6). */
    default String type() {
        if (this instanceof ResidentUpsert) {
            return "RESIDENT_UPSERT";
        } else if (this instanceof ResidentRemove) {
            return "RESIDENT_REMOVE";
        } else if (this instanceof CardBind) {
            return "CARD_BIND";
        } else if (this instanceof CardRevoke) {
            return "CARD_REVOKE";
        } else if (this instanceof IssuanceBlock) {
            return "ISSUANCE_BLOCK";
        } else if (this instanceof SealRegister) {
            return "SEAL_REGISTER";
        } else if (this instanceof SealAbolish) {
            return "SEAL_ABOLISH";
        }
        return "HEARTBEAT";
    }

    record ResidentUpsert(long seq, String municipalityCode, ResidentRecord resident) implements FeedEvent {}

    record ResidentRemove(long seq, String municipalityCode, String residentId) implements FeedEvent {}

    record CardBind(long seq, String municipalityCode, String residentId, CardId card) implements FeedEvent {}

    record CardRevoke(long seq, String municipalityCode, CardId card) implements FeedEvent {}

    /**
     * @param certificateTypes the types the block names; empty = every type
     * @param householdWide    the block covers every member of the person's household, while they share it
     */
    record IssuanceBlock(long seq, String municipalityCode, String residentId, boolean active, String reason,
                         Set<CertificateType> certificateTypes, boolean householdWide) implements FeedEvent {
        public IssuanceBlock {
            certificateTypes = Set.copyOf(certificateTypes);
        }
    }

    /** 印鑑登録: creates or replaces the person's one registration. */
    record SealRegister(long seq, String municipalityCode, String residentId, SealRegistration registration)
            implements FeedEvent {}

    /** 印鑑登録の廃止・抹消: the registration and its image are deleted. */
    record SealAbolish(long seq, String municipalityCode, String residentId) implements FeedEvent {}

    /** Every change up to {@code asOf} has been sent. */
    record Heartbeat(long seq, String municipalityCode, OffsetDateTime asOf) implements FeedEvent {}
}
