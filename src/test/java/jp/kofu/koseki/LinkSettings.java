package jp.kofu.koseki;

import jp.kofu.TestMunicipalities;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.Environment;
import jp.kofu.config.KeyFiles;
import jp.kofu.config.KofuSettings;
import jp.kofu.municipality.Municipality;
import jp.kofu.municipality.MunicipalityRegistry;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/** A municipalities file with one city and the given {@code koseki:} lines, read as the service reads it. */
final class LinkSettings {
    private LinkSettings() {}

    static final String CITY = TestMunicipalities.yaml(
        TestMunicipalities.kawaguchi("""
            serviceHours: "00:00-24:00"
            fees: { JUMINHYO: 200, KOSEKI_ZENBU: 450, KOSEKI_KOJIN: 450, KOSEKI_FUHYO: 300 }
            syncClients: ["CN=kofu-dev-juki-feed, O=Kofu (DEV), C=JP"]
            """));

    /** The city with {@code koseki} given as a YAML flow mapping, e.g. {@code { url: "https://…" }}. */
    static Municipality city(Path dir, String koseki) throws Exception {
        return registry(dir, koseki, false).all().iterator().next();
    }

    static MunicipalityRegistry registry(Path dir, String koseki, boolean devPki) throws Exception {
        return load(dir, koseki, devPki, (settings, registry) -> registry);
    }

    interface Use<T> {
        T apply(KofuSettings settings, MunicipalityRegistry registry) throws Exception;
    }

    /** Reads the settings (no database, no server) and lets {@code use} build something from them. */
    static <T> T load(Path dir, String koseki, boolean devPki, Use<T> use) throws Exception {
        Files.createDirectories(dir);
        Path file = dir.resolve("municipalities.yml");
        Files.writeString(file, CITY + (koseki == null ? "" : "    koseki: " + koseki + "\n"));
        Map<String, Object> properties = new HashMap<>(Map.of(
                "kofu.municipalities-file", file.toString(),
                "kofu.db.url", "jdbc:mariadb://127.0.0.1:1/unused",
                "kofu.data-dir", dir.toString(),
                "kofu.dev-pki", String.valueOf(devPki)));
        try (ApplicationContext context = ApplicationContext.builder().properties(properties).build()) {
            Environment env = context.getEnvironment().start();
            KofuSettings settings = new KofuSettings(env);
            return use.apply(settings, new MunicipalityRegistry(settings));
        }
    }

    /** The service's connector over a municipalities file, with the development PKI when {@code devPki}. */
    static KosekiConnector serviceConnector(Path dir, String koseki, boolean devPki) throws Exception {
        return load(dir, koseki, devPki, (settings, registry) -> new KosekiConnector(registry,
                new KeyFiles(settings, Clock.systemUTC()), new io.micrometer.core.instrument.simple.SimpleMeterRegistry(),
                Clock.systemUTC(), jp.kofu.alarm.Alarms.logOnly(Clock.systemUTC())));
    }
}
