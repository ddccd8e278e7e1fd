package jp.kofu.http;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import jp.kofu.audit.IssuanceLog;
import jp.kofu.audit.IssuanceLogEntry;
import jp.kofu.db.DatabaseUnavailableException;

import java.time.Clock;
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
    private final IssuanceLog log;
    private final Clock clock;

    CallerFilter(TlsFiles files, IssuanceLog log, Clock clock) {
        this.center = files.centerTrust();
        this.sync = files.syncTrust();
        this.log = log;
        this.clock = clock;
    }

    @RequestFilter
    @ExecuteOn(TaskExecutors.BLOCKING)
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
            if (trust == center) {
                logRefusal(path, cert.map(c -> Caller.of(c).toString()).orElse(null));
            }
            return Answers.refusal(ErrorCode.CALLER_UNAUTHENTICATED);
        }
        request.setAttribute(Caller.ATTRIBUTE, Caller.of(cert.get()));
        return null;
    }

    /** Every request to /center/** has its row in the issuance log, the refused callers too. */
    private void logRefusal(String path, String caller) {
        try {
            log.write(new IssuanceLogEntry(clock.instant(), path.contains("/completion") ? "COMPLETION" : "ISSUANCE",
                    IssuanceLogEntry.REFUSED, ErrorCode.CALLER_UNAUTHENTICATED.name(), null, null, null, null, null,
                    caller, null, null, null, null, null, null, null, null, null, null, null, null));
        } catch (DatabaseUnavailableException e) {
            LOG.error("ALARM refused caller not logged: database unavailable");
        }
    }
}
