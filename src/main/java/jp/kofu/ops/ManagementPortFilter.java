package jp.kofu.ops;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.annotation.Order;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;

import java.util.Set;

/**
 * Keeps the two listeners apart before any other filter runs: the management port answers only
 * {@code GET /health/live}, {@code /health/ready} and {@code /metrics} — a console path, say, gets a bare 404 there,
 * not the console's login redirect — and the service's mTLS port never answers those three. Routing alone already
 * does the second ({@link ManagementController}'s routes match the management port only); the first needs this
 * filter, because filters such as the console's answer some paths without a route.
 */
@ServerFilter("/**")
@Order(Ordered.HIGHEST_PRECEDENCE)
final class ManagementPortFilter {
    private static final Set<String> PATHS = Set.of(ManagementController.LIVE, ManagementController.READY,
            ManagementController.METRICS);

    private final int managementPort;

    ManagementPortFilter(ManagementSettings settings) {
        this.managementPort = settings.port();
    }

    @RequestFilter
    @Nullable
    HttpResponse<?> confine(HttpRequest<?> request) {
        boolean management = request.getServerAddress().getPort() == managementPort;
        boolean ours = PATHS.contains(request.getPath());
        if (management && !(ours && request.getMethod() == HttpMethod.GET)) {
            return HttpResponse.notFound();
        }
        if (!management && ours) {
            return HttpResponse.notFound();
        }
        return null;
    }
}
