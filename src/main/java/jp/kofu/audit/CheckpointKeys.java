package jp.kofu.audit;

import jakarta.inject.Singleton;
import jp.kofu.municipality.Municipality;
import jp.kofu.municipality.MunicipalityRegistry;
import jp.kofu.signing.DocumentSigner;
import jp.kofu.signing.MunicipalSigners;

import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/**
 * The keys of the daily checkpoints: each municipality signs its own with its document-signing key. A checkpoint
 * signature is trusted when its certificate is the municipality's current signing certificate, or one with the same
 * subject issued by a CA of the current certificate's chain (the key was renewed since).
 */
@Singleton
public final class CheckpointKeys {
    private final MunicipalityRegistry municipalities;
    private final MunicipalSigners signers;

    public CheckpointKeys(MunicipalityRegistry municipalities, MunicipalSigners signers) {
        this.municipalities = municipalities;
        this.signers = signers;
    }

    /** The signer of a municipality served here. */
    Optional<DocumentSigner> signer(String municipalityCode) {
        return municipalities.find(municipalityCode).map(signers::forMunicipality);
    }

    /** The municipalities whose chains get checkpoints. */
    List<String> municipalityCodes() {
        return municipalities.all().stream().map(Municipality::code).sorted().toList();
    }

    boolean trusts(String municipalityCode, X509Certificate certificate) {
        Optional<DocumentSigner> signer = signer(municipalityCode);
        if (signer.isEmpty()) {
            return false;
        }
        List<X509Certificate> chain = signer.get().chain();
        if (chain.get(0).equals(certificate)) {
            return true;
        }
        if (!chain.get(0).getSubjectX500Principal().equals(certificate.getSubjectX500Principal())) {
            return false;
        }
        for (X509Certificate ca : chain.subList(1, chain.size())) {
            if (ca.getSubjectX500Principal().equals(certificate.getIssuerX500Principal())) {
                try {
                    certificate.verify(ca.getPublicKey());
                    return true;
                } catch (GeneralSecurityException e) {
                    return false;
                }
            }
        }
        return false;
    }
}
