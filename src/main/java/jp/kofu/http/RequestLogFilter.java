package jp.kofu.http;

import io.micronaut.context.propagation.slf4j.MdcPropagationContext;
import io.micronaut.core.order.Ordered;
import io.micronaut.core.propagation.MutablePropagatedContext;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import java.util.HexFormat;

import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Gives every HTTP request a short id in the MDC ({@value LogContext#REQUEST}), so that the lines of one sync
 * batch, verify page or console page can be told from another's.
 *
 * <p>The filter runs on the event loop and the controller on the blocking pool ({@code thread-selection:
 * BLOCKING}), so a plain {@code MDC.put} here would tag the wrong thread. Micronaut 4 carries a request's
 * {@link io.micronaut.core.propagation.PropagatedContext} to every thread that works on it (the blocking filters,
 * the controller) and, with it, an {@link MdcPropagationContext} holding only this id: the MDC is set to it on
 * entering each of them and restored to the thread's earlier MDC on leaving (which also drops a transaction id
 * set meanwhile). Nothing of the event loop's own MDC is copied. First of all filters, so that the callers'
 * checks carry it too.
 */
@ServerFilter("/**")
final class RequestLogFilter implements Ordered {
    @RequestFilter
    void tag(HttpRequest<?> request, MutablePropagatedContext context) {
        byte[] id = new byte[4];
        ThreadLocalRandom.current().nextBytes(id);
        context.add(new MdcPropagationContext(Map.of(LogContext.REQUEST, HexFormat.of().formatHex(id))));
    }

    @Override
    public int getOrder() {
        return HIGHEST_PRECEDENCE;
    }
}
