package jp.kofu.pdf;

import java.util.EnumSet;
import java.util.Set;

/**
 * What a 住民票記載事項証明書 may certify (contract §8 {@code options.items}). Never 個人番号 or 住民票コード. The
 * 氏名 is printed whatever is chosen (it says whom the certificate is of), and 旧氏 and 通称 with it when recorded.
 */
public enum KisaiItem {
    NAME, BIRTH_DATE, SEX, ADDRESS, HOUSEHOLDER, RELATIONSHIP, BECAME_RESIDENT_ON, ADDRESS_SET_ON, DOMICILE;

    /** The items certified when a request names none: 氏名, 生年月日, 男女の別, 住所. */
    public static Set<KisaiItem> defaults() {
        return EnumSet.of(NAME, BIRTH_DATE, SEX, ADDRESS);
    }

    /** The item of a contract name ({@code options.items}), or empty. */
    public static java.util.Optional<KisaiItem> of(String name) {
        for (KisaiItem item : values()) {
            if (item.name().equals(name)) {
                return java.util.Optional.of(item);
            }
        }
        return java.util.Optional.empty();
    }
}
