package jp.kofu.card;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.util.Base64;
import java.nio.file.Path;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.List;
import jp.kofu.pki.Credential;
import jp.kofu.pki.Pkcs12;
import jp.kofu.pki.PkiException;

/**
 * A card whose key is in a PKCS#12 file instead of a chip: signs requests the way an Individual Number Card does
 * (RS256, the certificate as the only {@code x5c} entry). For the demo command, tests and kiosk development.
 */
public final class SoftwareCard {
    private final Credential credential;
    private final JWSHeader header;

    private SoftwareCard(Credential credential) {
        this.credential = credential;
        try {
            this.header = new JWSHeader.Builder(JWSAlgorithm.RS256)
                    .x509CertChain(List.of(Base64.encode(credential.certificate().getEncoded())))
                    .build();
        } catch (CertificateEncodingException e) {
            throw new PkiException("the card certificate cannot be encoded", e);
        }
    }

    /** Loads a card from a PKCS#12 file holding its key and certificate. */
    public static SoftwareCard load(Path pkcs12, char[] password) {
        return new SoftwareCard(Pkcs12.read(pkcs12, password));
    }

    /** A card from a key and certificate already in memory. */
    public static SoftwareCard of(Credential credential) {
        return new SoftwareCard(credential);
    }

    /** The card's user-authentication certificate. */
    public X509Certificate certificate() {
        return credential.certificate();
    }

    /** The JWS compact serialization of {@code payloadJson} signed RS256, header {@code {"alg":"RS256","x5c":[…]}}. */
    public String sign(byte[] payloadJson) {
        JWSObject jws = new JWSObject(header, new Payload(payloadJson.clone()));
        try {
            jws.sign(new RSASSASigner(credential.privateKey()));
        } catch (JOSEException e) {
            throw new PkiException("the card could not sign", e);
        }
        return jws.serialize();
    }
}
