package jp.kofu.signing;

import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.tsp.TSPException;
import org.bouncycastle.tsp.TimeStampRequest;
import org.bouncycastle.tsp.TimeStampRequestGenerator;
import org.bouncycastle.tsp.TimeStampResponse;

import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;

/** An RFC 3161 time-stamp authority reached over HTTP ({@code kofu.tsa.url}); used to make PAdES B-T signatures. */
public final class TimestampClient {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final URI url;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final TimestampWatch watch;

    public TimestampClient(URI url) {
        this(url, TimestampWatch.NONE);
    }

    /** A client that tells {@code watch} of each answer and failure. */
    public TimestampClient(URI url, TimestampWatch watch) {
        this.url = url;
        this.watch = watch;
    }

    /** The DER time-stamp token over a SHA-256 digest; the watch learns whether the authority answered. */
    byte[] timestamp(byte[] sha256) throws IOException {
        return timestamp(sha256, Duration.ofSeconds(10));
    }

    /**
     * Whether the authority answers a real time-stamp request now, with a valid token, within {@code timeout}: the
     * readiness check of docs/operations.md (a fixed digest; the token is thrown away). The watch learns of it too.
     */
    public boolean answers(Duration timeout) {
        try {
            timestamp(new byte[32], timeout);
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private byte[] timestamp(byte[] sha256, Duration timeout) throws IOException {
        try {
            byte[] token = ask(sha256, timeout);
            watch.answered();
            return token;
        } catch (IOException | RuntimeException e) {
            watch.failed(e);
            throw e;
        }
    }

    private byte[] ask(byte[] sha256, Duration timeout) throws IOException {
        TimeStampRequestGenerator generator = new TimeStampRequestGenerator();
        generator.setCertReq(true);
        TimeStampRequest request = generator.generate(NISTObjectIdentifiers.id_sha256, sha256,
                new BigInteger(64, RANDOM));
        HttpRequest post = HttpRequest.newBuilder(url)
                .timeout(timeout)
                .header("Content-Type", "application/timestamp-query")
                .POST(HttpRequest.BodyPublishers.ofByteArray(request.getEncoded()))
                .build();
        try {
            HttpResponse<byte[]> answer = http.send(post, HttpResponse.BodyHandlers.ofByteArray());
            if (answer.statusCode() != 200) {
                throw new IOException("time-stamp authority answered HTTP " + answer.statusCode());
            }
            TimeStampResponse response = new TimeStampResponse(answer.body());
            response.validate(request);
            if (response.getTimeStampToken() == null) {
                throw new IOException("time-stamp authority refused: status " + response.getStatus());
            }
            return response.getTimeStampToken().getEncoded();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while asking the time-stamp authority", e);
        } catch (TSPException e) {
            throw new IOException("unusable answer from the time-stamp authority", e);
        }
    }
}
