package jp.kofu.console;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Optional;

/**
 * One revision of an issuance's 処分情報 (交付履歴, 住民記録システム標準仕様書 1.3.8): what became of its paper, on
 * which day, why, and who recorded it when. Revision 1 is the record; each later one a correction that replaces it.
 *
 * @param issuanceNumber the issuance's first 発行番号 (the record covers all its copies)
 * @param note           the staff member's short note, at most {@link #NOTE_LIMIT} characters; null when none
 */
record Disposal(String issuanceNumber, int revision, Disposition disposition, LocalDate disposedOn, Reason reason,
                String note, Instant recordedAt, String recordedBy) {
    static final int NOTE_LIMIT = 100;

    public boolean isCorrection() {
        return revision > 1;
    }

    public String disposedOnLabel() {
        return ConsoleDates.date(disposedOn);
    }

    public String recordedAtLabel() {
        return ConsoleDates.longDateTime(recordedAt);
    }

    /** What became of the paper. */
    enum Disposition {
        RECOVERED_DESTROYED("回収して廃棄"),
        DESTROYED_BY_RECIPIENT("受け取った人が廃棄（確認済み）"),
        NOT_RECOVERED("回収できず");

        private final String label;

        Disposition(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        static Optional<Disposition> parse(String name) {
            return Arrays.stream(values()).filter(d -> d.name().equals(name)).findFirst();
        }
    }

    /** Why the paper had to be taken back: fixed choices, so that nothing personal is typed here. */
    enum Reason {
        WRONG_PERSON("別の人の証明書を交付した"),
        WRONG_CONTENT("記載の内容に誤りがあった"),
        PRINT_DEFECT("印刷に不良があった"),
        DUPLICATE("重ねて交付した"),
        OTHER("その他（備考に記入）");

        private final String label;

        Reason(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        static Optional<Reason> parse(String name) {
            return Arrays.stream(values()).filter(r -> r.name().equals(name)).findFirst();
        }
    }
}
