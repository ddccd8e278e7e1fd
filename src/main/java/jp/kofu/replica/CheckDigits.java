package jp.kofu.replica;

/**
 * Check digits of 個人番号 (12 digits; 平成26年総務省令第85号 第5条) and 住民票コード (11 digits). Both use modulus 11
 * with weights 2–7 repeating from the lowest digit, and 0 where the remainder is 0 or 1. For 住民票コード the same
 * rule is assumed (住民基本台帳法施行規則 第1条); see docs/replica.md.
 */
public final class CheckDigits {
    private CheckDigits() {}

    public static boolean isIndividualNumber(String s) {
        return s != null && s.matches("[0-9]{12}") && checkDigit(s.substring(0, 11)) == s.charAt(11) - '0';
    }

    public static boolean isResidentCode(String s) {
        return s != null && s.matches("[0-9]{11}") && checkDigit(s.substring(0, 10)) == s.charAt(10) - '0';
    }

    /** The check digit to append to {@code digits}. */
    public static int checkDigit(String digits) {
        int sum = 0;
        for (int n = 1; n <= digits.length(); n++) {
            int digit = digits.charAt(digits.length() - n) - '0';
            int weight = (n - 1) % 6 + 2;
            sum += digit * weight;
        }
        int remainder = sum % 11;
        return remainder <= 1 ? 0 : 11 - remainder;
    }
}
