package jp.kofu.http;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.core.annotation.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.cert.X509Certificate;

/**
 * Mutual TLS per path (contract §1): {@code /center/**} needs a client certificate of the center CAs,
 * {@code /sync/**} one of the sync CAs; a certificate good for one is refused on the other.
 */
@ServerFilter("/**")
final class CallerFilter {
    private static final Logger LOG = LoggerFactory.getLogger(CallerFilter.class);

    private final ClientTrust center;
    private final ClientTrust sync;

    CallerFilter(TlsFiles files) {
        this.center = files.centerTrust();
        this.sync = files.syncTrust();
    }

    @RequestFilter
    @Nullable
    HttpResponse<?> authenticate(HttpRequest<?> request) {
        String path = request.getPath();
        ClientTrust trust;
        if (path.startsWith("/center/")) {
            trust = center;
        } else if (path.startsWith("/sync/")) {
            trust = sync;
        } else {
            return null;
        }
        var cert = request.getCertificate().filter(X509Certificate.class::isInstance).map(X509Certificate.class::cast);
        if (cert.isEmpty() || !trust.accepts(cert.get())) {
            LOG.warn("refused caller {} on {}: {}", cert.map(c -> c.getSubjectX500Principal().getName()).orElse("(none)"),
                    path, cert.isEmpty() ? "no client certificate" : "certificate not of this path's CAs");
            return Answers.refusal(ErrorCode.CALLER_UNAUTHENTICATED);
        }
        request.setAttribute(Caller.ATTRIBUTE, Caller.of(cert.get()));
        return null;
    }
}
