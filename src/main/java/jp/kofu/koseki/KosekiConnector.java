package jp.kofu.koseki;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jp.kofu.alarm.AlarmKind;
import jp.kofu.alarm.Alarms;
import jp.kofu.config.KeyFiles;
import jp.kofu.config.SettingException;
import jp.kofu.contract.Json;
import jp.kofu.municipality.Municipality;
import jp.kofu.municipality.MunicipalityRegistry;
import jp.kofu.pki.DevPki;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLContext;
import java.time.Clock;
import java.time.LocalDate;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Kofu's client of the municipalities' 戸籍システム (contract §9, docs/koseki.md): the data of one 戸籍 certificate
 * per call, and the person key of a card holder. Every call has a fresh requestId; every answer is checked to be
 * the answer to that call ({@link KosekiCall}) before anything of it is used. A refused answer is an ALARM on
 * {@code kofu.ops.koseki} naming the municipality and the request ids only. Nothing of an answer is logged, kept
 * or cached here: the caller renders it and drops it.
 *
 * <p>Thread-safe; calls block the calling thread for at most about {@code timeoutMs} + 100 ms.
 */
@Singleton
public final class KosekiConnector {
    private static final Logger LOG = LoggerFactory.getLogger(KosekiConnector.class);
    private static final Pattern UUID_FORM = Pattern.compile("[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}");
    static final String CERTIFICATE_DATA = "certificate-data";
    static final String PERSON_LOOKUP = "person-lookup";

    private final Map<String, KosekiLink> links = new HashMap<>();
    private final Alarms alarms;

    @Inject
    public KosekiConnector(MunicipalityRegistry municipalities, KeyFiles keys, MeterRegistry meters, Clock clock,
                           Alarms alarms) {
        this(municipalities.all(), keys.devPkiAllowed() ? keys::devPki : null, meters, clock,
                KosekiLink.Breaker.DEFAULT, alarms);
        municipalities.onReload(KosekiConnector::unchangedLinks);
    }

    /** A connector whose alarms are log lines only (tests of the connector alone). */
    KosekiConnector(Collection<Municipality> municipalities, Supplier<DevPki> devPki, MeterRegistry meters,
                    Clock clock, KosekiLink.Breaker breaker) {
        this(municipalities, devPki, meters, clock, breaker, Alarms.logOnly(clock));
    }

    /**
     * A reload may not change a 戸籍 link (its TLS context, breaker and meters live as long as the node): a link
     * added, changed or removed refuses the reload and asks for a restart (docs/settings.md).
     */
    static Runnable unchangedLinks(Map<String, Municipality> previous, Map<String, Municipality> next) {
        java.util.Set<String> codes = new java.util.TreeSet<>(previous.keySet());
        codes.addAll(next.keySet());
        for (String code : codes) {
            Optional<Municipality.KosekiLink> before = Optional.ofNullable(previous.get(code))
                    .flatMap(Municipality::koseki);
            Optional<Municipality.KosekiLink> after = Optional.ofNullable(next.get(code)).flatMap(Municipality::koseki);
            if (next.containsKey(code) && !before.equals(after)) {
                throw new SettingException("kofu.municipalities-file", "municipality " + code
                        + ".koseki: the 戸籍 link cannot change while the node runs; restart the node to change it");
            }
        }
        return () -> { };
    }

    /**
     * @param devPki the development PKI for links without keystore and trust; null when {@code kofu.dev-pki} is off
     */
    KosekiConnector(Collection<Municipality> municipalities, Supplier<DevPki> devPki, MeterRegistry meters,
                    Clock clock, KosekiLink.Breaker breaker, Alarms alarms) {
        this.alarms = alarms;
        int index = 0;
        for (Municipality m : municipalities) {
            String where = "municipalities[" + index++ + "].koseki";
            if (m.koseki().isEmpty()) {
                if (m.offersKoseki()) {
                    LOG.warn("Municipality {} offers 戸籍 certificates but has no koseki link: they answer"
                            + " SERVICE_UNAVAILABLE", m.code());
                }
                continue;
            }
            Municipality.KosekiLink link = m.koseki().get();
            Supplier<SSLContext> tls;
            if (link.usesDevPki()) {
                if (devPki == null) {
                    throw new SettingException("kofu.municipalities-file", where + ".clientKeystore: not set (nor trust);"
                            + " " + KeyFiles.NO_DEV_PKI);
                }
                // The development keys are made when the first 戸籍 request needs them, not at every start.
                tls = () -> {
                    DevPki pki = devPki.get();
                    return KosekiTls.context(pki.kosekiClientKeystore(), pki.password(), pki.kosekiServerCa());
                };
                LOG.warn("Municipality {} calls its 戸籍システム at {} with a DEVELOPMENT client certificate, trusting"
                        + " the development 戸籍 CA", m.code(), link.url());
            } else {
                SSLContext checked;
                try {
                    checked = KosekiTls.context(link.clientKeystore().get(),
                            link.clientKeystorePassword().orElse("").toCharArray(), link.trust().get());
                } catch (RuntimeException e) {
                    throw new SettingException("kofu.municipalities-file", where
                            + ".clientKeystore/trust: cannot use them: " + e.getMessage());
                }
                tls = () -> checked;
            }
            links.put(m.code(), new KosekiLink(m.code(), link, tls, breaker, meters, clock));
        }
    }

    /**
     * True while the circuit breaker of the municipality's 戸籍 link (on this node) is not closed: its calls failed
     * repeatedly and are answered {@code BREAKER_OPEN} at once, or the few probe calls are still to prove it well.
     */
    public boolean breakerOpen(Municipality municipality) {
        KosekiLink link = links.get(municipality.code());
        return link != null && link.breakerState() != io.github.resilience4j.circuitbreaker.CircuitBreaker.State.CLOSED;
    }

    /**
     * The state of the circuit breaker of the municipality's 戸籍 link ({@code CLOSED}, {@code OPEN},
     * {@code HALF_OPEN} …); empty when it has no link. Operations: /health/ready lists it, it never decides.
     */
    public java.util.Optional<String> breakerState(Municipality municipality) {
        return java.util.Optional.ofNullable(links.get(municipality.code())).map(l -> l.breakerState().name());
    }

    /** True when the municipality has a 戸籍 link. */
    public boolean isLinked(Municipality municipality) {
        return links.containsKey(municipality.code());
    }

    /**
     * The data of one certificate: {@code ZENBU} of the requester's 戸籍 ({@code targets} must be empty),
     * {@code KOJIN}/{@code FUHYO} of {@code targets} (empty: the requester). Only an answer that passes every check
     * of {@link KosekiCall} is {@link KosekiResult.Answered}.
     */
    public KosekiResult<KosekiAnswer> certificateData(Municipality municipality, KosekiAnswer.Kind kind,
                                                      String personKey, List<String> targets) {
        KosekiCall call = KosekiCall.of(municipality.code(), kind, personKey, targets);
        KosekiLink link = links.get(municipality.code());
        if (link == null) {
            return new KosekiResult.Unavailable<>(KosekiResult.UnavailableReason.NO_LINK);
        }
        String[] answeredId = {null};
        KosekiResult<KosekiAnswer> result = link.call(CERTIFICATE_DATA, call.body(), response -> {
            if (response.status() != 200) {
                return notAnswered(response);
            }
            KosekiAnswer answer;
            try {
                answer = AnswerParser.certificateData(response.body());
            } catch (AnswerParser.Malformed e) {
                return new KosekiResult.Mismatch<>(call.requestId(), KosekiResult.MismatchReason.MALFORMED);
            }
            answeredId[0] = answer.requestId();
            Optional<KosekiResult.MismatchReason> broken = call.check(answer);
            return broken.isPresent() ? new KosekiResult.Mismatch<>(call.requestId(), broken.get())
                    : new KosekiResult.Answered<>(answer);
        });
        alarmIfMismatch(municipality, CERTIFICATE_DATA, result, answeredId[0]);
        return result;
    }

    /**
     * The person key of the person of this 本籍, 筆頭者, 氏名 and 生年月日 (contract §9: which 戸籍 is the card
     * holder's): {@code Answered(empty)} when the 戸籍システム knows no such person (404).
     */
    public KosekiResult<Optional<String>> personLookup(Municipality municipality, String honseki, String hittosha,
                                                       String name, LocalDate birthDate) {
        Objects.requireNonNull(birthDate, "birthDate");
        for (String s : new String[] {honseki, hittosha, name}) {
            if (s == null || s.isBlank()) {
                throw new IllegalArgumentException("a person lookup needs 本籍, 筆頭者 and 氏名");
            }
        }
        String requestId = UUID.randomUUID().toString();
        KosekiLink link = links.get(municipality.code());
        if (link == null) {
            return new KosekiResult.Unavailable<>(KosekiResult.UnavailableReason.NO_LINK);
        }
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("requestId", requestId);
        body.put("honseki", honseki);
        body.put("hittosha", hittosha);
        body.put("name", name);
        body.put("birthDate", birthDate.toString());
        String[] answeredId = {null};
        KosekiResult<Optional<String>> result = link.call(PERSON_LOOKUP, Json.bytes(body), response -> {
            if (response.status() == 404 && "NOT_FOUND".equals(AnswerParser.errorCode(response.body()))) {
                return new KosekiResult.Answered<>(Optional.empty());
            }
            if (response.status() != 200) {
                return notAnswered(response);
            }
            AnswerParser.Lookup found;
            try {
                found = AnswerParser.personLookup(response.body());
            } catch (AnswerParser.Malformed e) {
                return new KosekiResult.Mismatch<>(requestId, KosekiResult.MismatchReason.MALFORMED);
            }
            answeredId[0] = found.requestId();
            return requestId.equals(found.requestId()) ? new KosekiResult.Answered<>(Optional.of(found.personKey()))
                    : new KosekiResult.Mismatch<>(requestId, KosekiResult.MismatchReason.REQUEST_ID);
        });
        alarmIfMismatch(municipality, PERSON_LOOKUP, result, answeredId[0]);
        return result;
    }

    /** A non-200 answer: 404 NOT_FOUND and 409 PENDING_NOTIFICATION are not issuable, anything else unavailable. */
    private static <T> KosekiResult<T> notAnswered(KosekiLink.Response response) {
        String code = AnswerParser.errorCode(response.body());
        if (response.status() == 404 && "NOT_FOUND".equals(code)) {
            return new KosekiResult.NotIssuable<>(KosekiResult.NotIssuableReason.NOT_FOUND);
        }
        if (response.status() == 409 && "PENDING_NOTIFICATION".equals(code)) {
            return new KosekiResult.NotIssuable<>(KosekiResult.NotIssuableReason.PENDING_NOTIFICATION);
        }
        return new KosekiResult.Unavailable<>(response.status() >= 500 ? KosekiResult.UnavailableReason.SERVER_ERROR
                : KosekiResult.UnavailableReason.UNEXPECTED_ANSWER);
    }

    /**
     * The alarm of a refused answer (a row of the municipality and the ALARM line): municipality, call, rule and
     * request ids — nothing else of the answer.
     */
    private void alarmIfMismatch(Municipality m, String call, KosekiResult<?> result, String answeredId) {
        if (result instanceof KosekiResult.Mismatch<?> mismatch) {
            String answered = answeredId == null ? "-" : UUID_FORM.matcher(answeredId).matches() ? answeredId
                    : "(not a UUID)";
            alarms.occurred(AlarmKind.KOSEKI_ANSWER_REFUSED, m.code(), call, "call=" + call + " rule="
                    + mismatch.reason() + " requestId=" + mismatch.requestId() + " answeredRequestId=" + answered, null);
        }
    }
}
