package jp.kofu.verify;

import jakarta.inject.Singleton;
import jp.kofu.config.KofuSettings;
import jp.kofu.db.NodeSecrets;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * The verification address printed on a certificate: {@code <base>/verify/<発行番号>?d=<code>}. The code is an HMAC
 * of the number with a key every node shares, so only someone holding the certificate can ask about it, and
 * nobody can walk through issuance numbers.
 */
@Singleton
public final class VerificationCodes {
    private final SecretKeySpec key;
    private final String baseUrl;

    VerificationCodes(NodeSecrets secrets, KofuSettings settings) {
        this.key = new SecretKeySpec(secrets.key("verify-key"), "HmacSHA256");
        this.baseUrl = settings.verifyBaseUrl();
    }

    public String url(String issuanceNumber) {
        return baseUrl + "/verify/" + issuanceNumber + "?d=" + code(issuanceNumber);
    }

    String code(String issuanceNumber) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return HexFormat.of().formatHex(mac.doFinal(issuanceNumber.getBytes(StandardCharsets.US_ASCII)), 0, 10);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 unavailable", e);
        }
    }

    boolean matches(String issuanceNumber, String code) {
        return code != null && MessageDigest.isEqual(code(issuanceNumber).getBytes(StandardCharsets.US_ASCII),
                code.getBytes(StandardCharsets.US_ASCII));
    }
}
