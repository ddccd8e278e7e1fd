package jp.kofu.signing;

import java.nio.file.Path;

/** STUB until the pdf branch lands. */
public final class DocumentSigner {
    public static DocumentSigner fromPkcs12(Path file, char[] password) {
        return new DocumentSigner();
    }
}
