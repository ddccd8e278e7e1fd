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
 * A certificate form as data: where each part of a certificate goes, in points on the page, with x from the left
 * edge and y from the top edge down to the baseline. Read from a JSON file of {@code pdf-templates/layouts/}, so a
 * city changes its form without touching Java; checked when read, so that a form which would leave out an item of
 * the record (旧氏, 通称, a foreign resident's items, 備考 …) is refused at start-up, not at the counter. A layout
 * is the form of one {@link Kind} of certificate ({@code certificate}, 住民票の写し when absent).
 */
public record FormLayout(String name, String comment, Kind certificate, int personsPerSheet, Page page, Sizes sizes,
                         Background background, Text title, Text issuanceNumber, Text pageNumber,
                         Verification verification, Household household, Impression impression, Persons persons,
                         Koseki koseki, Footer footer) {

    /** The certificate a form is for, with the items its person boxes must place and the 認証文 it needs. */
    public enum Kind {
        /** 住民票の写し: every item of the record, an 認証文 per scope. */
        JUMINHYO(EnumSet.range(Item.formerSurname, Item.remarks), List.of("HOUSEHOLD_ALL", "HOUSEHOLD_PART", "SELF")),
        /** 住民票記載事項証明書: the items that may be certified (and 旧氏, 通称), one 認証文. */
        KISAI(EnumSet.of(Item.formerSurname, Item.alias, Item.birthDate, Item.sex, Item.address, Item.householder,
                Item.relationship, Item.becameResident, Item.addressSet, Item.domicile, Item.domicileHead),
                List.of("KISAI")),
        /** 印鑑登録証明書: the registration's items, one 認証文, and the place of the 印影. */
        INKAN(EnumSet.of(Item.formerSurname, Item.alias, Item.registeredName, Item.birthDate, Item.sex, Item.address,
                Item.registrationNumber), List.of("INKAN")),
        /** 戸籍全部事項証明書: each person's 名, 生年月日, 父, 母, 続柄 (and their 身分事項), one 認証文. */
        KOSEKI_ZENBU(EnumSet.of(Item.givenName, Item.birthDate, Item.father, Item.mother, Item.relationship),
                List.of("ZENBU")),
        /** 戸籍個人事項証明書: as the 全部事項証明書, of the persons asked for. */
        KOSEKI_KOJIN(EnumSet.of(Item.givenName, Item.birthDate, Item.father, Item.mother, Item.relationship),
                List.of("KOJIN")),
        /** 戸籍の附票の写し: each person's 氏名, 生年月日, 男女の別 and 住所 history with 住所を定めた年月日. */
        KOSEKI_FUHYO(EnumSet.of(Item.fullName, Item.birthDate, Item.sex, Item.address, Item.addressSet),
                List.of("FUHYO"));

        private final Set<Item> items;
        private final List<String> attestations;

        Kind(Set<Item> items, List<String> attestations) {
            this.items = items;
            this.attestations = attestations;
        }

        /** The items a form of this kind must place, each exactly once. */
        public Set<Item> items() {
            return EnumSet.copyOf(items);
        }

        /** The keys of {@code footer.attestation.texts} a form of this kind needs. */
        public List<String> attestations() {
            return attestations;
        }

        /** Whether this is a form of the 戸籍 path (全部事項, 個人事項, 附票), drawn as one ruled table. */
        public boolean isKoseki() {
            return this == KOSEKI_ZENBU || this == KOSEKI_KOJIN || this == KOSEKI_FUHYO;
        }
    }

    /** The layout's kind: 住民票の写し when the file names none. */
    public Kind kind() {
        return certificate == null ? Kind.JUMINHYO : certificate;
    }

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
     * What closes a certificate, on its last sheet only. {@code blank} (以下余白) follows the last person; the other
     * parts follow it too when {@code anchor} is {@code flow}, or stand where their y says when it is {@code bottom}.
     * {@code everySheet} is refused when true: it is read only to say why.
     */
    public record Footer(String anchor, Boolean everySheet, Text blank, Attestation attestation, DateLine date,
                         Field mayor, Seal seal) {
        public boolean flows() {
            return "flow".equals(anchor);
        }
    }

    public record Attestation(float x, float y, float size, float width, Map<String, String> texts) {}

    /** The 発行日: {@code wareki} (令和8年11月23日) or {@code wareki+seireki} (…（2026年11月23日）). */
    public record DateLine(float x, float y, float size, String style) {}

    /**
     * The 公印, a square of {@code size} points with its top-left corner at x, y. A black seal (電子公印) is drawn at
     * most 25 mm square, with "この印は黒色です" at {@code note} (below the seal when the layout gives no place).
     */
    public record Seal(float x, float y, float size, Text note) {}

    /**
     * The place of the 印影 on an 印鑑登録証明書: a ruled square frame of {@code size} points (top-left at x, y), its
     * {@code label} above it; the impression is centred in it at exactly its registered size.
     */
    public record Impression(float x, float y, float size, float lineWidth, String label, float labelSize) {}

    /**
     * What only a 戸籍 or 附票 form has. Its persons are rows of one ruled table: the left column (from
     * {@code persons.labelX}) holds the headings, the right one (from {@code persons.valueX}) the items as
     * 【label】value. {@code kosekiEvents} (戸籍事項) and {@code events} (身分事項) head their parts with the entry's
     * label at {@code eventX} beside the heading; {@code person} (戸籍に記録されている者) heads each person, with the
     * {@code removed} mark (除籍) boxed under it for a removed person; a 身分事項 item may wrap onto
     * {@code itemLines}. A 附票 form has no 戸籍事項 or 身分事項.
     */
    public record Koseki(float eventX, String kosekiEvents, String person, String events, String removed,
                         int itemLines) {
        /** The lines an item of an entry may take: at least one. */
        public int maxItemLines() {
            return Math.max(1, itemLines);
        }
    }

    /** The items of the record a form may place; a form of a {@link Kind} places each of its kind's exactly once. */
    public enum Item {
        formerSurname, alias, address, householder, relationship, becameResident, addressSet, previousAddress,
        domicile, domicileHead, nationality, article30_45, residenceStatus, periodOfStay, stayExpires,
        residenceCardNumber, individualNumber, residentCode, remarks,
        /** 生年月日 in a row of its own (記載事項証明書, 印鑑登録証明書); a 住民票 prints it in the head. */
        birthDate,
        /** 男女の別 in a row of its own. */
        sex,
        /** The name the seal is registered under, when it is not the 氏名 (旧氏, 通称 or part of them). */
        registeredName,
        /** 登録番号 of a seal registration. */
        registrationNumber,
        /** 【名】 of a person of a 戸籍: the name without the 戸籍's 氏. */
        givenName,
        /** 【氏名】 of a person of a 附票. */
        fullName,
        /** 【父】 of a person of a 戸籍. */
        father,
        /** 【母】 of a person of a 戸籍. */
        mother
    }

    /** Points in a millimetre. */
    static final float MM = 72f / 25.4f;

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
        if (certificate != null && certificate.isKoseki()) {
            if (personsPerSheet != 0) {
                problems.add("personsPerSheet: a 戸籍 form's table flows over its sheets as far as it fits");
            }
        } else if (personsPerSheet < 1) {
            problems.add("personsPerSheet must be at least 1");
        }
        if (sizes.smallest() <= 0 || sizes.smallest() > sizes.value()) {
            problems.add("sizes.smallest must be above 0 and not above sizes.value");
        }
        Kind kind = kind();
        Set<Item> placed = EnumSet.noneOf(Item.class);
        if (household != null && kind != Kind.JUMINHYO && !kind.isKoseki()) {
            problems.add("household: only a 住民票の写し form has a household box (a 戸籍 form its 本籍 box)");
        }
        if (kind.isKoseki()) {
            kosekiProblems(problems, kind);
        } else if (koseki != null) {
            problems.add("koseki: only a 戸籍 or 附票 form has one");
        }
        if (kind == Kind.INKAN) {
            require(problems, impression, "impression");
            if (impression != null && impression.size() < 25 * MM) {
                problems.add("impression.size must hold the largest registrable seal, 25 mm (70.9 points)");
            }
            if (personsPerSheet != 1) {
                problems.add("personsPerSheet must be 1 on an 印鑑登録証明書 (本人 only)");
            }
        } else if (impression != null) {
            problems.add("impression: only an 印鑑登録証明書 form has the place of an 印影");
        }
        if (household != null && !kind.isKoseki()) {
            require(problems, household.address(), "household.address");
            placed.add(Item.address);
            if (household.householder() != null) {
                placed.add(Item.householder);
            }
        }
        if (kind.isKoseki()) {
            if (persons.name() != null || persons.birth() != null || persons.kana() != null) {
                problems.add("persons.name, persons.birth, persons.kana: a 戸籍 form prints its persons' items as "
                        + "rows of its table (givenName or fullName, birthDate …)");
            }
        } else {
            require(problems, persons.name(), "persons.name");
        }
        if (kind == Kind.JUMINHYO) {
            require(problems, persons.birth(), "persons.birth");
        } else if (persons.birth() != null && !kind.isKoseki()) {
            problems.add("persons.birth: this form prints 生年月日 and 男女の別 as the rows birthDate and sex");
        }
        require(problems, persons.items(), "persons.items");
        for (Row row : persons.items() == null ? List.<Row>of() : persons.items()) {
            try {
                Item item = Item.valueOf(String.valueOf(row.item()));
                if (!kind.items.contains(item)) {
                    problems.add("item " + row.item() + " has no place on a " + kind + " form (its items: "
                            + kind.items + ")");
                } else if (!placed.add(item)) {
                    problems.add("item " + row.item() + " is placed twice");
                }
            } catch (IllegalArgumentException e) {
                problems.add("unknown item '" + row.item() + "' (known: " + kind.items + ")");
            }
            if (row.label() == null || row.label().isBlank()) {
                problems.add("item " + row.item() + " has no label");
            }
        }
        Set<Item> missing = kind.items();
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
        if (footer.everySheet() != null && footer.everySheet()) {
            problems.add("footer.everySheet: the 認証文 stands on the last sheet of a certificate only "
                    + "(住民記録システム標準仕様書 5.1); remove the key");
        }
        if (footer.attestation() != null) {
            for (String a : kind.attestations()) {
                Map<String, String> texts = footer.attestation().texts();
                if (texts == null || texts.get(a) == null || texts.get(a).isBlank()) {
                    problems.add("footer.attestation.texts." + a + " is missing");
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

    /** A 戸籍 form: its 本籍 box (本籍 and 筆頭者's 氏名) and the words of its table. */
    private void kosekiProblems(List<String> problems, Kind kind) {
        require(problems, household, "household (the box of 本籍 and 筆頭者)");
        if (household != null) {
            require(problems, household.address(), "household.address (本籍)");
            require(problems, household.householder(), "household.householder (筆頭者)");
        }
        require(problems, koseki, "koseki");
        if (koseki == null) {
            return;
        }
        require(problems, blankToNull(koseki.person()), "koseki.person");
        if (kind == Kind.KOSEKI_FUHYO) {
            if (koseki.kosekiEvents() != null || koseki.events() != null) {
                problems.add("koseki.kosekiEvents, koseki.events: a 附票 has no 戸籍事項 or 身分事項");
            }
        } else {
            require(problems, blankToNull(koseki.kosekiEvents()), "koseki.kosekiEvents");
            require(problems, blankToNull(koseki.events()), "koseki.events");
            require(problems, blankToNull(koseki.removed()), "koseki.removed");
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    private static void require(List<String> problems, Object value, String what) {
        if (value == null) {
            problems.add(what + " is missing");
        }
    }
}
