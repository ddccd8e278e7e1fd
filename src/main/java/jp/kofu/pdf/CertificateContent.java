package jp.kofu.pdf;

import jp.kofu.replica.ResidentRecord;

import java.util.List;

/**
 * What a certificate prints: the part every type shares ({@link Issue}) and the type's own part. One printer
 * ({@link CertificatePrinter}) draws them all on their forms.
 */
public sealed interface CertificateContent permits JuminhyoContent, KisaiContent, InkanContent {
    /** The municipality, mayor, copies, date, form and seal colour. */
    Issue issue();

    /** The persons printed, in print order. */
    List<ResidentRecord> persons();

    /** The key of the form's {@code footer.attestation.texts} that this certificate's 認証文 is. */
    String attestation();

    /** The form kind this content is printed on. */
    FormLayout.Kind kind();
}
