package jp.kofu.koseki;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jp.kofu.municipality.Municipality;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.function.Supplier;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * The HTTPS link to one municipality's 戸籍システム: one HTTP client (mutual TLS), at most
 * {@code maxConcurrentCalls} calls in flight (a further call waits {@link #BUSY_WAIT} at most, then is
 * {@code BUSY}), a hard per-call deadline of {@code timeoutMs}, answers of at most {@link #MAX_ANSWER} bytes, and
 * a circuit breaker (resilience4j) that, after repeated failures, answers {@code BREAKER_OPEN} at once without
 * calling, and after a while lets a few probe calls through. Unavailable answers and mismatches count as
 * failures; {@code 404}/{@code 409} and good answers as successes; a call refused as BUSY is not counted.
 */
final class KosekiLink {
    static final Duration BUSY_WAIT = Duration.ofMillis(100);
    static final int MAX_ANSWER = 2 << 20;

    /** The breaker's settings; {@link #DEFAULT} in service, shorter ones in tests. */
    record Breaker(int window, int minimumCalls, float failureRatePercent, Duration open, int probes) {
        static final Breaker DEFAULT = new Breaker(20, 10, 50f, Duration.ofSeconds(30), 3);
    }

    /** What came back over the wire: a status and a body (the body is personal data: never logged). */
    record Response(int status, byte[] body) {}

    private final String municipalityCode;
    private final URI base;
    private final Duration timeout;
    /** Made at the first call (a development link's keys are generated only when a 戸籍 request needs them). */
    private final Supplier<HttpClient> http;
    private final Semaphore inFlight;
    private final CircuitBreaker breaker;
    private final MeterRegistry meters;

    KosekiLink(String municipalityCode, Municipality.KosekiLink settings, Supplier<SSLContext> tls,
               Breaker breakerSettings, MeterRegistry meters, Clock clock) {
        this.municipalityCode = municipalityCode;
        this.base = URI.create(settings.url().toString().replaceAll("/+$", "") + "/");
        this.timeout = settings.timeout();
        this.http = memoized(() -> {
            SSLContext context = tls.get();
            SSLParameters parameters = context.getDefaultSSLParameters();
            parameters.setProtocols(KosekiTls.PROTOCOLS);
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            return HttpClient.newBuilder()
                    .sslContext(context)
                    .sslParameters(parameters)
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(timeout)
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .proxy(HttpClient.Builder.NO_PROXY)
                    .build();
        });
        this.inFlight = new Semaphore(settings.maxConcurrentCalls(), true);
        this.breaker = CircuitBreaker.of("koseki-" + municipalityCode, CircuitBreakerConfig.custom()
                .slidingWindow(breakerSettings.window(), breakerSettings.minimumCalls(),
                        CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .failureRateThreshold(breakerSettings.failureRatePercent())
                .waitDurationInOpenState(breakerSettings.open())
                .permittedNumberOfCallsInHalfOpenState(breakerSettings.probes())
                .clock(clock)
                .build());
        this.meters = meters;
        Gauge.builder("kofu.koseki.breaker.open", breaker, b -> b.getState() == CircuitBreaker.State.OPEN ? 1 : 0)
                .description("1 while the circuit breaker of the municipality's 戸籍 link is open")
                .tag("municipality", municipalityCode)
                .register(meters);
    }

    private static <T> Supplier<T> memoized(Supplier<T> make) {
        return new Supplier<>() {
            private T made;

            @Override
            public synchronized T get() {
                if (made == null) {
                    made = make.get();
                }
                return made;
            }
        };
    }

    CircuitBreaker.State breakerState() {
        return breaker.getState();
    }

    /**
     * POSTs {@code body} to {@code {url}/koseki/v1/{call}} and lets {@code interpret} judge the response; the
     * breaker and the meters record what it came to.
     */
    <T> KosekiResult<T> call(String call, byte[] body, Function<Response, KosekiResult<T>> interpret) {
        long started = System.nanoTime();
        if (!breaker.tryAcquirePermission()) {
            return measured(call, started, new KosekiResult.Unavailable<>(KosekiResult.UnavailableReason.BREAKER_OPEN));
        }
        try {
            if (!inFlight.tryAcquire(BUSY_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                breaker.releasePermission();
                return measured(call, started, new KosekiResult.Unavailable<>(KosekiResult.UnavailableReason.BUSY));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            breaker.releasePermission();
            return measured(call, started, new KosekiResult.Unavailable<>(KosekiResult.UnavailableReason.INTERRUPTED));
        }
        long sent = System.nanoTime();
        KosekiResult<T> result;
        try {
            Object answer = send(call, body);
            result = answer instanceof Response r ? interpret.apply(r)
                    : new KosekiResult.Unavailable<>((KosekiResult.UnavailableReason) answer);
        } catch (RuntimeException e) {
            breaker.onError(System.nanoTime() - sent, TimeUnit.NANOSECONDS, e);
            throw e;
        } finally {
            inFlight.release();
        }
        long took = System.nanoTime() - sent;
        if (result instanceof KosekiResult.Unavailable<T> || result instanceof KosekiResult.Mismatch<T>) {
            breaker.onError(took, TimeUnit.NANOSECONDS, new IOException("戸籍 link failure"));
        } else {
            breaker.onSuccess(took, TimeUnit.NANOSECONDS);
        }
        return measured(call, started, result);
    }

    /** A {@link Response}, or the {@link KosekiResult.UnavailableReason} of why there is none. */
    private Object send(String call, byte[] body) {
        HttpRequest request = HttpRequest.newBuilder(base.resolve("koseki/v1/" + call))
                .timeout(timeout)
                .header("Content-Type", "application/json; charset=utf-8")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        CompletableFuture<HttpResponse<byte[]>> pending = http.get().sendAsync(request, info -> new LimitedBody(MAX_ANSWER));
        try {
            HttpResponse<byte[]> response = pending.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return new Response(response.statusCode(), response.body());
        } catch (TimeoutException e) {
            pending.cancel(true);
            return KosekiResult.UnavailableReason.TIMEOUT;
        } catch (InterruptedException e) {
            pending.cancel(true);
            Thread.currentThread().interrupt();
            return KosekiResult.UnavailableReason.INTERRUPTED;
        } catch (ExecutionException | CancellationException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof HttpTimeoutException) {
                return KosekiResult.UnavailableReason.TIMEOUT;
            }
            if (cause instanceof LimitedBody.TooLarge) {
                return KosekiResult.UnavailableReason.UNEXPECTED_ANSWER;
            }
            return KosekiResult.UnavailableReason.CONNECTION;
        }
    }

    private <T> KosekiResult<T> measured(String call, long started, KosekiResult<T> result) {
        String outcome;
        String reason;
        if (result instanceof KosekiResult.NotIssuable<T> n) {
            outcome = "not_issuable";
            reason = n.reason().name();
        } else if (result instanceof KosekiResult.Unavailable<T> u) {
            outcome = "unavailable";
            reason = u.reason().name();
        } else if (result instanceof KosekiResult.Mismatch<T> m) {
            outcome = "mismatch";
            reason = m.reason().name();
        } else {
            outcome = "answered";
            reason = "none";
        }
        Timer.builder("kofu.koseki.calls")
                .description("calls to the municipality's 戸籍システム, by outcome")
                .tag("municipality", municipalityCode)
                .tag("call", call)
                .tag("outcome", outcome)
                .tag("reason", reason.toLowerCase(Locale.ROOT))
                .register(meters)
                .record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        return result;
    }

    /** Collects a body of at most {@code limit} bytes; a longer one fails the call (and stops reading it). */
    private static final class LimitedBody implements HttpResponse.BodySubscriber<byte[]> {
        static final class TooLarge extends IOException {
            TooLarge() {
                super("戸籍 answer over the size limit", null);
            }
        }

        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final int limit;
        private Flow.Subscription subscription;

        LimitedBody(int limit) {
            this.limit = limit;
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            if (result.isDone()) {
                return;
            }
            for (ByteBuffer b : items) {
                if (bytes.size() + b.remaining() > limit) {
                    subscription.cancel();
                    result.completeExceptionally(new TooLarge());
                    return;
                }
                byte[] chunk = new byte[b.remaining()];
                b.get(chunk);
                bytes.write(chunk, 0, chunk.length);
            }
        }

        @Override
        public void onError(Throwable t) {
            result.completeExceptionally(t);
        }

        @Override
        public void onComplete() {
            result.complete(bytes.toByteArray());
        }
    }
}
