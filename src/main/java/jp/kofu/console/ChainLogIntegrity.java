package jp.kofu.console;

import jakarta.inject.Singleton;
import jp.kofu.audit.ChainBreak;
import jp.kofu.audit.ChainReport;
import jp.kofu.audit.LogChainVerifier;
import jp.kofu.audit.LogCheckpoints;
import jp.kofu.alarm.AlarmKind;
import jp.kofu.alarm.Alarms;

import java.util.ArrayList;
import java.util.List;

/**
 * The console's view of the issuance log's hash chains: the verifier's report, in the words staff read. A broken
 * log raises the municipality's LOG_CHAIN_BROKEN alarm, an intact one ends it.
 */
@Singleton
final class ChainLogIntegrity implements LogIntegrity {
    private final LogChainVerifier verifier;
    private final Alarms alarms;

    ChainLogIntegrity(LogChainVerifier verifier, Alarms alarms) {
        this.verifier = verifier;
        this.alarms = alarms;
    }

    @Override
    public Result check(String municipalityCode) {
        Result result = checkChains(municipalityCode);
        if (result.state() == State.BROKEN) {
            alarms.raise(AlarmKind.LOG_CHAIN_BROKEN, municipalityCode, LogCheckpoints.LOG_CHAIN,
                    "the issuance log does not verify: " + result.whereBroken());
        } else if (result.intact()) {
            alarms.clear(AlarmKind.LOG_CHAIN_BROKEN, municipalityCode, LogCheckpoints.LOG_CHAIN);
        }
        return result;
    }

    private Result checkChains(String municipalityCode) {
        ChainReport report = verifier.verify(municipalityCode);
        List<Chain> chains = report.chains().stream().map(c -> new Chain(c.key(), c.node(), c.entries(),
                c.lastSequence(), c.breaks() == 0)).toList();
        if (report.intact()) {
            return Result.intact(report.entriesChecked(), chains);
        }
        ChainBreak first = report.firstBreak().orElseThrow();
        List<String> at = new ArrayList<>();
        if (first.sequence() > 0) {
            at.add("連番 " + first.sequence());
        }
        if (first.rowId() != null) {
            at.add("記録ID " + first.rowId());
        }
        if (first.day() != null) {
            at.add(first.day() + " のチェックポイント");
        }
        if (first.chain() != null) {
            at.add("チェーン " + first.chain());
        }
        StringBuilder where = new StringBuilder(first.kind().japanese());
        if (!at.isEmpty()) {
            where.append("（").append(String.join("、", at)).append("）");
        }
        if (report.totalBreaks() > 1) {
            where.append(" ほか ").append(report.totalBreaks() - 1).append(" 件");
        }
        return Result.broken(report.entriesChecked(), where.toString(), chains);
    }
}
