package jp.kofu.kiosk;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.printing.PDFPageable;

import javax.print.PrintService;
import javax.print.PrintServiceLookup;
import java.awt.print.PrinterException;
import java.awt.print.PrinterJob;
import java.io.IOException;
import java.util.Arrays;
import java.util.Optional;

/**
 * The kiosk's printer through the OS print queue (CUPS on Linux): the PDF's pages at their real size, through
 * PDFBox and {@code java.awt.print}, so the printer needs no PDF support of its own.
 */
public final class SystemPrinter implements Printer {
    private final PrintService service;

    private SystemPrinter(PrintService service) {
        this.service = service;
    }

    /** The print queue whose name contains {@code nameContains}, or the default queue. */
    public static SystemPrinter open(Optional<String> nameContains) {
        PrintService service = nameContains
                .flatMap(n -> Arrays.stream(PrintServiceLookup.lookupPrintServices(null, null))
                        .filter(s -> s.getName().contains(n)).findFirst())
                .orElseGet(() -> nameContains.isPresent() ? null : PrintServiceLookup.lookupDefaultPrintService());
        if (service == null) {
            throw new IllegalArgumentException("no print queue" + nameContains.map(n -> " named like '" + n + "'")
                    .orElse(" (no default queue)"));
        }
        return new SystemPrinter(service);
    }

    @Override
    public void print(String issuanceNumber, byte[] pdf) {
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            PrinterJob job = PrinterJob.getPrinterJob();
            job.setPrintService(service);
            job.setJobName(issuanceNumber);
            job.setPageable(new PDFPageable(doc));
            job.print();
        } catch (IOException | PrinterException e) {
            throw new PrintFailure("PRINTER_ERROR", "print queue " + service.getName() + " failed", e);
        }
    }
}
