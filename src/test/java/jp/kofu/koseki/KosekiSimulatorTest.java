package jp.kofu.koseki;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jp.kofu.TestFiles;
import jp.kofu.koseki.KosekiAnswer.Kind;
import jp.kofu.koseki.sim.KosekiSimulator;
import jp.kofu.municipality.Municipality;
import jp.kofu.pki.DevPki;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The 戸籍システム simulator starts on the development PKI and answers its fixture through the connector. */
final class KosekiSimulatorTest {

    @Test
    void answersTheFixtureOverMutualTlsWithTheDevelopmentPki() throws Exception {
        Path dir = Files.createTempDirectory("kofu-koseki-sim");
        try {
            DevPki pki = DevPki.open(dir.resolve("dev-pki"), Clock.systemUTC());
            try (KosekiSimulator simulator = KosekiSimulator.start(pki, 0)) {
                Municipality m = LinkSettings.city(dir.resolve("settings"), simulator.kosekiSetting());
                KosekiConnector connector = new KosekiConnector(List.of(m), () -> pki, new SimpleMeterRegistry(),
                        Clock.systemUTC(), KosekiLink.Breaker.DEFAULT);

                // the demo household's head R0000001: 本籍 and 筆頭者 as the replica has them
                var found = (KosekiResult.Answered<Optional<String>>) connector.personLookup(m,
                        "埼玉県川口市青木二丁目1番地", "川口　太郎", "川口　太郎", LocalDate.of(1980, 4, 1));
                String key = found.value().orElseThrow();

                var zenbu = (KosekiResult.Answered<KosekiAnswer>) connector.certificateData(m, Kind.ZENBU, key, List.of());
                KosekiAnswer answer = zenbu.value();
                assertEquals("埼玉県川口市青木二丁目1番地", answer.honseki());
                assertEquals(4, answer.persons().size());
                assertTrue(answer.persons().get(0).events().stream().anyMatch(e -> e.label().equals("婚姻")));
                assertTrue(answer.persons().get(3).name().contains("𠮷"));

                var fuhyo = (KosekiResult.Answered<KosekiAnswer>) connector.certificateData(m, Kind.FUHYO, key, List.of());
                assertEquals(2, fuhyo.value().persons().get(0).addresses().size());

                // a 除籍 person (died) in the parents' 戸籍, and names with 外字-style and IVS characters
                var parents = (KosekiResult.Answered<KosekiAnswer>) connector.certificateData(m, Kind.ZENBU, "K-0202", List.of());
                assertTrue(parents.value().persons().stream().anyMatch(KosekiAnswer.Person::removed));
                var ivs = (KosekiResult.Answered<KosekiAnswer>) connector.certificateData(m, Kind.KOJIN, "K-0301", List.of());
                assertTrue(ivs.value().persons().get(0).name().contains("邉\uDB40\uDD10"));

                assertEquals(new KosekiResult.NotIssuable<>(KosekiResult.NotIssuableReason.PENDING_NOTIFICATION),
                        connector.certificateData(m, Kind.ZENBU, "K-0401", List.of()));
                assertEquals(new KosekiResult.NotIssuable<>(KosekiResult.NotIssuableReason.NOT_FOUND),
                        connector.certificateData(m, Kind.ZENBU, "K-9999", List.of()));
                assertEquals(new KosekiResult.NotIssuable<>(KosekiResult.NotIssuableReason.NOT_FOUND),
                        connector.certificateData(m, Kind.KOJIN, key, List.of("K-0301")), "not of the same 戸籍");
                assertEquals(new KosekiResult.Answered<>(Optional.empty()), connector.personLookup(m,
                        "埼玉県川口市青木二丁目1番地", "川口　太郎", "川口　次郎", LocalDate.of(1980, 4, 1)));
            }
        } finally {
            TestFiles.deleteRecursively(dir);
        }
    }
}
