package jp.kofu.pdf;

import jp.kofu.replica.ResidentRecord;

import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

/**
 * An 印鑑登録証明書 of one person (本人 only): the resident's record, the registered seal, and whether the
 * municipality prints 男女の別 ({@code inkanPrintsSex}).
 */
public record InkanContent(Issue issue, ResidentRecord person, Seal seal, boolean printsSex)
        implements ResidentContent {

    /**
     * A seal registration: its 登録番号, the name it is registered under (氏名, 旧氏 or 通称, or part of them), the day
     * it was registered, the side of the printed 印影 in millimetres (a registrable seal is 8 to 25 mm) and the
     * 印影 as a PNG (transparent or white background).
     */
    public record Seal(String registrationNumber, String registeredName, LocalDate registeredOn, double sealSizeMm,
                       byte[] png) {
        public Seal {
            Objects.requireNonNull(registrationNumber, "registrationNumber");
            Objects.requireNonNull(registeredName, "registeredName");
            Objects.requireNonNull(png, "png");
        }

        /** The registration number only: the 印影 bytes are no part of a log line. */
        @Override
        public String toString() {
            return "Seal[" + registrationNumber + "]";
        }
    }

    public InkanContent {
        Objects.requireNonNull(issue, "issue");
        Objects.requireNonNull(person, "person");
        Objects.requireNonNull(seal, "seal");
    }

    @Override
    public List<ResidentRecord> persons() {
        return List.of(person);
    }

    @Override
    public String attestation() {
        return "INKAN";
    }

    @Override
    public FormLayout.Kind kind() {
        return FormLayout.Kind.INKAN;
    }
}
