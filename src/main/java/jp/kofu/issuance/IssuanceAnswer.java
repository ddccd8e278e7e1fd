package jp.kofu.issuance;

import jp.kofu.contract.Json;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The answer of an issuance (contract §3), made once before the recording transaction that may run again: the JSON
 * body as Jackson writes the whole answer (the PDF in standard base64, then {@code pdfSha256}), and the same answer
 * to keep, which holds the PDF once as its bytes: the body without the base64 text, and where that text goes.
 */
record IssuanceAnswer(byte[] json, int pdfAt, byte[] pdf) {
    private static final byte[] PDF_FIELD = ",\"pdf\":\"".getBytes(StandardCharsets.US_ASCII);

    static IssuanceAnswer of(RequestFacts facts, byte[] pdf, int pageCount, String pdfSha256, int fee,
                             List<String> issuanceNumbers) {
        return of(facts.centerTransactionId(), facts.request().certificateType(), facts.request().copies(), pdf,
                pageCount, pdfSha256, fee, issuanceNumbers);
    }

    static IssuanceAnswer of(String centerTransactionId, String certificateType, int copies, byte[] pdf,
                             int pageCount, String pdfSha256, int fee, List<String> issuanceNumbers) {
        Map<String, Object> head = new LinkedHashMap<>();
        head.put("centerTransactionId", centerTransactionId);
        head.put("issuanceNumber", issuanceNumbers.get(0));
        head.put("issuanceNumbers", issuanceNumbers);
        head.put("certificateType", certificateType);
        head.put("copies", copies);
        head.put("pageCount", pageCount);
        head.put("fee", fee);
        byte[] start = Json.bytes(head); // {...,"fee":200}: its '}' becomes ,"pdf":"
        byte[] end = ("\",\"pdfSha256\":\"" + pdfSha256 + "\"}").getBytes(StandardCharsets.US_ASCII);
        int at = start.length - 1 + PDF_FIELD.length;
        byte[] json = new byte[at + end.length];
        System.arraycopy(start, 0, json, 0, start.length - 1);
        System.arraycopy(PDF_FIELD, 0, json, start.length - 1, PDF_FIELD.length);
        System.arraycopy(end, 0, json, at, end.length);
        return new IssuanceAnswer(json, at, pdf);
    }

    /** The HTTP answer: the body with the PDF's base64 text in its place. */
    Answer answer() {
        return new Answer(200, body(json, pdfAt, pdf));
    }

    /** What the recording transaction keeps for the caller's id, tied to {@code residentIds}. */
    CenterTransactions.Kept kept(String residentIds) {
        return new CenterTransactions.Kept(200, json, pdf, pdfAt, residentIds);
    }

    /** {@code json} with the standard base64 of {@code pdf} at byte {@code at}. */
    static byte[] body(byte[] json, int at, byte[] pdf) {
        byte[] text = Base64.getEncoder().encode(pdf);
        byte[] body = new byte[json.length + text.length];
        System.arraycopy(json, 0, body, 0, at);
        System.arraycopy(text, 0, body, at, text.length);
        System.arraycopy(json, at, body, at + text.length, json.length - at);
        return body;
    }
}
