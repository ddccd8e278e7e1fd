package jp.kofu.pdf;

import jp.kofu.replica.ResidentRecord;

import java.util.List;
import java.util.Objects;

/** A 住民票の写し: the persons in print order, the scope its 認証文 names and the optional items. */
public record JuminhyoContent(Issue issue, Scope scope, List<ResidentRecord> persons, PrintItems items)
        implements ResidentContent {
    /** Whose 住民票 it is a copy of: the whole household, part of it, or 本人 alone. */
    public enum Scope { HOUSEHOLD_ALL, HOUSEHOLD_PART, SELF }

    public JuminhyoContent {
        Objects.requireNonNull(issue, "issue");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(items, "items");
        persons = List.copyOf(persons);
        if (persons.isEmpty()) {
            throw new IllegalArgumentException("a 住民票の写し prints at least one person");
        }
    }

    @Override
    public String attestation() {
        return scope.name();
    }

    @Override
    public FormLayout.Kind kind() {
        return FormLayout.Kind.JUMINHYO;
    }
}
