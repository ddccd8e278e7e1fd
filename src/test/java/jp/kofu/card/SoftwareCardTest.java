package jp.kofu.card;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.util.JSONObjectUtils;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import jp.kofu.pki.Credential;
import jp.kofu.pki.Pkcs12;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class SoftwareCardTest {

    @Test
    void signsWithOnlyAlgAndX5cInTheProtectedHeader(@TempDir Path folder) throws Exception {
        TestJpki jpki = new TestJpki(folder);
        Credential card = jpki.card();
        Pkcs12.write(folder.resolve("card.p12"), card, "pin".toCharArray());
        byte[] payload = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);

        String jws = SoftwareCard.load(folder.resolve("card.p12"), "pin".toCharArray()).sign(payload);

        Map<String, Object> header = JSONObjectUtils.parse(
                new String(Base64.getUrlDecoder().decode(jws.split("\\.")[0]), StandardCharsets.UTF_8));
        assertEquals(Map.of("alg", "RS256",
                "x5c", List.of(Base64.getEncoder().encodeToString(card.certificate().getEncoded()))), header);
        JWSObject parsed = JWSObject.parse(jws);
        assertTrue(parsed.verify(new RSASSAVerifier((RSAPublicKey) card.certificate().getPublicKey())));
        assertArrayEquals(payload, parsed.getPayload().toBytes());
    }
}
