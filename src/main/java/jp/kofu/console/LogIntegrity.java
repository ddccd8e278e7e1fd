package jp.kofu.console;

import java.util.List;

/**
 * Whether a municipality's issuance log is intact (its hash chains, one per node, unbroken) and, if not, where it breaks. The
 * console shows the answer on the ログの完全性 page and on the home page; {@link ChainLogIntegrity} asks the
 * issuance log's chain verifier ({@link jp.kofu.audit.LogChainVerifier}).
 */
public interface LogIntegrity {
    Result check(String municipalityCode);

    enum State { INTACT, BROKEN, UNCHECKED }

    /**
     * @param entriesChecked log rows whose chain was checked
     * @param whereBroken    for BROKEN: the first row that does not chain (e.g. "id 1234, 2026-11-23 10:15"); for
     *                       UNCHECKED: why nothing was checked
     * @param chains         the municipality's chains, in order of their key (none when UNCHECKED)
     */
    record Result(State state, long entriesChecked, String whereBroken, List<Chain> chains) {
        public Result {
            chains = List.copyOf(chains);
        }

        public static Result intact(long entriesChecked) {
            return intact(entriesChecked, List.of());
        }

        public static Result intact(long entriesChecked, List<Chain> chains) {
            return new Result(State.INTACT, entriesChecked, null, chains);
        }

        public static Result broken(long entriesChecked, String whereBroken) {
            return broken(entriesChecked, whereBroken, List.of());
        }

        public static Result broken(long entriesChecked, String whereBroken, List<Chain> chains) {
            return new Result(State.BROKEN, entriesChecked, whereBroken, chains);
        }

        public static Result unchecked(String why) {
            return new Result(State.UNCHECKED, 0, why, List.of());
        }

        public boolean intact() {
            return state == State.INTACT;
        }
    }

    /**
     * One chain of the municipality's log.
     *
     * @param key          e.g. {@code 112038/kofu-a}
     * @param node         the node that writes it, or null for the chain of the rows written before chains were
     *                     per node
     * @param entries      its rows checked
     * @param lastSequence its last sequence number
     * @param intact       no break found in it
     */
    record Chain(String key, String node, long entries, long lastSequence, boolean intact) {}
}
