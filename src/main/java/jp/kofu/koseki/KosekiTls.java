package jp.kofu.koseki;

import jp.kofu.pki.Credential;
import jp.kofu.pki.Pem;
import jp.kofu.pki.Pkcs12;
import jp.kofu.pki.TlsContexts;

import javax.net.ssl.SSLContext;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The TLS side of one 戸籍 link: Kofu's client key and certificate (PKCS#12) and, as the only trust anchors, the CAs
 * of {@code trust} (never the JDK's default CAs: a server certificate from anywhere else is refused). Hostname
 * verification is the HTTP client's, and stays on.
 */
final class KosekiTls {
    private KosekiTls() {}

    /** TLS 1.3 and 1.2 only (contract §1). */
    static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    static SSLContext context(Path clientKeystore, char[] password, Path trust) {
        Credential client = Pkcs12.read(clientKeystore, password);
        List<X509Certificate> anchors = Pem.readCertificates(trust);
        if (anchors.isEmpty()) {
            throw new IllegalArgumentException("no certificate in " + trust);
        }
        return TlsContexts.of(client, anchors);
    }
}
