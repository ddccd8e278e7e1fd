package jp.kofu.ops;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

/**
 * Where Kofu's meters are kept: a Prometheus registry, which Micronaut's composite {@code MeterRegistry} (the one
 * every class injects) adds beside itself, with the JVM, HTTP server and other binders of micronaut-micrometer.
 * {@code GET /metrics} on the management listener is its text ({@link ManagementController}).
 */
@Factory
final class Metrics {
    @Singleton
    PrometheusMeterRegistry prometheus() {
        return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    }
}
