package jp.kofu.issuance;

import jakarta.inject.Singleton;
import jp.kofu.contract.CertificateType;
import jp.kofu.municipality.Municipality;
import jp.kofu.pdf.FormLayout;
import jp.kofu.pdf.InkanContent;
import jp.kofu.pdf.PrintOutcome;
import jp.kofu.replica.ReplicaStore;
import jp.kofu.replica.ResidentRecord;
import jp.kofu.replica.SealRegistration;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * 印鑑登録証明書 (contract §8): 本人 only ({@code scope} must be {@code SELF}), of the card holder's current seal
 * registration as the feed last sent it ({@code SEAL_REGISTER}), read on the issuance's transaction under the same
 * replica lock as everything else: after a {@code SEAL_ABOLISH} has been answered, no node prints the seal again
 * (the 2023 misissues of さいたま・新潟・熊本 printed abolished registrations). No registration: {@code NOT_ISSUABLE}.
 */
@Singleton
final class InkanCertificate implements CertificateDefinition<InkanCertificate.Choices> {
    /** An 印鑑登録証明書 has no options. */
    record Choices() {}

    private final ReplicaStore replica;
    private final CertificateRendering rendering;

    InkanCertificate(ReplicaStore replica, CertificateRendering rendering) {
        this.replica = replica;
        this.rendering = rendering;
    }

    @Override
    public CertificateType type() {
        return CertificateType.INKAN;
    }

    @Override
    public Choices choices(CardRequest request, Municipality municipality) {
        if (request.scope() != CardRequest.Scope.SELF) {
            throw CardRequest.unsupported("an 印鑑登録証明書 is issued to its holder only (scope SELF)");
        }
        request.refuseOptionsOnlyOnRequest("an 印鑑登録証明書");
        return new Choices();
    }

    @Override
    public String logged(Choices choices) {
        return "";
    }

    @Override
    public List<ResidentRecord> persons(Connection c, CardRequest request, Requester requester,
                                        Admission.Admitted admitted) {
        return List.of(requester.record());
    }

    @Override
    public PrintRun prepare(Connection c, Choices choices, Printing p) throws SQLException {
        ResidentRecord holder = p.requester().record();
        Optional<SealRegistration> registration = replica.sealRegistration(c, p.requester().state(),
                holder.residentId());
        if (registration.isEmpty()) {
            return () -> new PrintOutcome.NotPrintable("no current seal registration");
        }
        SealRegistration r = registration.get();
        InkanContent.Seal seal = new InkanContent.Seal(r.registrationNumber(), r.registeredName(), r.registeredOn(),
                r.sealSizeMm(), r.png());
        return () -> rendering.print(p, FormLayout.Kind.INKAN,
                issue -> new InkanContent(issue, holder, seal, p.municipality().inkanPrintsSex()));
    }
}
