package jp.kofu.replica;

import jp.kofu.card.CardId;

/** One line of the sync feed (contract §6). {@code seq} is 0 in a snapshot, where lines carry none. */
public sealed interface FeedEvent {
    long seq();

    String municipalityCode();

    record ResidentUpsert(long seq, String municipalityCode, ResidentRecord resident) implements FeedEvent {}

    record ResidentRemove(long seq, String municipalityCode, String residentId) implements FeedEvent {}

    record CardBind(long seq, String municipalityCode, String residentId, CardId card) implements FeedEvent {}

    record CardRevoke(long seq, String municipalityCode, CardId card) implements FeedEvent {}

    record IssuanceBlock(long seq, String municipalityCode, String residentId, boolean active, String reason)
            implements FeedEvent {}
}
