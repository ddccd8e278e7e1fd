package jp.kofu.koseki.registration;

import jakarta.inject.Singleton;
import jp.kofu.card.CardId;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;

/**
 * 本籍地 利用登録 (contract §9): which 戸籍 person a card certificate was approved for, for residents of elsewhere
 * whose 本籍 is here. (To be built: applications, the review queue, approval with the person lookup.)
 */
@Singleton
public class KosekiRegistrations {

    /**
     * The 戸籍システム's person key of the card's holder, when staff approved a registration of exactly this card
     * certificate for this municipality; read on the caller's transaction.
     */
    public Optional<String> approvedPersonKey(Connection c, String municipalityCode, CardId card)
            throws SQLException {
        return Optional.empty();
    }
}
