package jp.kofu.audit;

import java.util.List;
import java.util.Optional;

/**
 * The result of checking the issuance log of one municipality: every chain of it (one per node, and the one of
 * the rows written before chains were per node) and its daily checkpoints.
 *
 * @param municipality       the municipality code, or {@code "-"} for the rows without a municipality
 * @param intact             true when no break was found
 * @param entriesChecked     rows read and recomputed, in all its chains
 * @param checkpointsChecked daily checkpoints whose signature and hashes were checked
 * @param chains             each chain found, in byte order of its key
 * @param breaks             the breaks found, by chain and in chain order, at most {@link LogChainVerifier#MAX_BREAKS}
 * @param totalBreaks        how many breaks were found in all (more than {@code breaks} holds when it was cut)
 */
public record ChainReport(String municipality, boolean intact, long entriesChecked, long checkpointsChecked,
                          List<Chain> chains, List<ChainBreak> breaks, long totalBreaks) {
    public ChainReport {
        chains = List.copyOf(chains);
        breaks = List.copyOf(breaks);
    }

    /**
     * One chain of the municipality.
     *
     * @param key          its chain key, e.g. {@code 112038/kofu-a}
     * @param entries      rows read
     * @param lastSequence the last sequence number read (0 when it has no row left)
     * @param breaks       how many of the breaks are in this chain
     */
    public record Chain(String key, long entries, long lastSequence, long breaks) {
        /** The node that writes this chain, or null for a chain written before chains were per node. */
        public String node() {
            int slash = key.indexOf('/');
            return slash < 0 ? null : key.substring(slash + 1);
        }
    }

    /** The municipality code ({@link #municipality()}), as the report of the one-chain-per-municipality log named it. */
    public String chain() {
        return municipality;
    }

    /** The chain of this key, if the municipality has it. */
    public Optional<Chain> chain(String key) {
        return chains.stream().filter(c -> c.key().equals(key)).findFirst();
    }

    /** Where the log first breaks. */
    public Optional<ChainBreak> firstBreak() {
        return breaks.stream().findFirst();
    }
}
