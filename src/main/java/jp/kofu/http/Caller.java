package jp.kofu.http;

import io.micronaut.http.HttpRequest;
import jp.kofu.contract.Sha256;

import javax.security.auth.x500.X500Principal;
import java.security.cert.X509Certificate;

/**
 * The authenticated caller of a request: its client certificate's subject and serial (for the logs), and the
 * subject as an X.500 name, which is what decides what the caller may do (contract §7: compared as names, so
 * {@code CN=a,O=B} is {@code cn=A, o=b}).
 *
 * @param key SHA-256 (hex) of the subject's canonical form: the caller's identity in database rows
 */
public record Caller(String subject, String serialHex, X500Principal principal, String key) {
    static final String ATTRIBUTE = "kofu.caller";

    public static Caller of(X509Certificate cert) {
        X500Principal subject = cert.getSubjectX500Principal();
        return new Caller(subject.getName(), cert.getSerialNumber().toString(16), subject, keyOf(subject));
    }

    /** A caller inside the service acting as the holder of a certificate with this subject (the demo loader). */
    public static Caller acting(X500Principal subject) {
        return new Caller(subject.getName(), "(internal)", subject, keyOf(subject));
    }

    public static Caller of(HttpRequest<?> request) {
        return request.getAttribute(ATTRIBUTE, Caller.class)
                .orElseThrow(() -> new IllegalStateException("request reached a controller without a caller"));
    }

    /** True when this caller's certificate subject is the given name. */
    public boolean is(X500Principal name) {
        return principal.equals(name);
    }

    /** The key a subject is stored under: SHA-256 of its canonical DN, so equal names give equal keys. */
    public static String keyOf(X500Principal subject) {
        return Sha256.hex(subject.getName(X500Principal.CANONICAL));
    }

    @Override
    public String toString() {
        return subject + " #" + serialHex;
    }
}
