package jp.kofu.issuance;

import jp.kofu.municipality.Municipality;
import jp.kofu.municipality.MunicipalityRegistry;
import org.junit.jupiter.api.Test;

import java.time.LocalTime;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** "本籍 is here" (contract §9): prefecture of the code, an optional 郡, the municipality's name. */
final class KosekiDomicileTest {
    private static Municipality city(String code, String name) {
        return new Municipality(code, name, name + "長", "見本 太郎", LocalTime.MIDNIGHT, null, Map.of(), 15, Set.of(),
                Set.of(), Optional.empty(), Optional.empty(), "setai-renki", Optional.empty(), Optional.empty(), Set.of());
    }

    @Test
    void aDomicileIsHereWhenItStartsWithThePrefectureOfTheCodeAndTheName() {
        Municipality kawaguchi = MunicipalityRegistry.demoMunicipality();
        assertTrue(KosekiHolders.isHere(kawaguchi, "埼玉県川口市青木二丁目1番地"));
        assertTrue(KosekiHolders.isHere(kawaguchi, "埼玉県 川口市　青木二丁目1番地"), "spaces do not matter");
        assertFalse(KosekiHolders.isHere(kawaguchi, "川口市青木二丁目1番地"), "without its prefecture");
        assertFalse(KosekiHolders.isHere(kawaguchi, "東京都千代田区千代田1番"));
        assertFalse(KosekiHolders.isHere(kawaguchi, null));
    }

    @Test
    void thePrefectureTellsTwoCitiesOfOneNameApart() {
        Municipality tokyoFuchu = city("132063", "府中市");
        assertTrue(KosekiHolders.isHere(tokyoFuchu, "東京都府中市宮町一丁目1番地"));
        assertFalse(KosekiHolders.isHere(tokyoFuchu, "広島県府中市府川町1番地"), "広島県府中市 is another city");
    }

    @Test
    void aTownOrVillageMayBeWrittenWithItsCounty() {
        Municipality moroyama = city("113263", "毛呂山町");
        assertTrue(KosekiHolders.isHere(moroyama, "埼玉県入間郡毛呂山町中央二丁目1番地"));
        assertTrue(KosekiHolders.isHere(moroyama, "埼玉県毛呂山町中央二丁目1番地"));
        assertFalse(KosekiHolders.isHere(moroyama, "埼玉県入間郡越生町越生1番地"));
    }
}
