package jp.kofu.console;

import jakarta.inject.Singleton;
import jp.kofu.console.account.StaffRole;
import jp.kofu.console.account.StaffSession;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The model of a log row's detail page: the row, its related rows, the issuance it belongs to with its 処分情報 and,
 * for a 管理者, the form to record or correct that. One place, for the page and for the form's answer.
 */
@Singleton
final class DetailPage {
    /** Who may record and correct 処分情報 (docs/console.md). */
    static final StaffRole RECORDS_DISPOSALS = StaffRole.ADMIN;

    private final IssuanceSearch search;
    private final Disposals disposals;
    private final Clock clock;

    DetailPage(IssuanceSearch search, Disposals disposals, Clock clock) {
        this.search = search;
        this.disposals = disposals;
        this.clock = clock;
    }

    /** The page's model; {@code form} holds the disposal form's values (null: those of the current record). */
    Map<String, Object> model(StaffSession s, LogRow row, Map<String, String> form) {
        String code = s.staff().municipalityCode();
        Map<String, Object> model = new HashMap<>();
        model.put("row", row);
        model.put("related", search.related(row));
        if (row.issuanceNumber() == null) {
            return model;
        }
        search.issuance(code, row.issuanceNumber()).ifPresent(issuance -> {
            model.put("issuance", issuance);
            List<Disposal> history = disposals.history(code, issuance.number());
            Disposal current = history.isEmpty() ? null : history.get(history.size() - 1);
            model.put("disposals", history);
            model.put("disposal", current);
            boolean may = s.staff().role().includes(RECORDS_DISPOSALS) && isDisposable(issuance);
            model.put("canRecordDisposal", may);
            if (may) {
                model.put("dispositions", Disposal.Disposition.values());
                model.put("reasons", Disposal.Reason.values());
                model.put("noteLimit", Disposal.NOTE_LIMIT);
                model.put("today", clock.instant().atZone(ConsoleDates.TOKYO).toLocalDate().toString());
                model.put("form", form != null ? form : formOf(current));
            }
        });
        return model;
    }

    /** A paper may have come out: printed, or not yet reported. A voided issuance printed nothing to take back. */
    static boolean isDisposable(IssuanceSearch.Issuance issuance) {
        return !"VOIDED".equals(issuance.status());
    }

    private static Map<String, String> formOf(Disposal current) {
        Map<String, String> form = new HashMap<>();
        form.put("revision", current == null ? "0" : Integer.toString(current.revision()));
        if (current != null) {
            form.put("disposition", current.disposition().name());
            form.put("disposedOn", current.disposedOn().toString());
            form.put("reason", current.reason().name());
            form.put("note", current.note() == null ? "" : current.note());
        }
        return form;
    }
}
