package jp.kofu.issuance;

import jp.kofu.contract.CertificateType;
import jp.kofu.municipality.Municipality;
import jp.kofu.pdf.PrintOutcome;
import jp.kofu.replica.ResidentRecord;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * One certificate type of contract §8, and everything that is particular to it: what a request of the type may
 * choose, who may be printed, which data it reads, and its form. What every type shares — admission of the
 * card-signed request, the card holder in the replica, the refusal rules of §2, numbers, the log row and the kept
 * answer — is {@link IssuanceService}'s, so a new type is one class here. The 戸籍 types, whose data is not in the
 * replica and whose holder may be no resident, are {@link KosekiCertificates}.
 *
 * @param <C> the choices a request of this type makes (its options)
 */
interface CertificateDefinition<C> {
    CertificateType type();

    /**
     * What the request chooses, checked against what the type allows and the municipality offers before anything
     * is read (an option not offered, or a scope the type does not have: {@code UNSUPPORTED_CERTIFICATE}).
     */
    C choices(CardRequest request, Municipality municipality);

    /** The choices as the log row's {@code options} column: names only, never a value of the record. */
    String logged(C choices);

    /**
     * The persons to print, from the card holder and their household, on the issuance's transaction; a refusal
     * ({@code NOT_ISSUABLE}) when the request names someone who may not be printed.
     */
    List<ResidentRecord> persons(Connection c, CardRequest request, Requester requester, Admission.Admitted admitted)
            throws SQLException;

    /**
     * Reads, on the issuance's transaction, whatever else the certificate shows, and answers its print run: the
     * rendering and signing, which {@link IssuanceService} runs after that transaction has ended (it is slow, may ask
     * a time-stamp authority, and must not run again when a transaction is retried). The run uses only what was read
     * here.
     */
    PrintRun prepare(Connection c, C choices, Printing printing) throws SQLException;

    /** A certificate ready to render and sign, without a connection: the signed PDF, or why it cannot be printed. */
    @FunctionalInterface
    interface PrintRun {
        /** The signed PDF, or why not; a {@code Refusal} thrown here is the request's answer. */
        PrintOutcome render();

        /**
         * What the log row's {@code printed_ids} holds when the run, not the read, learns whom it prints (the 戸籍
         * types: the person keys, {@link KosekiCertificates#PRINTED_PREFIX}); empty: as read.
         */
        default java.util.Optional<String> printedIds() {
            return java.util.Optional.empty();
        }
    }
}
