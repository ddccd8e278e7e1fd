package jp.kofu;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

import java.util.List;

/** Random damage to a valid input: characters replaced, inserted, deleted or duplicated, and cut short. */
public final class Mutations {
    private static final String ALPHABET = "{}[]\":,.-_=+/\\0123456789abcdefABCDEFxyzeE \t\n\u0000\u00ff\u3042\uD842\uDFB7"
            + "nulltruefalse";

    private Mutations() {}

    public static Arbitrary<String> of(String original) {
        Arbitrary<Edit> edit = Combinators.combine(
                Arbitraries.integers().between(0, 4),
                Arbitraries.integers().between(0, Math.max(0, original.length())),
                Arbitraries.strings().withChars(ALPHABET.toCharArray()).ofMinLength(1).ofMaxLength(8))
                .as(Edit::new);
        return edit.list().ofMinSize(1).ofMaxSize(6).map(edits -> apply(original, edits));
    }

    private record Edit(int kind, int position, String text) {}

    private static String apply(String original, List<Edit> edits) {
        StringBuilder s = new StringBuilder(original);
        for (Edit e : edits) {
            int at = Math.min(e.position(), s.length());
            switch (e.kind()) {
                case 0 -> s.replace(at, Math.min(s.length(), at + e.text().length()), e.text());
                case 1 -> s.insert(at, e.text());
                case 2 -> s.delete(at, Math.min(s.length(), at + e.text().length()));
                case 3 -> s.insert(at, s.substring(at, Math.min(s.length(), at + 16)));
                default -> s.setLength(at);
            }
        }
        return s.toString();
    }
}
