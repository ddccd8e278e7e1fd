package jp.kofu.pdf;

import jp.kofu.koseki.KosekiAnswer;

import java.util.Objects;

/**
 * A certificate of the 戸籍 path (contract §9), printed from what the 戸籍システム answered for it: a
 * 戸籍全部事項証明書 ({@code ZENBU}), a 戸籍個人事項証明書 of the persons asked for ({@code KOJIN}) or a 戸籍の附票の写し
 * ({@code FUHYO}); the answer's {@code kind} says which. A 戸籍 certificate always prints 本籍 and 筆頭者; a 附票
 * prints them only when asked ({@code printsDomicile}: omitted unless requested since 2022-01-11, certificates.md §1.4).
 */
public record KosekiContent(Issue issue, KosekiAnswer answer, boolean printsDomicile) implements CertificateContent {
    public KosekiContent {
        Objects.requireNonNull(issue, "issue");
        Objects.requireNonNull(answer, "answer");
        Objects.requireNonNull(answer.kind(), "answer.kind");
        if (answer.persons().isEmpty()) {
            throw new IllegalArgumentException("a 戸籍 certificate prints at least one person");
        }
        if (answer.kind() != KosekiAnswer.Kind.FUHYO && !printsDomicile) {
            throw new IllegalArgumentException("a 戸籍 certificate always prints 本籍 and 筆頭者");
        }
    }

    /** A 戸籍全部事項証明書 or 戸籍個人事項証明書 (本籍 and 筆頭者 always), or a 附票 without 本籍 and 筆頭者. */
    public static KosekiContent of(Issue issue, KosekiAnswer answer) {
        return new KosekiContent(issue, answer, answer.kind() != KosekiAnswer.Kind.FUHYO);
    }

    /** A 戸籍の附票の写し, with 本籍 and 筆頭者 when the request asks for them. */
    public static KosekiContent fuhyo(Issue issue, KosekiAnswer answer, boolean printsDomicile) {
        if (answer.kind() != KosekiAnswer.Kind.FUHYO) {
            throw new IllegalArgumentException("not the data of a 附票: " + answer.kind());
        }
        return new KosekiContent(issue, answer, printsDomicile);
    }

    /** {@code ZENBU}, {@code KOJIN} or {@code FUHYO}: the 認証文 of each differs. */
    @Override
    public String attestation() {
        return answer.kind().name();
    }

    @Override
    public FormLayout.Kind kind() {
        return switch (answer.kind()) {
            case ZENBU -> FormLayout.Kind.KOSEKI_ZENBU;
            case KOJIN -> FormLayout.Kind.KOSEKI_KOJIN;
            case FUHYO -> FormLayout.Kind.KOSEKI_FUHYO;
        };
    }

    /** The kind and 発行番号 only: the answer's personal data is no part of a log line. */
    @Override
    public String toString() {
        return "KosekiContent[" + answer.kind() + ", " + issue.firstIssuanceNumber() + "]";
    }
}
