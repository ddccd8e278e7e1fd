package jp.kofu.audit;

import java.util.List;
import java.util.Optional;

/**
 * The result of checking one chain of the issuance log.
 *
 * @param chain              the municipality code, or {@code "-"} for the rows without a municipality
 * @param intact             true when no break was found
 * @param entriesChecked     rows read and recomputed
 * @param checkpointsChecked daily checkpoints whose signature and hash were checked
 * @param lastSequence       the last sequence number read (0 for an empty chain)
 * @param breaks             the breaks found, in chain order, at most {@link LogChainVerifier#MAX_BREAKS}
 * @param totalBreaks        how many breaks were found in all (more than {@code breaks} holds when it was cut)
 */
public record ChainReport(String chain, boolean intact, long entriesChecked, long checkpointsChecked,
                          long lastSequence, List<ChainBreak> breaks, long totalBreaks) {
    public ChainReport {
        breaks = List.copyOf(breaks);
    }

    /** Where the chain first breaks. */
    public Optional<ChainBreak> firstBreak() {
        return breaks.stream().findFirst();
    }
}
