package jp.kofu.pdf;

/**
 * What a certificate prints: the part every type shares ({@link Issue}) and the type's own part — a resident's
 * record from the replica ({@link ResidentContent}: 住民票の写し, 記載事項証明書, 印鑑登録証明書) or the data of one
 * 戸籍 certificate from the 戸籍システム ({@link KosekiContent}). One printer ({@link CertificatePrinter}) draws them
 * all on their forms.
 */
public sealed interface CertificateContent permits ResidentContent, KosekiContent {
    /** The municipality, mayor, copies, date, form and seal colour. */
    Issue issue();

    /** The key of the form's {@code footer.attestation.texts} that this certificate's 認証文 is. */
    String attestation();

    /** The form kind this content is printed on. */
    FormLayout.Kind kind();
}
