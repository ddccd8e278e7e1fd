package jp.kofu.console;

/**
 * Whether a municipality's issuance log is intact (its hash chain unbroken) and, if not, where it breaks. The
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
     */
    record Result(State state, long entriesChecked, String whereBroken) {
        public static Result intact(long entriesChecked) {
            return new Result(State.INTACT, entriesChecked, null);
        }

        public static Result broken(long entriesChecked, String whereBroken) {
            return new Result(State.BROKEN, entriesChecked, whereBroken);
        }

        public static Result unchecked(String why) {
            return new Result(State.UNCHECKED, 0, why);
        }

        public boolean intact() {
            return state == State.INTACT;
        }
    }
}
