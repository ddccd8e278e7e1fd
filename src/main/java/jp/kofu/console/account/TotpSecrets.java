package jp.kofu.console.account;

import jakarta.inject.Singleton;
import jp.kofu.db.NodeSecrets;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * TOTP secrets at rest: AES-256-GCM with the node secret {@code totp-key} (shared by every node through the
 * database), the account id as associated data so that a sealed secret copied to another row does not open. A
 * sealed value is {@code gcm1:} and the Base64url of IV ‖ ciphertext ‖ tag; a value without the prefix is a plain
 * secret written by an older version, which {@link TotpSecretMigration} seals at start-up.
 */
@Singleton
public final class TotpSecrets {
    static final String PREFIX = "gcm1:";
    private static final int IV_BYTES = 12;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;

    public TotpSecrets(NodeSecrets secrets) {
        this.key = new SecretKeySpec(secrets.key("totp-key"), "AES");
    }

    static boolean isSealed(String stored) {
        return stored != null && stored.startsWith(PREFIX);
    }

    String seal(long staffId, String secret) {
        try {
            byte[] iv = new byte[IV_BYTES];
            RANDOM.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, iv));
            cipher.updateAAD(aad(staffId));
            byte[] sealed = cipher.doFinal(secret.getBytes(StandardCharsets.US_ASCII));
            return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(
                    ByteBuffer.allocate(IV_BYTES + sealed.length).put(iv).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }

    /** The Base32 secret of a stored value (sealed, or plain from an older version). */
    String open(long staffId, String stored) {
        if (!isSealed(stored)) {
            return stored;
        }
        try {
            byte[] bytes = Base64.getUrlDecoder().decode(stored.substring(PREFIX.length()));
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, bytes, 0, IV_BYTES));
            cipher.updateAAD(aad(staffId));
            return new String(cipher.doFinal(bytes, IV_BYTES, bytes.length - IV_BYTES), StandardCharsets.US_ASCII);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("the TOTP secret of staff account " + staffId + " does not open", e);
        }
    }

    private static byte[] aad(long staffId) {
        return ("staff_account:" + staffId).getBytes(StandardCharsets.US_ASCII);
    }
}
