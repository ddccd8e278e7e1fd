package jp.kofu.pki;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * A private key with its certificate chain: the key's certificate first, then its issuers (the root may be
 * included). {@link #toString()} never shows the key.
 */
public record Credential(PrivateKey privateKey, List<X509Certificate> chain) {
    public Credential {
        Objects.requireNonNull(privateKey, "privateKey");
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("a credential needs at least its own certificate");
        }
    }

    /** The certificate of the private key. */
    public X509Certificate certificate() {
        return chain.get(0);
    }

    @Override
    public String toString() {
        return "Credential[" + certificate().getSubjectX500Principal().getName() + "]";
    }
}
