package jp.kofu.koseki.registration;

import java.time.Instant;
import java.time.LocalDate;

/**
 * A 本籍地 利用登録申請 waiting for a decision, with the fields the applicant typed: personal data, for the review
 * queue of staff holding the 戸籍 review permission only. {@link #toString()} names the id alone.
 */
public record Application(String registrationId, String municipalityCode, String honseki, String hittosha,
                          String name, LocalDate birthDate, Instant appliedAt) {
    @Override
    public String toString() {
        return "Application[" + registrationId + "]";
    }
}
