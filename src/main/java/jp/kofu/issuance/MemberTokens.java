package jp.kofu.issuance;

import jakarta.inject.Singleton;
import jp.kofu.card.CardId;
import jp.kofu.db.NodeSecrets;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The opaque member ids of the household listing (contract §4): a resident id sealed with AES-GCM together with
 * the card it was listed for and an expiry 10 minutes on; and those of the 戸籍 listing (§9), sealed apart. Any node can open them (the key is in the database);
 * nobody else can read or forge them, and they are useless with another card or after they expire.
 */
@Singleton
final class MemberTokens {
    static final Duration VALID = Duration.ofMinutes(10);
    private static final int IV_BYTES = 12;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String KOSEKI_DOMAIN = "koseki:";

    private final SecretKeySpec key;

    MemberTokens(NodeSecrets secrets) {
        key = new SecretKeySpec(secrets.key("member-token-key"), "AES");
    }

    String seal(String municipalityCode, String residentId, CardId card, Instant now) {
        return sealText(municipalityCode, residentId + "\n" + cardHash(card) + "\n" + now.plus(VALID).getEpochSecond());
    }

    /** A member of the card holder's 戸籍 (contract §9 koseki-members) and the holder's own person key. */
    record KosekiMember(String personKey, String listedForPersonKey) {}

    /**
     * The member id of a person of the holder's 戸籍: the person's key and the holder's, sealed as a household id is
     * but under another associated datum ({@code koseki:} + municipality), so that a household member id never opens
     * as a 戸籍 one, nor the reverse.
     */
    String sealKoseki(String municipalityCode, KosekiMember member, CardId card, Instant now) {
        return sealText(KOSEKI_DOMAIN + municipalityCode, member.personKey() + "\n" + member.listedForPersonKey() + "\n"
                + cardHash(card) + "\n" + now.plus(VALID).getEpochSecond());
    }

    /** The 戸籍 member in the id, if it was sealed as one for this municipality and card and has not expired. */
    Optional<KosekiMember> openKoseki(String token, String municipalityCode, CardId card, Instant now) {
        return openText(token, KOSEKI_DOMAIN + municipalityCode).flatMap(parts -> {
            if (parts.length != 4 || !parts[2].equals(cardHash(card)) || expired(parts[3], now)) {
                return Optional.empty();
            }
            return Optional.of(new KosekiMember(parts[0], parts[1]));
        });
    }

    private String sealText(String associated, String plain) {
        try {
            byte[] iv = new byte[IV_BYTES];
            RANDOM.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, iv));
            cipher.updateAAD(associated.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plain.getBytes(StandardCharsets.UTF_8));
            byte[] token = new byte[IV_BYTES + sealed.length];
            System.arraycopy(iv, 0, token, 0, IV_BYTES);
            System.arraycopy(sealed, 0, token, IV_BYTES, sealed.length);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(token);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }

    /** The resident id in the token, if it was sealed for this municipality and card and has not expired. */
    Optional<String> open(String token, String municipalityCode, CardId card, Instant now) {
        return openText(token, municipalityCode).flatMap(parts -> {
            if (parts.length != 3 || !parts[1].equals(cardHash(card)) || expired(parts[2], now)) {
                return Optional.empty();
            }
            return Optional.of(parts[0]);
        });
    }

    /** The lines of a token sealed under {@code associated}; empty when it does not open (forged, other kind). */
    private Optional<String[]> openText(String token, String associated) {
        try {
            byte[] bytes = Base64.getUrlDecoder().decode(token);
            if (bytes.length <= IV_BYTES + 16) {
                return Optional.empty();
            }
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, bytes, 0, IV_BYTES));
            cipher.updateAAD(associated.getBytes(StandardCharsets.UTF_8));
            return Optional.of(new String(cipher.doFinal(bytes, IV_BYTES, bytes.length - IV_BYTES),
                    StandardCharsets.UTF_8).split("\n"));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static boolean expired(String epochSecond, Instant now) {
        try {
            return Instant.ofEpochSecond(Long.parseLong(epochSecond)).isBefore(now);
        } catch (NumberFormatException e) {
            return true;
        }
    }

    private static String cardHash(CardId card) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((card.issuerKey() + "#" + card.serialHex()).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
