package jp.kofu.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The CAs whose client certificates may call one group of paths (contract §1: {@code kofu.center.client-ca} for
 * {@code /center/**}, {@code kofu.sync.client-ca} for {@code /sync/**}). Every CA in the file is a trust anchor.
 */
public final class ClientTrust {
    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

    private final Set<TrustAnchor> anchors;
    private final Clock clock;

    public ClientTrust(Path caFile, Clock clock) {
        this.clock = clock;
        try (InputStream in = Files.newInputStream(caFile)) {
            var certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certs.isEmpty()) {
                throw new IllegalArgumentException("no certificate in " + caFile);
            }
            anchors = certs.stream()
                    .map(c -> new TrustAnchor((X509Certificate) c, null))
                    .collect(Collectors.toUnmodifiableSet());
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot read CA certificates from " + caFile + ": " + e.getMessage(), e);
        }
    }

    /** True when the client certificate chains to one of these CAs, is valid now and may authenticate clients. */
    public boolean accepts(X509Certificate client) {
        try {
            List<String> eku = client.getExtendedKeyUsage();
            if (eku != null && !eku.contains(CLIENT_AUTH)) {
                return false;
            }
            var path = CertificateFactory.getInstance("X.509").generateCertPath(List.of(client));
            PKIXParameters params = new PKIXParameters(anchors);
            params.setRevocationEnabled(false);
            params.setDate(Date.from(clock.instant()));
            CertPathValidator.getInstance("PKIX").validate(path, params);
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
