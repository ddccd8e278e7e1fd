package jp.kofu.bench;

import jp.kofu.TestNode;
import jp.kofu.pki.Pkcs12;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.Map;

/**
 * Loads a whole municipality through {@code PUT /sync/v1/snapshot} over mutual TLS, streamed, and reports the time
 * (issue 3: 600,000 residents in under 60 s on the 2-core machine). Run with {@code bench/run snapshot [count]}.
 */
public final class SnapshotLoadBench {
    private SnapshotLoadBench() {}

    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 600_000;
        try (TestNode node = TestNode.start(Map.of(), null)) {
            HttpClient http = mtlsClient(node);
            for (int round = 1; round <= 2; round++) {
                Round r = put(http, node, count, round, Duration.ofMinutes(10));
                System.out.printf("snapshot round %d: %s%n", round, r);
            }
        }
        System.exit(0);
    }

    /** One PUT of a snapshot: its time and the node's answer. */
    record Round(int residents, double seconds, int status, String body) {
        @Override
        public String toString() {
            return String.format("%d residents in %.1f s (%.0f residents/s), HTTP %d %s", residents, seconds,
                    residents / seconds, status, body);
        }
    }

    /**
     * PUTs a generated snapshot of {@code count} residents of 112038 (as of seq {@code 1000 * round}), streamed, and
     * waits for the answer.
     */
    static Round put(HttpClient http, TestNode node, int count, int round, Duration timeout) throws Exception {
        long started = System.nanoTime();
        HttpRequest request = HttpRequest.newBuilder(node.uri().resolve(
                        "/sync/v1/snapshot?municipalityCode=112038&asOfSeq=" + (1000 * round)))
                .timeout(timeout)
                .header("Content-Type", "application/x-ndjson")
                .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> SyntheticResidents.snapshot("112038", count)))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        return new Round(count, (System.nanoTime() - started) / 1e9, response.statusCode(), response.body());
    }

    static HttpClient mtlsClient(TestNode node) throws Exception {
        char[] password = node.pki().password();
        var credential = Pkcs12.read(node.pki().syncClientKeystore(), password);
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("client", credential.privateKey(), password, credential.chain().toArray(new Certificate[0]));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, password);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", jp.kofu.pki.Pem.readCertificates(node.pki().tlsCa()).get(0));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(tls).build();
    }
}
