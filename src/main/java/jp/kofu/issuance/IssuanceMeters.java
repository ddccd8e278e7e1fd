package jp.kofu.issuance;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;
import jp.kofu.audit.IssuanceLogEntry.Endpoint;
import jp.kofu.audit.IssuanceLogEntry.Result;
import jp.kofu.contract.CertificateType;
import jp.kofu.contract.ErrorCode;
import jp.kofu.municipality.MunicipalityRegistry;

import java.time.Duration;
import java.util.Set;

/**
 * The meters of the card-signed endpoints (docs/operations.md): {@code kofu_issuances_total{municipality,
 * certificate_type,channel,result,code}} for every answered request of {@code /center/v1/issuances},
 * {@code /household-members} and {@code /koseki-members}, and {@code kofu_issuance_seconds} (a histogram) of the
 * issuance endpoint's answers.
 *
 * <p>Every label value comes from a fixed set: a served municipality's code, a certificate type of the contract,
 * a channel, a log result and an error code, else {@code NONE} (not yet known, or a value the caller made up, which
 * must not become a new series). Nothing of a resident — id, name, number, card serial — is ever a label.
 */
@Singleton
final class IssuanceMeters {
    static final String ISSUANCES = "kofu.issuances";
    static final String SECONDS = "kofu.issuance";
    static final String NONE = "NONE";
    private static final Set<String> LISTINGS = Set.of(CardRequest.HOUSEHOLD_LISTING, CardRequest.KOSEKI_LISTING,
            CardRequest.KOSEKI_REGISTRATION);
    private static final Duration[] BUCKETS = {Duration.ofMillis(100), Duration.ofMillis(250),
            Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(3),
            Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30)};

    private final MeterRegistry meters;
    private final MunicipalityRegistry municipalities;

    IssuanceMeters(MeterRegistry meters, MunicipalityRegistry municipalities) {
        this.meters = meters;
        this.municipalities = municipalities;
    }

    /**
     * One answered request of {@code endpoint}: its {@code result} and error code (null: none), with what
     * {@code facts} know of it (null: nothing), and for the issuance endpoint how long it took since
     * {@code startedNanos} ({@link System#nanoTime()}).
     */
    void answered(Endpoint endpoint, RequestFacts facts, Result result, ErrorCode code, long startedNanos) {
        CardRequest request = facts == null ? null : facts.request();
        String municipality = request == null ? NONE : municipalities.find(request.municipalityCode())
                .map(m -> m.code()).orElse(NONE);
        String type = request == null ? NONE : certificateType(request.certificateType());
        String channel = request == null || request.channel() == null ? NONE : request.channel().name();
        Counter.builder(ISSUANCES)
                .description("Answered card-signed requests (issuance, household and 戸籍 listing), by outcome")
                .tag("municipality", municipality)
                .tag("certificate_type", type)
                .tag("channel", channel)
                .tag("result", result.name())
                .tag("code", code == null ? NONE : code.name())
                .register(meters)
                .increment();
        if (endpoint == Endpoint.ISSUANCE) {
            Timer.builder(SECONDS)
                    .description("Time to answer POST /center/v1/issuances, from the request's body to its answer")
                    .tag("municipality", municipality)
                    .tag("certificate_type", type)
                    .tag("result", result.name())
                    .serviceLevelObjectives(BUCKETS)
                    .register(meters)
                    .record(Duration.ofNanos(System.nanoTime() - startedNanos));
        }
    }

    private static String certificateType(String name) {
        if (name != null && LISTINGS.contains(name)) {
            return name;
        }
        return CertificateType.of(name).map(Enum::name).orElse(NONE);
    }
}
