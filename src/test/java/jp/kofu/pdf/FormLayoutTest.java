package jp.kofu.pdf;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jp.kofu.TestFiles;
import jp.kofu.municipality.Municipality;
import jp.kofu.municipality.MunicipalityRegistry;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Layouts are data a city may edit: the built-in ones are complete, and a layout that would drop an item is refused. */
final class FormLayoutTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theBuiltInFormsPlaceEveryItem() {
        CertificateForms forms = CertificateForms.builtIn();
        assertEquals(4, forms.layout("setai-renki").personsPerSheet());
        assertEquals(1, forms.layout("kojin").personsPerSheet());
        assertTrue(forms.layout("kojin").problems().isEmpty());
        assertEquals(FormLayout.Kind.KISAI, forms.layout("kisai-setai-renki").kind());
        assertEquals(FormLayout.Kind.KISAI, forms.layout("kisai-kojin").kind());
        assertEquals(FormLayout.Kind.INKAN, forms.layout("inkan").kind());
    }

    @Test
    void refusesAFormThatPrintsTheAttestationOnEverySheet() throws Exception {
        ObjectNode layout = builtIn("kojin");
        ((ObjectNode) layout.get("footer")).put("everySheet", true);
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> read(layout));
        assertTrue(refused.getMessage().contains("last sheet"), refused.getMessage());
    }

    @Test
    void refusesAnItemThatIsNoPartOfTheFormsCertificate() throws Exception {
        ObjectNode layout = builtIn("kisai-kojin");
        ObjectNode number = ((ArrayNode) layout.at("/persons/items")).addObject();
        number.put("item", "individualNumber");
        number.put("label", "個人番号");
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> read(layout));
        assertTrue(refused.getMessage().contains("individualNumber has no place on a KISAI form"),
                refused.getMessage());
    }

    @Test
    void refusesAnInkanFormWithoutThePlaceOfTheImpression() throws Exception {
        ObjectNode layout = builtIn("inkan");
        layout.remove("impression");
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> read(layout));
        assertTrue(refused.getMessage().contains("impression is missing"), refused.getMessage());
    }

    @Test
    void givesEachCertificateItsOwnFormOfTheMunicipality() {
        CertificateForms forms = CertificateForms.builtIn();
        Municipality demo = MunicipalityRegistry.demoMunicipality();
        assertEquals(FormLayout.Kind.KISAI, forms.forMunicipality(demo, FormLayout.Kind.KISAI).layout().kind());
        assertEquals("印鑑登録証明書", forms.forMunicipality(demo, FormLayout.Kind.INKAN).layout().name());
        assertTrue(forms.forMunicipality(demo, FormLayout.Kind.JUMINHYO) == forms.forMunicipality(demo));
    }

    @Test
    void refusesALayoutThatLeavesOutAnItem() throws Exception {
        ObjectNode layout = builtIn("setai-renki");
        ArrayNode items = (ArrayNode) layout.at("/persons/items");
        for (int i = 0; i < items.size(); i++) {
            if (items.get(i).get("item").asText().equals("alias")) {
                items.remove(i);
            }
        }
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> read(layout));
        assertTrue(refused.getMessage().contains("leaves out [alias]"), refused.getMessage());
    }

    @Test
    void refusesAMisspeltKeyRatherThanIgnoringIt() throws Exception {
        ObjectNode layout = builtIn("kojin");
        ((ObjectNode) layout.get("title")).put("sise", 20);
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> read(layout));
        assertTrue(refused.getMessage().contains("sise"), refused.getMessage());
    }

    @Test
    void refusesAnAttestationMissingForAScope() throws Exception {
        ObjectNode layout = builtIn("kojin");
        ((ObjectNode) layout.at("/footer/attestation/texts")).remove("HOUSEHOLD_PART");
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> read(layout));
        assertTrue(refused.getMessage().contains("HOUSEHOLD_PART"), refused.getMessage());
    }

    @Test
    void aCitysOwnLayoutInItsTemplatesFolderIsUsedAndAnUnknownOneRefused() throws Exception {
        Path dir = Files.createTempDirectory("kofu-templates");
        try {
            ObjectNode layout = builtIn("kojin");
            layout.put("name", "千代田区の個人票");
            Files.createDirectories(dir.resolve("layouts"));
            Files.writeString(dir.resolve("layouts/chiyoda.json"), layout.toString());
            CertificateForms forms = new CertificateForms(Optional.of(dir));
            assertEquals("千代田区の個人票", forms.layout("chiyoda").name());
            assertEquals(4, forms.layout("setai-renki").personsPerSheet(), "built-in layouts stay available");

            Municipality demo = MunicipalityRegistry.demoMunicipality();
            Municipality unknown = new Municipality(demo.code(), demo.name(), demo.mayorTitle(), demo.mayorName(),
                    demo.serviceFrom(), demo.serviceUntil(), demo.fees(), demo.minimumAge(), demo.defaultOptions(),
                    demo.offeredOptions(), Optional.empty(), Optional.empty(), "tokyo-special", Optional.empty(), Optional.empty(),
                    demo.syncClients());
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> forms.forMunicipality(unknown));
            assertTrue(refused.getMessage().contains("no layout 'tokyo-special'"), refused.getMessage());
        } finally {
            TestFiles.deleteRecursively(dir);
        }
    }

    private static ObjectNode builtIn(String name) throws Exception {
        try (InputStream in = FormLayoutTest.class.getResourceAsStream("/pdf-templates/layouts/" + name + ".json")) {
            return (ObjectNode) JSON.readTree(in);
        }
    }

    private static FormLayout read(ObjectNode layout) {
        return FormLayout.read(new ByteArrayInputStream(layout.toString().getBytes(StandardCharsets.UTF_8)), "test");
    }
}
