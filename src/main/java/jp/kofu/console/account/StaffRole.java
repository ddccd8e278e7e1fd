package jp.kofu.console.account;

import java.util.Arrays;
import java.util.Optional;

/**
 * What a staff member may do in the console. Each role includes the ones before it: 閲覧者 search and read the
 * issuance log, 監査者 also export it and read the staff action log and the log's integrity, 管理者 also manage the
 * staff accounts of their municipality.
 */
public enum StaffRole {
    VIEWER("閲覧者"),
    AUDITOR("監査者"),
    ADMIN("管理者");

    private final String label;

    StaffRole(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public boolean includes(StaffRole other) {
        return compareTo(other) >= 0;
    }

    /** Parses {@code 閲覧者}, {@code VIEWER} or {@code viewer}. */
    public static Optional<StaffRole> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String t = text.strip();
        return Arrays.stream(values()).filter(r -> r.label.equals(t) || r.name().equalsIgnoreCase(t)).findFirst();
    }
}
