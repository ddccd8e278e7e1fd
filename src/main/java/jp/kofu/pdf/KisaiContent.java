package jp.kofu.pdf;

import jp.kofu.replica.ResidentRecord;

import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A 住民票記載事項証明書: the persons in print order and the items certified of each ({@link KisaiItem#defaults()}
 * when the request names none). An item that is not chosen is not printed at all, not even its label.
 */
public record KisaiContent(Issue issue, List<ResidentRecord> persons, Set<KisaiItem> items)
        implements ResidentContent {
    public KisaiContent {
        Objects.requireNonNull(issue, "issue");
        persons = List.copyOf(persons);
        if (persons.isEmpty()) {
            throw new IllegalArgumentException("a 記載事項証明書 prints at least one person");
        }
        items = items == null || items.isEmpty() ? KisaiItem.defaults() : Set.copyOf(EnumSet.copyOf(items));
    }

    @Override
    public String attestation() {
        return "KISAI";
    }

    @Override
    public FormLayout.Kind kind() {
        return FormLayout.Kind.KISAI;
    }
}
