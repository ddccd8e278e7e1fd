package jp.kofu.openapi;

import jp.kofu.pki.Credential;
import jp.kofu.pki.Pem;
import jp.kofu.pki.Pkcs12;
import jp.kofu.pki.TlsContexts;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A caller of the running service over real HTTPS (with a client certificate, or none), as a center, a feed or a
 * verifying office; every exchange goes through {@link Conformance} before the test sees its answer.
 */
final class ContractClient {
    private final URI base;
    private final SSLContext tls;
    private final HttpClient http;
    private final Conformance conformance;

    /** {@code clientPkcs12} null: no client certificate. */
    ContractClient(URI base, Path clientPkcs12, char[] password, Path serverCa, Conformance conformance) {
        this.base = base;
        Credential own = clientPkcs12 == null ? null : Pkcs12.read(clientPkcs12, password);
        this.tls = TlsContexts.of(own, Pem.readCertificates(serverCa));
        this.http = HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(10)).build();
        this.conformance = conformance;
    }

    Conformance.Answer get(String path) {
        return send("GET", path, null, null);
    }

    Conformance.Answer post(String path, byte[] body, String contentType) {
        return send("POST", path, body, contentType);
    }

    Conformance.Answer put(String path, byte[] body, String contentType) {
        return send("PUT", path, body, contentType);
    }

    Conformance.Answer postJson(String path, byte[] body) {
        return post(path, body, "application/json");
    }

    private Conformance.Answer send(String method, String path, byte[] body, String contentType) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(120));
        if (body == null) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", contentType).method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        }
        HttpResponse<byte[]> r;
        try {
            r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new AssertionError(method + " " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        Map<String, List<String>> headers = new TreeMap<>();
        r.headers().map().forEach((k, v) -> headers.put(k.toLowerCase(), v));
        Conformance.Answer answer = new Conformance.Answer(r.statusCode(), headers, r.body());
        conformance.check(method, path, body, contentType, answer);
        return answer;
    }

    /**
     * A request that announces a {@code Content-Length} of {@code announced} bytes and sends only {@code sent}: how
     * a body over a size limit is refused from its headers, without sending gigabytes. Plain HTTP/1.1 over TLS.
     */
    Conformance.Answer announcing(String method, String path, String contentType, long announced, byte[] sent) {
        try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(30_000);
            var out = socket.getOutputStream();
            out.write((method + " " + path + " HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort()
                    + "\r\nContent-Type: " + contentType + "\r\nContent-Length: " + announced
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(sent);
            out.flush();
            Conformance.Answer answer = readAnswer(socket.getInputStream());
            conformance.check(method, path, null, contentType, answer);
            return answer;
        } catch (IOException e) {
            throw new AssertionError(method + " " + path + " failed", e);
        }
    }

    private static Conformance.Answer readAnswer(InputStream in) throws IOException {
        String status = line(in);
        int code = Integer.parseInt(status.split(" ")[1]);
        Map<String, List<String>> headers = new TreeMap<>();
        for (String h = line(in); !h.isEmpty(); h = line(in)) {
            int colon = h.indexOf(':');
            headers.computeIfAbsent(h.substring(0, colon).trim().toLowerCase(), k -> new ArrayList<>())
                    .add(h.substring(colon + 1).trim());
        }
        List<String> length = headers.get("content-length");
        byte[] body = length == null ? in.readAllBytes() : in.readNBytes(Integer.parseInt(length.get(0)));
        return new Conformance.Answer(code, headers, body);
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != -1 && b != '\n'; b = in.read()) {
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.US_ASCII);
    }
}
