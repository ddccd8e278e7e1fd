package jp.kofu.issuance;

import jakarta.inject.Singleton;
import jp.kofu.replica.ResidentRecord;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * 本人及び同一世帯員 (contract §2): the persons a request of scope SELF, HOUSEHOLD_ALL or SELECTED prints. For SELECTED,
 * exactly the members named by listing ids sealed to this card and still valid, each a current member of the
 * household, in household order whatever the order of the ids.
 */
@Singleton
final class HouseholdSelection {
    private final MemberTokens memberTokens;

    HouseholdSelection(MemberTokens memberTokens) {
        this.memberTokens = memberTokens;
    }

    List<ResidentRecord> persons(CardRequest request, Requester requester, Admission.Admitted admitted) {
        return switch (request.scope()) {
            case SELF -> List.of(requester.record());
            case HOUSEHOLD_ALL -> requester.household();
            case SELECTED -> selected(request, requester, admitted);
        };
    }

    private List<ResidentRecord> selected(CardRequest request, Requester requester, Admission.Admitted admitted) {
        Set<String> chosen = new HashSet<>();
        for (String token : request.memberIds()) {
            String id = memberTokens.open(token, admitted.municipality().code(), admitted.facts().card().id(),
                            admitted.now())
                    .orElseThrow(() -> Eligibility.notIssuable("member id unknown, expired or listed for another card"));
            chosen.add(id);
        }
        List<ResidentRecord> persons = requester.household().stream()
                .filter(r -> chosen.contains(r.residentId())).collect(Collectors.toList());
        if (persons.size() != chosen.size()) {
            throw Eligibility.notIssuable("a selected member is no longer in the household");
        }
        return persons;
    }
}
