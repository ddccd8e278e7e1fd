package jp.kofu.issuance;

import jp.kofu.replica.ReplicaState;
import jp.kofu.replica.ResidentRecord;

import java.util.List;

/**
 * The card holder as found in the replica inside the issuance's transaction, with the state it was read under and
 * their household in print order.
 */
record Requester(ReplicaState state, ResidentRecord record, List<ResidentRecord> household) {}
