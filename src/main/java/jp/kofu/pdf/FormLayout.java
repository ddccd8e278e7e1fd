package jp.kofu.pdf;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A certificate form as data: where each part of a 住民票の写し goes, in points on the page, with x from the left
 * edge and y from the top edge down to the baseline. Read from a JSON file of {@code pdf-templates/layouts/}, so a
 * city changes its form without touching Java; checked when read, so that a form which would leave out an item of
 * the record (旧氏, 通称, a foreign resident's items, 備考 …) is refused at start-up, not at the counter.
 */
public record FormLayout(String name, String comment, int personsPerSheet, Page page, Sizes sizes,
                         Background background, Text title, Text issuanceNumber, Text pageNumber,
                         Verification verification, Household household, Persons persons, Footer footer) {

    public record Page(float width, float height) {}

    /** Font sizes: values, the smallest a value may shrink to before it is refused, labels; and the row pitch. */
    public record Sizes(float value, float smallest, float label, float line) {}

    /** The 地紋: a fine wave pattern in a light colour, tiled over {@code box} (x, y, width, height). */
    public record Background(String color, float lineWidth, float spacing, float wavelength, float amplitude,
                             float[] box) {}

    /** A fixed text; {@code {number}}, {@code {page}} and {@code {pages}} are filled in. */
    public record Text(String text, float x, float y, float size) {}

    public record Verification(float x, float y, float size, String caption, float textSize) {}

    /** A labelled value: label at {@code labelX}, value at {@code x} within {@code width}, on up to {@code lines}. */
    public record Field(String label, float labelX, float x, float y, float width, float size, int lines) {
        /** The lines a value may take: at least one. */
        public int maxLines() {
            return Math.max(1, lines);
        }
    }

    /** The box above the persons of a 世帯連記式 form: the household's address and its 世帯主. */
    public record Household(float x, float y, float width, float height, float lineWidth, Field address,
                            Field householder) {}

    /**
     * The persons' boxes, flowing down from {@code top} to at most {@code bottom}. The head of a box holds the
     * reading, the name and the date of birth; the items follow, one row each, in the order given.
     */
    public record Persons(float x, float top, float bottom, float width, float minHeight, float head, float gap,
                          float lineWidth, boolean rules, float labelX, float valueX, Field kana, Field name,
                          Field birth, String foreignResidentDates, List<Row> items) {}

    /** One item of the record with its printed label; a value longer than a line may wrap onto {@code lines}. */
    public record Row(String item, String label, int lines) {
        /** The lines a value may take: at least one. */
        public int maxLines() {
            return Math.max(1, lines);
        }
    }

    /**
     * What closes a certificate. {@code blank} (以下余白) follows the last person; the other parts follow it too when
     * {@code anchor} is {@code flow}, or stand where their y says when it is {@code bottom}.
     */
    public record Footer(String anchor, boolean everySheet, Text blank, Attestation attestation, DateLine date,
                         Field mayor, Seal seal) {
        public boolean flows() {
            return "flow".equals(anchor);
        }
    }

    public record Attestation(float x, float y, float size, float width, Map<String, String> texts) {}

    /** The 発行日: {@code wareki} (令和8年11月23日) or {@code wareki+seireki} (…（2026年11月23日）). */
    public record DateLine(float x, float y, float size, String style) {}

    public record Seal(float x, float y, float size) {}

    /** The items of the record a form may place; every one of them must be placed somewhere. */
    public enum Item {
        formerSurname, alias, address, householder, relationship, becameResident, addressSet, previousAddress,
        domicile, domicileHead, nationality, article30_45, residenceStatus, periodOfStay, stayExpires,
        residenceCardNumber, individualNumber, residentCode, remarks
    }

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
            .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, false);

    /** Reads and checks a layout; {@code source} names it in error messages. */
    public static FormLayout read(InputStream in, String source) {
        FormLayout layout;
        try {
            layout = JSON.readValue(in, FormLayout.class);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new IllegalArgumentException(source + ": not a form layout: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read " + source, e);
        }
        List<String> problems = layout.problems();
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(source + ": " + String.join("; ", problems));
        }
        return layout;
    }

    /** Why this layout cannot print every certificate faithfully; empty when it can. */
    List<String> problems() {
        List<String> problems = new ArrayList<>();
        require(problems, name, "name");
        require(problems, page, "page");
        require(problems, sizes, "sizes");
        require(problems, title, "title");
        require(problems, issuanceNumber, "issuanceNumber");
        require(problems, pageNumber, "pageNumber");
        require(problems, verification, "verification");
        require(problems, persons, "persons");
        require(problems, footer, "footer");
        if (!problems.isEmpty()) {
            return problems;
        }
        if (personsPerSheet < 1) {
            problems.add("personsPerSheet must be at least 1");
        }
        if (sizes.smallest() <= 0 || sizes.smallest() > sizes.value()) {
            problems.add("sizes.smallest must be above 0 and not above sizes.value");
        }
        Set<Item> placed = EnumSet.noneOf(Item.class);
        if (household != null) {
            require(problems, household.address(), "household.address");
            placed.add(Item.address);
            if (household.householder() != null) {
                placed.add(Item.householder);
            }
        }
        require(problems, persons.name(), "persons.name");
        require(problems, persons.birth(), "persons.birth");
        require(problems, persons.items(), "persons.items");
        for (Row row : persons.items() == null ? List.<Row>of() : persons.items()) {
            try {
                if (!placed.add(Item.valueOf(String.valueOf(row.item())))) {
                    problems.add("item " + row.item() + " is placed twice");
                }
            } catch (IllegalArgumentException e) {
                problems.add("unknown item '" + row.item() + "' (known: " + EnumSet.allOf(Item.class) + ")");
            }
            if (row.label() == null || row.label().isBlank()) {
                problems.add("item " + row.item() + " has no label");
            }
        }
        Set<Item> missing = EnumSet.allOf(Item.class);
        missing.removeAll(placed);
        if (!missing.isEmpty()) {
            problems.add("the form leaves out " + missing + ": every recorded item must have its place");
        }
        if (!"flow".equals(footer.anchor()) && !"bottom".equals(footer.anchor())) {
            problems.add("footer.anchor must be 'flow' or 'bottom'");
        }
        require(problems, footer.blank(), "footer.blank");
        require(problems, footer.attestation(), "footer.attestation");
        require(problems, footer.date(), "footer.date");
        require(problems, footer.mayor(), "footer.mayor");
        require(problems, footer.seal(), "footer.seal");
        if (footer.attestation() != null) {
            for (JuminhyoContent.Attestation a : JuminhyoContent.Attestation.values()) {
                Map<String, String> texts = footer.attestation().texts();
                if (texts == null || texts.get(a.name()) == null || texts.get(a.name()).isBlank()) {
                    problems.add("footer.attestation.texts." + a.name() + " is missing");
                }
            }
        }
        if (footer.date() != null && !Set.of("wareki", "wareki+seireki").contains(footer.date().style())) {
            problems.add("footer.date.style must be 'wareki' or 'wareki+seireki'");
        }
        if (persons.foreignResidentDates() != null
                && !Set.of("wareki", "seireki").contains(persons.foreignResidentDates())) {
            problems.add("persons.foreignResidentDates must be 'wareki' or 'seireki'");
        }
        if (persons.top() >= persons.bottom() || persons.bottom() > page.height()) {
            problems.add("persons.top must be above persons.bottom, within the page");
        }
        if (background != null && (background.box() == null || background.box().length != 4
                || background.spacing() <= 0 || background.wavelength() <= 0)) {
            problems.add("background needs a box [x, y, width, height], a spacing and a wavelength above 0");
        }
        return problems;
    }

    private static void require(List<String> problems, Object value, String what) {
        if (value == null) {
            problems.add(what + " is missing");
        }
    }
}
