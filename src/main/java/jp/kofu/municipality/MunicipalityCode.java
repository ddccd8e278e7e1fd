package jp.kofu.municipality;

/** 全国地方公共団体コード: five digits and a check digit (modulus 11, weights 6-2). */
public final class MunicipalityCode {
    private MunicipalityCode() {}

    public static boolean isValid(String code) {
        if (code == null || !code.matches("[0-9]{6}")) {
            return false;
        }
        int sum = 0;
        for (int i = 0; i < 5; i++) {
            sum += (code.charAt(i) - '0') * (6 - i);
        }
        int check = (11 - sum % 11) % 10;
        return check == code.charAt(5) - '0';
    }
}
