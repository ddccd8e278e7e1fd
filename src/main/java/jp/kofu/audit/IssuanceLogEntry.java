package jp.kofu.audit;

import java.time.Instant;

/**
 * One row of the issuance log: who asked for what, through which terminal, and what came of it. Residents appear
 * by internal id (宛名番号) only; a 個人番号, a name or the PDF never does.
 */
public record IssuanceLogEntry(
        Instant loggedAt,
        String endpoint,
        String result,
        String code,
        String municipalityCode,
        String channel,
        String storeCode,
        String terminalId,
        String centerTransactionId,
        String caller,
        String cardIssuer,
        String cardSerial,
        String requesterId,
        String printedIds,
        String certificateType,
        String scope,
        String options,
        Integer copies,
        Integer pageCount,
        Integer fee,
        String issuanceNumber,
        String pdfSha256) {

    public static final String ISSUED = "ISSUED";
    public static final String REFUSED = "REFUSED";
    public static final String FAILED = "FAILED";
}
