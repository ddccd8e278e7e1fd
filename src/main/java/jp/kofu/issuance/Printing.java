package jp.kofu.issuance;

import jp.kofu.municipality.Municipality;
import jp.kofu.replica.ResidentRecord;

import java.time.LocalDate;
import java.util.List;

/**
 * What every certificate is printed from: the municipality, the card holder, the persons to print (in print order),
 * the request, the 発行番号 of each copy, and the day of issue (Asia/Tokyo). A 戸籍 certificate's persons come from
 * the 戸籍システム, not from here (empty), and its holder may be no resident ({@code requester} null).
 */
record Printing(Municipality municipality, Requester requester, List<ResidentRecord> persons, CardRequest request,
                List<String> issuanceNumbers, LocalDate issuedOn) {

    Printing {
        persons = List.copyOf(persons);
        issuanceNumbers = List.copyOf(issuanceNumbers);
    }

    String firstNumber() {
        return issuanceNumbers.get(0);
    }
}
