package jp.kofu.console;

import jakarta.inject.Singleton;
import jp.kofu.audit.ChainBreak;
import jp.kofu.audit.ChainReport;
import jp.kofu.audit.LogChainVerifier;

/** The console's view of the issuance log's hash chain: the verifier's report, in the words staff read. */
@Singleton
final class ChainLogIntegrity implements LogIntegrity {
    private final LogChainVerifier verifier;

    ChainLogIntegrity(LogChainVerifier verifier) {
        this.verifier = verifier;
    }

    @Override
    public Result check(String municipalityCode) {
        ChainReport report = verifier.verify(municipalityCode);
        if (report.intact()) {
            return Result.intact(report.entriesChecked());
        }
        ChainBreak first = report.firstBreak().orElseThrow();
        StringBuilder where = new StringBuilder(first.kind().japanese());
        where.append("（連番 ").append(first.sequence());
        if (first.rowId() != null) {
            where.append("、記録ID ").append(first.rowId());
        }
        if (first.day() != null) {
            where.append("、").append(first.day()).append(" のチェックポイント");
        }
        where.append("）");
        if (report.totalBreaks() > 1) {
            where.append(" ほか ").append(report.totalBreaks() - 1).append(" 件");
        }
        return Result.broken(report.entriesChecked(), where.toString());
    }
}
