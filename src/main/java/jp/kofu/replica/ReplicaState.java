package jp.kofu.replica;

/** A municipality's replica: the last applied {@code seq} and the live generation of its rows. */
public record ReplicaState(String municipalityCode, long appliedThrough, long generation) {}
