package jp.kofu.client;

import jp.kofu.pki.Credential;
import jp.kofu.pki.Pem;
import jp.kofu.pki.Pkcs12;
import jp.kofu.pki.TlsContexts;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

/**
 * An HTTPS client with a client certificate, as the 証明書交付センター or the 既存住基システム calls Kofu. Used by the
 * demo command and the end-to-end tests.
 */
public final class CenterClient {
    private final HttpClient http;
    private final URI base;

    /** A client with no client certificate at all. */
    public CenterClient(URI base, Path trustedServerCa) {
        this(base, null, null, trustedServerCa);
    }

    public CenterClient(URI base, Path clientPkcs12, char[] password, Path trustedServerCa) {
        this.base = base;
        Credential credential = clientPkcs12 == null ? null : Pkcs12.read(clientPkcs12, password);
        SSLContext tls = TlsContexts.of(credential, Pem.readCertificates(trustedServerCa));
        http = HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(10)).build();
    }

    public record Response(int status, byte[] body) {
        public String text() {
            return new String(body, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    public Response post(String path, byte[] body, String contentType) throws IOException, InterruptedException {
        return send("POST", path, body, contentType);
    }

    /** A POST whose body is sent as the publisher produces it (for instance slowly, in parts). */
    public Response post(String path, HttpRequest.BodyPublisher body, String contentType)
            throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(path))
                .timeout(Duration.ofSeconds(120))
                .header("Content-Type", contentType)
                .POST(body)
                .build();
        HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        return new Response(r.statusCode(), r.body());
    }

    public Response put(String path, byte[] body, String contentType) throws IOException, InterruptedException {
        return send("PUT", path, body, contentType);
    }

    public Response get(String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60)).GET().build();
        HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        return new Response(r.statusCode(), r.body());
    }

    private Response send(String method, String path, byte[] body, String contentType)
            throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(path))
                .timeout(Duration.ofSeconds(120))
                .header("Content-Type", contentType)
                .method(method, HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        return new Response(r.statusCode(), r.body());
    }
}
