package jp.kofu.pki;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A TLS context of our own key and the only CAs we trust (never the JDK's default CAs): for the HTTPS clients and
 * servers outside Micronaut (the 戸籍 link and its simulator, the center client).
 */
public final class TlsContexts {
    private TlsContexts() {}

    /**
     * A context presenting {@code own} (null: no certificate of ours) and trusting exactly {@code anchors} (PKIX).
     *
     * @throws IllegalArgumentException when the key or the certificates cannot be used
     */
    public static SSLContext of(Credential own, List<X509Certificate> anchors) {
        try {
            KeyManager[] keyManagers = null;
            if (own != null) {
                char[] inMemory = new char[0];
                KeyStore keys = KeyStore.getInstance("PKCS12");
                keys.load(null, null);
                keys.setKeyEntry("own", own.privateKey(), inMemory, own.chain().toArray(Certificate[]::new));
                KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(keys, inMemory);
                keyManagers = kmf.getKeyManagers();
            }
            KeyStore trusted = KeyStore.getInstance("PKCS12");
            trusted.load(null, null);
            for (int i = 0; i < anchors.size(); i++) {
                trusted.setCertificateEntry("ca-" + i, anchors.get(i));
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
            tmf.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers, tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("cannot build the TLS context: " + e.getMessage(), e);
        }
    }
}
