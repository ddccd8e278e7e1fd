package jp.kofu.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import jakarta.annotation.PreDestroy;
import jp.kofu.contract.ErrorCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Mutual TLS per path (contract §1): {@code /center/**} needs a client certificate of the center CAs,
 * {@code /sync/**} one of the sync CAs; a certificate good for one is refused on the other.
 *
 * <p>A request refused here, before its caller is known, writes nothing to the database (contract §7): a flood of
 * them must neither grow the append-only issuance log nor queue on its chain head. Each is counted in
 * {@value #UNAUTHENTICATED} ({@code kofu_unauthenticated_requests_total} in Prometheus) with only the tag
 * {@code path_group} ({@code center} or {@code sync}), and the operations log has at most one line per
 * {@link #LOG_INTERVAL}: the first refusal at once, then how many were refused since the last line.
 */
@ServerFilter("/**")
final class CallerFilter {
    private static final Logger LOG = LoggerFactory.getLogger(CallerFilter.class);
    /** The Micrometer name of the counter of refused requests. */
    static final String UNAUTHENTICATED = "kofu.unauthenticated.requests";
    static final Duration LOG_INTERVAL = Duration.ofSeconds(10);

    private final ClientTrust center;
    private final ClientTrust sync;
    private final Counter centerRefused;
    private final Counter syncRefused;
    private final Clock clock;

    /** Refusals not yet in a log line, and when the last line was written (null: none yet). */
    private long unlogged;
    private Instant lastLine;

    CallerFilter(TlsFiles files, MeterRegistry meters, Clock clock) {
        this.center = files.centerTrust();
        this.sync = files.syncTrust();
        this.centerRefused = counter(meters, "center");
        this.syncRefused = counter(meters, "sync");
        this.clock = clock;
    }

    private static Counter counter(MeterRegistry meters, String pathGroup) {
        return Counter.builder(UNAUTHENTICATED)
                .description("Requests refused 401 CALLER_UNAUTHENTICATED before the caller was authenticated")
                .tag("path_group", pathGroup)
                .register(meters);
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
            (trust == center ? centerRefused : syncRefused).increment();
            logRefusal(path, cert);
            return Answers.refusal(ErrorCode.CALLER_UNAUTHENTICATED);
        }
        request.setAttribute(Caller.ATTRIBUTE, Caller.of(cert.get()));
        return null;
    }

    /** The first refusal at once; after it, one line per interval at most, with the count since the last line. */
    private void logRefusal(String path, Optional<X509Certificate> cert) {
        long count;
        Instant since;
        synchronized (this) {
            unlogged++;
            Instant now = clock.instant();
            if (lastLine != null && now.isBefore(lastLine.plus(LOG_INTERVAL))) {
                return;
            }
            count = unlogged;
            since = lastLine;
            unlogged = 0;
            lastLine = now;
        }
        String latest = cert.map(c -> printable(c.getSubjectX500Principal().getName())).orElse("(none)") + " on "
                + printable(path) + ": " + (cert.isEmpty() ? "no client certificate" : "certificate not of this path's CAs");
        if (since == null) {
            LOG.warn("refused caller {}; further refusals are counted (kofu_unauthenticated_requests_total) and logged"
                    + " at most every {} s", latest, LOG_INTERVAL.toSeconds());
        } else {
            LOG.warn("refused {} unauthenticated request(s) since {}; latest: caller {}", count, since, latest);
        }
    }

    /** What the previous lines left untold, so that a stop does not lose the end of a flood. */
    @PreDestroy
    synchronized void logUnlogged() {
        if (unlogged > 0) {
            LOG.warn("refused {} unauthenticated request(s) since {}", unlogged, lastLine);
            unlogged = 0;
        }
    }

    /** A caller's own text (path, certificate subject) in one log line: no control characters, at most 200 chars. */
    private static String printable(String text) {
        String clean = text.replaceAll("\\p{Cntrl}", "?");
        return clean.length() > 200 ? clean.substring(0, 200) + "…" : clean;
    }
}
