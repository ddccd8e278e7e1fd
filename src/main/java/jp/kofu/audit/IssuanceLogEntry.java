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

    /**
     * What a row is about: the endpoint of contract §3–§4, the completion of an issuance, or a 本籍地 利用登録申請
     * (§9) and the query of its status.
     */
    public enum Endpoint {
        ISSUANCE, HOUSEHOLD_LISTING, KOSEKI_LISTING, COMPLETION, KOSEKI_REGISTRATION, KOSEKI_REGISTRATION_STATUS
    }

    /** What came of it. */
    public enum Result { ISSUED, REFUSED, FAILED, REPEATED, LISTED, PRINTED, VOIDED }

    /** A row of {@code endpoint} with {@code result} at {@code loggedAt}; every other field starts empty. */
    public static Builder of(Instant loggedAt, Endpoint endpoint, Result result) {
        return new Builder(loggedAt, endpoint, result);
    }

    /** Fills the fields a row has, by name; the rest stay NULL. */
    public static final class Builder {
        private final Instant loggedAt;
        private final Endpoint endpoint;
        private final Result result;
        private String code;
        private String municipalityCode;
        private String channel;
        private String storeCode;
        private String terminalId;
        private String centerTransactionId;
        private String caller;
        private String cardIssuer;
        private String cardSerial;
        private String requesterId;
        private String printedIds;
        private String certificateType;
        private String scope;
        private String options;
        private Integer copies;
        private Integer pageCount;
        private Integer fee;
        private String issuanceNumber;
        private String pdfSha256;

        private Builder(Instant loggedAt, Endpoint endpoint, Result result) {
            this.loggedAt = loggedAt;
            this.endpoint = endpoint;
            this.result = result;
        }

        /** The refusal code, or the reason of a void. */
        public Builder code(String value) { code = value; return this; }
        public Builder municipality(String value) { municipalityCode = value; return this; }
        public Builder channel(String value) { channel = value; return this; }
        public Builder storeCode(String value) { storeCode = value; return this; }
        public Builder terminalId(String value) { terminalId = value; return this; }
        public Builder centerTransactionId(String value) { centerTransactionId = value; return this; }
        public Builder caller(String value) { caller = value; return this; }
        public Builder card(String issuer, String serialHex) { cardIssuer = issuer; cardSerial = serialHex; return this; }
        public Builder requesterId(String value) { requesterId = value; return this; }
        /** The resident ids printed, comma-separated. */
        public Builder printedIds(String value) { printedIds = value; return this; }
        public Builder certificateType(String value) { certificateType = value; return this; }
        public Builder scope(String value) { scope = value; return this; }
        public Builder options(String value) { options = value; return this; }
        public Builder copies(Integer value) { copies = value; return this; }
        public Builder pageCount(Integer value) { pageCount = value; return this; }
        public Builder fee(Integer value) { fee = value; return this; }
        public Builder issuanceNumber(String value) { issuanceNumber = value; return this; }
        public Builder pdfSha256(String value) { pdfSha256 = value; return this; }

        public IssuanceLogEntry build() {
            return new IssuanceLogEntry(loggedAt, endpoint.name(), result.name(), code, municipalityCode, channel,
                    storeCode, terminalId, centerTransactionId, caller, cardIssuer, cardSerial, requesterId, printedIds,
                    certificateType, scope, options, copies, pageCount, fee, issuanceNumber, pdfSha256);
        }
    }
}
