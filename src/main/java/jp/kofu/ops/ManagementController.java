package jp.kofu.ops;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import jp.kofu.contract.Json;
import jp.kofu.http.Answers;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The management listener (contract §10): {@code GET /health/live}, {@code GET /health/ready} and
 * {@code GET /metrics}, plain HTTP on {@code kofu.management.port}.
 *
 * <p>How the port is kept apart, with Micronaut's own machinery: application.yml declares two Netty listeners, the
 * mTLS one and a plain one on {@code kofu.management.bind}:{@code kofu.management.port} with
 * {@code expose-default-routes: false}; {@code @Controller(port = …)} binds these routes to that port only
 * (Micronaut matches them by the port a request came in on), and every other route of the service is not exposed
 * there. {@link ManagementPortFilter} refuses, before any other filter, whatever else reaches the port.
 * (micronaut-management's {@code endpoints.all.port} was not used: it opens its extra listener on the main
 * listener's host, so it could not bind the management port to 127.0.0.1 while the service listens on every
 * address, and its health and Prometheus endpoints answer other paths and bodies than the contract's.)
 */
@Controller(port = "${kofu.management.port:8081}")
final class ManagementController {
    static final String LIVE = "/health/live";
    static final String READY = "/health/ready";
    static final String METRICS = "/metrics";
    /** The Prometheus text exposition format, version 0.0.4. */
    private static final MediaType PROMETHEUS_TEXT = MediaType.of("text/plain; version=0.0.4; charset=utf-8");

    private final Readiness readiness;
    private final PrometheusMeterRegistry prometheus;

    ManagementController(Readiness readiness, PrometheusMeterRegistry prometheus) {
        this.readiness = readiness;
        this.prometheus = prometheus;
    }

    /** While the process serves HTTP at all: never looks at a dependency. */
    @Get(LIVE)
    HttpResponse<byte[]> live() {
        return Answers.json(200, Json.bytes(Map.of("status", "UP")));
    }

    /** 200 when every check of {@link Readiness} is up, else 503; the body names each check and the failed ones. */
    @Get(READY)
    HttpResponse<byte[]> ready() {
        Readiness.Report report = readiness.report();
        return Answers.json(report.ready() ? 200 : 503, Json.bytes(report.body()));
    }

    @Get(METRICS)
    HttpResponse<byte[]> metrics() {
        return HttpResponse.ok(prometheus.scrape().getBytes(StandardCharsets.UTF_8)).contentType(PROMETHEUS_TEXT);
    }
}
