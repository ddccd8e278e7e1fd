package jp.kofu.koseki;

import jp.kofu.pki.CertificateAuthority;
import jp.kofu.pki.Credential;
import jp.kofu.pki.Pem;
import jp.kofu.pki.Pkcs12;
import jp.kofu.pki.Validity;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A test PKI for a 戸籍 link, made by the test itself: the 戸籍システム's CA and server certificate (127.0.0.1,
 * localhost), Kofu's client CA and client certificate, and a rogue CA that Kofu does not trust.
 */
final class LinkPki {
    static final char[] PASSWORD = "link-test".toCharArray();

    final CertificateAuthority serverCa;
    final CertificateAuthority clientCa;
    final Credential server;
    final Credential client;
    final Credential rogueServer;
    final Credential strangerClient;
    final Path clientKeystore;
    final Path trust;

    LinkPki(Path dir) throws Exception {
        Validity validity = Validity.starting(Instant.now().minus(Duration.ofHours(1)), Duration.ofDays(30));
        serverCa = CertificateAuthority.createRoot("CN=Test Koseki System CA, O=Test, C=JP", validity);
        clientCa = CertificateAuthority.createRoot("CN=Test Koseki Client CA, O=Test, C=JP", validity);
        List<InetAddress> loopback = List.of(InetAddress.getByName("127.0.0.1"));
        server = serverCa.issueTlsServer("localhost", List.of("localhost"), loopback, validity);
        client = clientCa.issueTlsClient("CN=kofu-test-client, O=Test, C=JP", validity);
        CertificateAuthority rogue = CertificateAuthority.createRoot("CN=Rogue CA, O=Elsewhere, C=JP", validity);
        rogueServer = rogue.issueTlsServer("localhost", List.of("localhost"), loopback, validity);
        strangerClient = rogue.issueTlsClient("CN=stranger, O=Elsewhere, C=JP", validity);
        clientKeystore = dir.resolve("client.p12");
        Pkcs12.write(clientKeystore, client, PASSWORD);
        trust = dir.resolve("koseki-ca.pem");
        Pem.writeCertificates(trust, List.of(serverCa.certificate()));
    }
}
