package jp.kofu.alarm;

import jp.kofu.contract.IssuanceNumber;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A J-LIS error notice as staff record it (alarm kind {@link AlarmKind#CENTER_NOTICE}): the day it was received,
 * the center's reference, the 発行番号 it concerns if it names one, and a short note. The form's rules live here, so
 * that what is written is always what {@link #ofDetail} reads back.
 *
 * <p>Stored in the alarm row without new columns: the subject is {@link #subject()} (one open row per reference),
 * the detail is {@link #detail()}, a fixed-order text whose note comes last, so that a note can never pose as one of
 * the fields before it. Nothing personal is meant to be typed (the form says so), and a note with a long run of
 * digits — a 個人番号 or 住民票コード — is refused.
 *
 * @param issuanceNumber null when the notice names no issuance
 */
public record CenterNotice(LocalDate receivedOn, String reference, String issuanceNumber, String note) {
    /** The most characters of a note. */
    public static final int NOTE_LIMIT = 200;
    /** The most characters of the center's reference. */
    public static final int REFERENCE_LIMIT = 32;
    /** The earliest day a notice can have been received (コンビニ交付 began in 2010). */
    static final LocalDate EARLIEST = LocalDate.of(2010, 1, 1);
    private static final Pattern REFERENCE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_./-]{0,31}");
    private static final Pattern LONG_DIGITS = Pattern.compile("[0-9０-９]{10,}");
    private static final String SUBJECT = "交付センターの通知 ";
    private static final Pattern DETAIL = Pattern.compile("received=([0-9]{4}-[0-9]{2}-[0-9]{2})"
            + "(?: issuance=([0-9]{6}-[0-9]{8}-[0-9]{6}))? note=(.*)", Pattern.DOTALL);

    /** What the form's fields come to: a notice, or the one sentence that says what to correct. */
    public sealed interface Parsed {
        record Valid(CenterNotice notice) implements Parsed {}

        record Invalid(String problem) implements Parsed {}
    }

    /**
     * Checks the form's fields (each may be null). The 発行番号 is checked for its format only: whether it is an
     * issuance of the staff member's municipality is for the caller, who can read the issuance table.
     */
    public static Parsed parse(String receivedOn, String reference, String issuanceNumber, String note,
                               LocalDate today) {
        Optional<LocalDate> day = date(receivedOn);
        String ref = reference == null ? "" : reference.strip();
        String number = issuanceNumber == null ? "" : issuanceNumber.strip();
        String text = note == null ? "" : note.strip();
        String problem = receivedOn == null || receivedOn.isBlank() ? "通知を受けた日を入力してください。"
                : day.isEmpty() ? "通知を受けた日の形式が正しくありません（例 2026-11-30）。"
                : day.get().isAfter(today) ? "通知を受けた日に、今日より後の日は入力できません。"
                : day.get().isBefore(EARLIEST) ? "通知を受けた日に、2010年より前の日は入力できません。"
                : ref.isEmpty() ? "交付センターの通知番号を入力してください。"
                : !REFERENCE.matcher(ref).matches() ? "交付センターの通知番号は、半角の英数字と - _ . / で"
                        + REFERENCE_LIMIT + "文字までです。"
                : !number.isEmpty() && IssuanceNumber.parse(number).isEmpty()
                        ? "発行番号の形式が正しくありません（例 112038-20261130-000001）。"
                : text.isEmpty() ? "通知の内容を、メモに短く書いてください。"
                : text.codePointCount(0, text.length()) > NOTE_LIMIT ? "メモは" + NOTE_LIMIT + "文字までです。"
                : text.codePoints().anyMatch(Character::isISOControl) ? "メモに改行などの制御文字は使えません。"
                : LONG_DIGITS.matcher(text).find() ? "メモに10桁以上の数字は書けません（個人番号・住民票コードなど、"
                        + "個人を特定する情報は書かないでください。発行番号は発行番号の欄へ）。"
                : null;
        if (problem != null) {
            return new Parsed.Invalid(problem);
        }
        return new Parsed.Valid(new CenterNotice(day.get(), ref, number.isEmpty() ? null : number, text));
    }

    /** The alarm row's subject: one open row per reference of a municipality. */
    public String subject() {
        return SUBJECT + reference;
    }

    /** The alarm row's detail (at most 22 + 32 + 36 + 200 characters, within the column's 512). */
    public String detail() {
        return "received=" + receivedOn + (issuanceNumber == null ? "" : " issuance=" + issuanceNumber)
                + " note=" + note;
    }

    /** The notice a CENTER_NOTICE row holds, read back from its subject and detail. */
    public static Optional<CenterNotice> ofDetail(String subject, String detail) {
        Matcher m = detail == null ? null : DETAIL.matcher(detail);
        if (m == null || subject == null || !subject.startsWith(SUBJECT) || !m.matches()) {
            return Optional.empty();
        }
        return date(m.group(1)).map(day -> new CenterNotice(day, subject.substring(SUBJECT.length()), m.group(2),
                m.group(3)));
    }

    private static Optional<LocalDate> date(String text) {
        try {
            return text == null || text.isBlank() ? Optional.empty() : Optional.of(LocalDate.parse(text.strip()));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
