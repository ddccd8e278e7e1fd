package jp.kofu.kiosk;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A printer for demos and tests: writes each signed PDF to {@code <folder>/<issuanceNumber>.pdf}. The folder
 * then holds personal data; never use it on a kiosk in service.
 */
public final class FolderPrinter implements Printer {
    private final Path folder;

    public FolderPrinter(Path folder) {
        this.folder = folder;
    }

    public Path folder() {
        return folder;
    }

    @Override
    public void print(String issuanceNumber, byte[] pdf) {
        try {
            Files.createDirectories(folder);
            Path tmp = Files.createTempFile(folder, issuanceNumber, ".part");
            Files.write(tmp, pdf);
            Files.move(tmp, folder.resolve(issuanceNumber + ".pdf"), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new PrintFailure("PRINTER_ERROR", "cannot write to " + folder, e);
        }
    }
}
