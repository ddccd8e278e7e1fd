package jp.kofu.contract;

import java.util.Optional;

/**
 * The certificate types of contract §8, by their names in the contract ({@code certificateType}, {@code fees} keys).
 * Which ones a municipality offers is its {@code fees}; how each is issued is its definition in {@code issuance}.
 */
public enum CertificateType {
    /** 住民票の写し. */
    JUMINHYO("住民票の写し"),
    /** 住民票記載事項証明書. */
    JUMINHYO_KISAI("住民票記載事項証明書"),
    /** 印鑑登録証明書. */
    INKAN("印鑑登録証明書"),
    /** 戸籍全部事項証明書. */
    KOSEKI_ZENBU("戸籍全部事項証明書"),
    /** 戸籍個人事項証明書. */
    KOSEKI_KOJIN("戸籍個人事項証明書"),
    /** 戸籍の附票の写し. */
    KOSEKI_FUHYO("戸籍の附票の写し");

    private final String title;

    CertificateType(String title) {
        this.title = title;
    }

    /** The certificate's name as printed and shown to staff (住民票の写し …). */
    /** A 戸籍 certificate (contract §9: from the 戸籍システム, not the replica). */
    public boolean isKoseki() {
        return this == KOSEKI_ZENBU || this == KOSEKI_KOJIN || this == KOSEKI_FUHYO;
    }

    public String title() {
        return title;
    }

    /** The type of a contract name, or empty for a name that is no type of §8. */
    public static Optional<CertificateType> of(String name) {
        for (CertificateType t : values()) {
            if (t.name().equals(name)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
