package jp.kofu.http;

import io.micronaut.http.HttpRequest;

import java.security.cert.X509Certificate;

/** The authenticated caller of a request: its client certificate's subject and serial, for the logs. */
public record Caller(String subject, String serialHex) {
    static final String ATTRIBUTE = "kofu.caller";

    static Caller of(X509Certificate cert) {
        return new Caller(cert.getSubjectX500Principal().getName(), cert.getSerialNumber().toString(16));
    }

    public static Caller of(HttpRequest<?> request) {
        return request.getAttribute(ATTRIBUTE, Caller.class)
                .orElseThrow(() -> new IllegalStateException("request reached a controller without a caller"));
    }

    @Override
    public String toString() {
        return subject + " #" + serialHex;
    }
}
