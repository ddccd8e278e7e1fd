package jp.kofu.pdf;

import jakarta.inject.Singleton;
import jp.kofu.signing.DocumentSigner;

import java.nio.charset.StandardCharsets;

/** STUB until the pdf branch lands. */
@Singleton
public final class JuminhyoPrinter {
    public PrintOutcome print(JuminhyoContent content, DocumentSigner signer) {
        StringBuilder s = new StringBuilder("%PDF-1.7 stub ");
        content.persons().forEach(p -> s.append(p.fullName()).append(' '));
        if (content.items().individualNumber()) {
            content.persons().forEach(p -> s.append(p.individualNumber()).append(' '));
        }
        return new PrintOutcome.Printed(s.toString().getBytes(StandardCharsets.UTF_8), 1);
    }
}
