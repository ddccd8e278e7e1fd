package jp.kofu.audit;

import java.time.LocalDate;

/**
 * One place where a log chain is not what Kofu wrote.
 *
 * @param chain    the chain concerned ({@code 112038/kofu-a}, or {@code 112038} for a chain written before chains
 *                 were per node), or null for a break of the municipality's daily checkpoint itself
 * @param kind     what is wrong
 * @param sequence the sequence number in the chain where it is seen (0 when none applies)
 * @param rowId    the {@code issuance_log.id} of the row concerned, or null (a missing row has none)
 * @param day      the day of the checkpoint concerned, or null
 * @param detail   one English sentence for the operator (never a row's content)
 */
public record ChainBreak(String chain, Kind kind, long sequence, Long rowId, LocalDate day, String detail) {

    /** What is wrong, with its Japanese and English wording for the console and the command line. */
    public enum Kind {
        CHANGED_ROW("記録が書き換えられています", "a row was changed"),
        DELETED_ROW("記録が削除されています", "a row was deleted"),
        INSERTED_ROW("記録が後から差し込まれています", "a row was inserted"),
        BROKEN_LINK("前の記録とのつながりが切れています（どちらかが書き換えられたか差し込まれた）",
                "a row does not follow the one before it (one of them was changed or inserted)"),
        BAD_CHECKPOINT_SIGNATURE("日次チェックポイントの署名が正しくありません", "a daily checkpoint has a bad signature"),
        CHECKPOINT_MISMATCH("日次チェックポイントと記録が一致しません（記録が書き換えられています）",
                "a daily checkpoint does not match the log (the log was rewritten)");

        private final String japanese;
        private final String english;

        Kind(String japanese, String english) {
            this.japanese = japanese;
            this.english = english;
        }

        public String japanese() {
            return japanese;
        }

        public String english() {
            return english;
        }
    }
}
