package jp.kofu.kiosk.reader;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** The DER DigestInfo of a SHA-256 hash (RFC 8017 §9.2), the input a JPKI card signs with PKCS#1 v1.5. */
public final class DigestInfos {
    /** SEQUENCE { SEQUENCE { OID 2.16.840.1.101.3.4.2.1, NULL }, OCTET STRING (32 bytes) }, without the hash. */
    private static final byte[] SHA256_PREFIX = {
        0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, (byte) 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00,
        0x04, 0x20};

    private DigestInfos() {}

    public static byte[] sha256(byte[] data) {
        byte[] hash;
        try {
            hash = MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] out = new byte[SHA256_PREFIX.length + hash.length];
        System.arraycopy(SHA256_PREFIX, 0, out, 0, SHA256_PREFIX.length);
        System.arraycopy(hash, 0, out, SHA256_PREFIX.length, hash.length);
        return out;
    }
}
