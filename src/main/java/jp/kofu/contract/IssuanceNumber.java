package jp.kofu.contract;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A 発行番号 {@code <municipality>-<yyyyMMdd>-<nnnnnn>} (contract §3), counted per municipality and day. Each copy of
 * a certificate has its own number (§8); the copies of one issuance get consecutive numbers, so an issuance is its
 * first number and its number of copies, and the number of copy {@code k} is {@code first.plus(k)}.
 */
public record IssuanceNumber(String municipalityCode, LocalDate day, int sequence) implements Comparable<IssuanceNumber> {
    /** At most this many copies in one issuance (contract §2: {@code copies} 1–10). */
    public static final int MAX_COPIES = 10;
    private static final Pattern FORMAT = Pattern.compile("([0-9]{6})-([0-9]{8})-([0-9]{6})");
    private static final DateTimeFormatter DAY = DateTimeFormatter.BASIC_ISO_DATE;

    public IssuanceNumber {
        if (sequence < 1 || sequence > 999_999) {
            throw new IllegalArgumentException("a 発行番号 counts from 1 to 999999 a day");
        }
    }

    /** The number of a string in the contract's format, or empty. */
    public static Optional<IssuanceNumber> parse(String text) {
        Matcher m = text == null ? null : FORMAT.matcher(text);
        if (m == null || !m.matches()) {
            return Optional.empty();
        }
        try {
            int sequence = Integer.parseInt(m.group(3));
            return sequence == 0 ? Optional.empty()
                    : Optional.of(new IssuanceNumber(m.group(1), LocalDate.parse(m.group(2), DAY), sequence));
        } catch (java.time.format.DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** The number {@code k} places on (the number of copy {@code k + 1} when this is the first). */
    public IssuanceNumber plus(int k) {
        return new IssuanceNumber(municipalityCode, day, sequence + k);
    }

    /** The numbers of {@code copies} copies, starting with this one. */
    public List<IssuanceNumber> copies(int copies) {
        List<IssuanceNumber> numbers = new ArrayList<>(copies);
        for (int k = 0; k < copies; k++) {
            numbers.add(plus(k));
        }
        return numbers;
    }

    /** The lowest first number of an issuance whose copies may include this number (same day, at most 10 copies). */
    public IssuanceNumber lowestFirst() {
        return new IssuanceNumber(municipalityCode, day, Math.max(1, sequence - (MAX_COPIES - 1)));
    }

    @Override
    public int compareTo(IssuanceNumber o) {
        return toString().compareTo(o.toString());
    }

    @Override
    public String toString() {
        return municipalityCode + "-" + DAY.format(day) + "-" + String.format("%06d", sequence);
    }
}
