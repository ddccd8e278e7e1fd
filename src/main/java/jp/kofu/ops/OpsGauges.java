package jp.kofu.ops;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;
import jp.kofu.card.CardRequestVerifier;
import jp.kofu.card.CrlStatus;
import jp.kofu.config.KeyFiles;
import jp.kofu.municipality.Municipality;
import jp.kofu.municipality.MunicipalityRegistry;
import jp.kofu.pki.Pem;
import jp.kofu.pki.Pkcs12;
import jp.kofu.replica.ReplicaState;
import jp.kofu.signing.MunicipalSigners;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The gauges of contract §10 (docs/operations.md), each read from a value already at hand when Prometheus scrapes:
 * the replica states of {@link ReplicaStates} (read every few seconds, never per scrape), the CRL folder's parsed
 * CRLs, and Kofu's own certificates, read once at start-up.
 *
 * <ul>
 *   <li>{@code kofu_replica_applied_seq{municipality}}: the last applied {@code seq}.</li>
 *   <li>{@code kofu_replica_last_heard_seconds{municipality}}: seconds since the feed was last heard (batch,
 *       heartbeat or snapshot); {@code +Inf} when never. An age, not a time: an alert compares it with
 *       {@code kofu_replica_max_feed_silence_seconds{municipality}} ({@code +Inf} without a limit).</li>
 *   <li>{@code kofu_crl_next_update_seconds{issuer}}: seconds until the latest {@code nextUpdate} of the CRLs of
 *       each configured JPKI CA, negative once past, {@code -Inf} when the folder has none of it.</li>
 *   <li>{@code kofu_certificate_expiry_seconds{purpose,municipality}}: seconds until {@code notAfter} of the TLS
 *       server certificate ({@code purpose="tls_server"}, {@code municipality=""}) and of each municipality's
 *       signing certificate ({@code purpose="signing"}), and of the client certificate of each configured 戸籍
 *       link ({@code purpose="koseki_client"}; a development link's, made at its first call, is not shown).</li>
 * </ul>
 * Labels are municipality codes, CA names and fixed words only.
 */
@Singleton
final class OpsGauges {
    private final Clock clock;

    OpsGauges(MeterRegistry meters, MunicipalityRegistry municipalities, ReplicaStates replicas,
              CardRequestVerifier cards, MunicipalSigners signers, KeyFiles keys, Clock clock) {
        this.clock = clock;
        for (Municipality m : municipalities.all()) {
            String code = m.code();
            replicaGauge(meters, "kofu.replica.applied.seq", null, "The last applied seq of the municipality's feed",
                    code, replicas, s -> (double) s.appliedThrough());
            replicaGauge(meters, "kofu.replica.last.heard", "seconds",
                    "Seconds since the municipality's feed was last heard (batch, heartbeat or snapshot)", code,
                    replicas, s -> s.lastHeardAt().map(this::secondsSince).orElse(Double.POSITIVE_INFINITY));
            Gauge.builder("kofu.replica.max.feed.silence", m,
                            x -> x.maxFeedSilence().map(d -> (double) d.toSeconds()).orElse(Double.POSITIVE_INFINITY))
                    .description("maxFeedSilenceMinutes of the municipality, in seconds (+Inf: no limit)")
                    .baseUnit("seconds")
                    .tag("municipality", code)
                    .register(meters);
            certificateGauge(meters, "signing", code, signers.forMunicipality(m).certificate());
            m.koseki().flatMap(Municipality.KosekiLink::clientKeystore).ifPresent(keystore -> certificateGauge(meters,
                    "koseki_client", code, Pkcs12.read(keystore, m.koseki().get().clientKeystorePassword().orElse("")
                            .toCharArray()).chain().get(0)));
        }
        for (CrlStatus status : cards.crlStatuses()) {
            String issuer = status.issuer();
            Gauge.builder("kofu.crl.next.update", cards, v -> crlSeconds(v.crlStatuses(), issuer))
                    .description("Seconds until the latest nextUpdate of the JPKI CA's CRLs (negative once past,"
                            + " -Inf when there is none)")
                    .baseUnit("seconds")
                    .tag("issuer", issuer)
                    .register(meters);
        }
        List<X509Certificate> tls = Pem.readCertificates(keys.tlsCertificate());
        if (!tls.isEmpty()) {
            certificateGauge(meters, "tls_server", "", tls.get(0));
        }
    }

    private void replicaGauge(MeterRegistry meters, String name, String unit, String description, String code,
                              ReplicaStates replicas, Function<ReplicaState, Double> value) {
        Gauge.builder(name, replicas, r -> r.of(code).map(value).orElse(Double.NaN))
                .description(description)
                .baseUnit(unit)
                .tag("municipality", code)
                .register(meters);
    }

    private void certificateGauge(MeterRegistry meters, String purpose, String municipality, X509Certificate cert) {
        Instant notAfter = cert.getNotAfter().toInstant();
        Gauge.builder("kofu.certificate.expiry", this, g -> g.secondsUntil(notAfter))
                .description("Seconds until one of Kofu's own certificates expires")
                .baseUnit("seconds")
                .tag("purpose", purpose)
                .tag("municipality", municipality)
                .register(meters);
    }

    private double crlSeconds(List<CrlStatus> statuses, String issuer) {
        Optional<Instant> next = statuses.stream().filter(s -> s.issuer().equals(issuer)).findFirst()
                .flatMap(CrlStatus::nextUpdate);
        return next.map(this::secondsUntil).orElse(Double.NEGATIVE_INFINITY);
    }

    private double secondsUntil(Instant then) {
        return Duration.between(clock.instant(), then).toMillis() / 1000.0;
    }

    private double secondsSince(Instant then) {
        return Duration.between(then, clock.instant()).toMillis() / 1000.0;
    }
}
