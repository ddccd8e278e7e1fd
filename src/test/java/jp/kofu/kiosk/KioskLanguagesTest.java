package jp.kofu.kiosk;

import com.fasterxml.jackson.databind.JsonNode;
import jp.kofu.contract.CertificateType;
import jp.kofu.contract.ErrorCode;
import jp.kofu.contract.Json;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The kiosk's message catalogues: one per language, each with every key of the others, none empty. */
final class KioskLanguagesTest {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{(\\w+)\\}");

    private static Map<String, String> catalogue(String id) throws IOException {
        try (InputStream in = KioskLanguagesTest.class.getResourceAsStream("/kiosk/i18n/" + id + ".json")) {
            assertNotNull(in, "a catalogue for " + id);
            JsonNode node = Json.MAPPER.readTree(in);
            Map<String, String> texts = new LinkedHashMap<>();
            node.fields().forEachRemaining(e -> {
                assertTrue(e.getValue().isTextual(), id + ": " + e.getKey() + " is a text");
                texts.put(e.getKey(), e.getValue().asText());
            });
            return texts;
        }
    }

    private static Set<String> placeholders(String text) {
        Set<String> names = new TreeSet<>();
        Matcher m = PLACEHOLDER.matcher(text);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    @Test
    void everyLanguageHasEveryKeyWithTheSamePlaceholdersAndNoEmptyText() throws IOException {
        Map<String, String> ja = catalogue(KioskLanguages.DEFAULT);
        Set<String> names = new HashSet<>();
        Set<String> tags = new HashSet<>();
        for (String id : KioskLanguages.IDS) {
            Map<String, String> c = catalogue(id);
            Set<String> missing = new TreeSet<>(ja.keySet());
            missing.removeAll(c.keySet());
            Set<String> extra = new TreeSet<>(c.keySet());
            extra.removeAll(ja.keySet());
            assertTrue(missing.isEmpty() && extra.isEmpty(), id + ": missing " + missing + ", extra " + extra);
            c.forEach((key, text) -> {
                assertFalse(text.isBlank(), id + ": " + key + " is empty");
                assertEquals(placeholders(ja.get(key)), placeholders(text), id + ": the placeholders of " + key);
            });
            assertTrue(names.add(c.get("language.name")), id + ": its button has a label of its own");
            tags.add(c.get("language.tag"));
            assertEquals(c.get("language.tag"), Locale.forLanguageTag(c.get("language.tag")).toLanguageTag(),
                    id + ": language.tag is a BCP 47 tag");
        }
        assertEquals(Set.of("ja", "en", "zh-Hans", "ko", "pt-BR", "vi"), tags);
    }

    @Test
    void everyStableErrorCodeHasAMessageInEveryLanguage() throws IOException {
        Map<String, String> ja = catalogue(KioskLanguages.DEFAULT);
        for (ErrorCode code : ErrorCode.values()) {
            assertTrue(ja.containsKey("error." + code.name()), "a message for " + code);
        }
        assertTrue(ja.containsKey("error.default"));
    }

    @Test
    void everyKeyThePageAndTheFlowUseIsInTheCatalogue() throws IOException {
        Set<String> keys = catalogue(KioskLanguages.DEFAULT).keySet();
        Set<String> used = new TreeSet<>();
        String js = resource("/kiosk/kiosk.js");
        Matcher m = Pattern.compile("\\bt\\('([A-Za-z0-9_.]+[A-Za-z0-9_])'").matcher(js);
        while (m.find()) {
            used.add(m.group(1));
        }
        for (String step : new String[] {"pin", "type", "items", "confirm", "print"}) {
            used.add("steps." + step);
        }
        // The keys the page makes of the state's values.
        for (CertificateType type : CertificateType.values()) {
            used.add("type." + type.name());
        }
        KioskFlow.KISAI_ITEMS.forEach(item -> used.add("item." + item));
        for (String[] option : KioskFlow.OPTIONS) {
            used.add("option." + option[0]);
            used.add("option." + option[0] + ".note");
        }
        for (String scope : new String[] {"SELF", "HOUSEHOLD_ALL", "SELECTED"}) {
            used.add("scope." + scope);
            used.add("scope." + scope + ".sub");
        }
        for (String scope : new String[] {"SELF", "SELECTED"}) {
            used.add("scope.koseki." + scope);
            used.add("scope.koseki." + scope + ".sub");
        }
        for (String kind : new String[] {"juminhyo", "kisai", "inkan", "koseki"}) {
            used.add("options." + kind + ".title");
            used.add("options." + kind + ".lead");
        }
        for (String status : new String[] {"PENDING", "APPROVED", "REJECTED", "NOT_FOUND", "UNAVAILABLE"}) {
            used.add("status." + status);
        }
        for (KosekiApplication.Problem p : KosekiApplication.Problem.values()) {
            used.add("register.error." + p.name());
        }
        for (String field : new String[] {"honseki", "hittosha", "name", "year", "month", "day"}) {
            used.add("register." + field);
        }
        // The message keys the flow puts in the state.
        String flow = Files.readString(Path.of("src/main/java/jp/kofu/kiosk/KioskFlow.java"), StandardCharsets.UTF_8);
        Matcher f = Pattern.compile("\"((?:take|pin\\.error)\\.[A-Za-z.]+)\"").matcher(flow);
        while (f.find()) {
            used.add(f.group(1));
        }
        Set<String> absent = new TreeSet<>(used);
        absent.removeAll(keys);
        assertTrue(absent.isEmpty(), "keys used but in no catalogue: " + absent);
        assertTrue(used.contains("take.printed.title"), "the flow's keys were found");
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = KioskLanguagesTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
