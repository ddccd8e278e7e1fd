package jp.kofu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Municipalities files for tests: 川口市 (112038) and 千代田区 (131016) with their names and mayors, and whatever else
 * each test needs, as {@code kofu.municipalities-file} takes them (deploy/municipalities.example.yml).
 */
public final class TestMunicipalities {
    private TestMunicipalities() {}

    /** A municipalities file's text of these entries ({@link #kawaguchi}, {@link #chiyoda}). */
    public static String yaml(String... entries) {
        return "municipalities:\n" + String.join("", entries);
    }

    /** 川口市 as an entry of a municipalities file: its code, name and mayor, then {@code rest} (YAML, one key a line). */
    public static String kawaguchi(String rest) {
        return entry("112038", "川口市", "川口市長", "見本 太郎", rest);
    }

    /** 千代田区 as an entry of a municipalities file, then {@code rest}. */
    public static String chiyoda(String rest) {
        return entry("131016", "千代田区", "千代田区長", "見本 花子", rest);
    }

    /** Writes {@code yaml} to a new temporary file (the caller deletes it). */
    public static Path file(String yaml) throws IOException {
        Path file = Files.createTempFile("municipalities", ".yml");
        Files.writeString(file, yaml);
        return file;
    }

    private static String entry(String code, String name, String mayorTitle, String mayorName, String rest) {
        StringBuilder out = new StringBuilder("  - code: \"" + code + "\"\n    name: \"" + name + "\"\n    mayorTitle: \""
                + mayorTitle + "\"\n    mayorName: \"" + mayorName + "\"\n");
        rest.lines().forEach(line -> out.append("    ").append(line).append('\n'));
        return out.toString();
    }
}
