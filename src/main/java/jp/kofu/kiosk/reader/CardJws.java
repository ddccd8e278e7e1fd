package jp.kofu.kiosk.reader;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.util.Base64;
import com.nimbusds.jose.util.Base64URL;

import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateEncodingException;
import java.util.List;

/**
 * The card-signed request of contract §2 made by a card in a reader: header {@code {"alg":"RS256","x5c":[card]}},
 * the payload's exact bytes, and the card's PKCS#1 v1.5 signature of the SHA-256 DigestInfo of the signing input.
 */
public final class CardJws {
    private CardJws() {}

    /** The JWS compact serialization of {@code payloadJson}, signed by the card (its PIN already verified). */
    public static String sign(CardConnection card, byte[] payloadJson) {
        JWSHeader header;
        try {
            header = new JWSHeader.Builder(JWSAlgorithm.RS256)
                    .x509CertChain(List.of(Base64.encode(card.certificate().getEncoded())))
                    .build();
        } catch (CertificateEncodingException e) {
            throw new CardReaderException(CardReaderException.Reason.NOT_A_JPKI_CARD, "the card certificate cannot be encoded", e);
        }
        String signingInput = header.toBase64URL() + "." + Base64URL.encode(payloadJson);
        byte[] signature = card.sign(DigestInfos.sha256(signingInput.getBytes(StandardCharsets.US_ASCII)));
        return signingInput + "." + Base64URL.encode(signature);
    }
}
