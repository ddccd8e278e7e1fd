package jp.kofu.koseki;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jp.kofu.contract.Json;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * One {@code certificate-data} question (contract §9) and the checks that an answer is the answer to it. The
 * checks are the whole defence against the 川崎市 2023 failure (two requests within a second, one answer printed for
 * the other): an answer is accepted only when it names this call's {@code requestId}, the requester's
 * {@code personKey} and the {@code kind} asked, and holds exactly the persons asked for.
 *
 * <p>Which persons: {@code ZENBU} is the requester's whole 戸籍, so the requester must be among its persons (others
 * of the 戸籍 are there too). {@code KOJIN} and {@code FUHYO} print the targets — the requester when
 * {@code targets} is empty — so their persons must be exactly the targets, each once: no one missing, no one else.
 * When the targets do not include the requester (本人 asking for a family member's 個人事項), the requester is
 * rightly absent from the persons; the answer is then tied to the requester by its {@code requestId} and
 * {@code personKey}.
 */
record KosekiCall(String requestId, String municipalityCode, KosekiAnswer.Kind kind, String personKey,
                  List<String> targets) {

    KosekiCall {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(municipalityCode, "municipalityCode");
        Objects.requireNonNull(kind, "kind");
        if (personKey == null || personKey.isBlank()) {
            throw new IllegalArgumentException("a certificate-data call needs the requester's person key");
        }
        targets = List.copyOf(targets);
        if (kind == KosekiAnswer.Kind.ZENBU && !targets.isEmpty()) {
            throw new IllegalArgumentException("a 全部事項証明書 is of the requester's whole 戸籍: no targets");
        }
        if (Set.copyOf(targets).size() != targets.size() || targets.stream().anyMatch(t -> t == null || t.isBlank())) {
            throw new IllegalArgumentException("targets are distinct, non-blank person keys");
        }
    }

    /** A new question with a fresh random requestId. */
    static KosekiCall of(String municipalityCode, KosekiAnswer.Kind kind, String personKey, List<String> targets) {
        return new KosekiCall(UUID.randomUUID().toString(), municipalityCode, kind, personKey, targets);
    }

    /** The persons the answer must hold exactly (KOJIN, FUHYO): the targets, or the requester when there are none. */
    Set<String> printed() {
        return targets.isEmpty() ? Set.of(personKey) : Set.copyOf(targets);
    }

    byte[] body() {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("requestId", requestId);
        body.put("municipalityCode", municipalityCode);
        body.put("kind", kind.name());
        body.put("personKey", personKey);
        ArrayNode list = body.putArray("targets");
        targets.forEach(list::add);
        return Json.bytes(body);
    }

    /** Empty when the answer is the answer to this call; else the first rule it breaks. */
    Optional<KosekiResult.MismatchReason> check(KosekiAnswer answer) {
        if (!requestId.equals(answer.requestId())) {
            return Optional.of(KosekiResult.MismatchReason.REQUEST_ID);
        }
        if (!personKey.equals(answer.personKey())) {
            return Optional.of(KosekiResult.MismatchReason.PERSON_KEY);
        }
        if (kind != answer.kind()) {
            return Optional.of(KosekiResult.MismatchReason.KIND);
        }
        Set<String> seen = new HashSet<>();
        for (KosekiAnswer.Person p : answer.persons()) {
            if (!seen.add(p.personKey())) {
                return Optional.of(KosekiResult.MismatchReason.TARGETS);
            }
        }
        if (kind == KosekiAnswer.Kind.ZENBU) {
            return seen.contains(personKey) ? Optional.empty()
                    : Optional.of(KosekiResult.MismatchReason.REQUESTER_MISSING);
        }
        if (targets.isEmpty() && !seen.contains(personKey)) {
            return Optional.of(KosekiResult.MismatchReason.REQUESTER_MISSING);
        }
        return seen.equals(printed()) ? Optional.empty() : Optional.of(KosekiResult.MismatchReason.TARGETS);
    }
}
