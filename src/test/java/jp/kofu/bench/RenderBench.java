package jp.kofu.bench;

import jp.kofu.demo.Samples;
import jp.kofu.pdf.CertificateContent;
import jp.kofu.pdf.CertificatePrinter;
import jp.kofu.pdf.PrintOutcome;
import jp.kofu.signing.DocumentSigner;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.file.Files;
import java.util.concurrent.TimeUnit;

/**
 * Issue 5 (and 13: every certificate type): render + sign of a one-sheet certificate on one thread, after warm-up, with the font, the forms and the
 * signing key loaded once ({@code bench/run render}). Sample time, so that JMH reports the median (p0.50) and the
 * tail of single calls, not only a mean. The signature is PAdES B (no time-stamp authority: that would measure the
 * network).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 6, time = 2)
@Measurement(iterations = 8, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g", "-Dfile.encoding=UTF-8"})
@Threads(1)
public class RenderBench {
    private CertificatePrinter printer;
    private DocumentSigner signer;
    private CertificateContent self;
    private CertificateContent household;
    private CertificateContent kisai;
    private CertificateContent kisaiKojin;
    private CertificateContent inkan;

    @Setup
    public void load() throws IOException {
        printer = new CertificatePrinter();
        signer = Samples.signer(Files.createTempDirectory("kofu-render-bench"));
        household = sample("household-all-options"); // 4 persons, every optional item: one full sheet
        self = sample("self-no-options"); // 本人 only, the commonest request
        kisai = sample("kisai-household-default-items"); // 記載事項証明書 世帯連記式, 4 persons, default items
        kisaiKojin = sample("kisai-kojin-default-items"); // 記載事項証明書 個人票, 本人
        inkan = sample("inkan"); // 印鑑登録証明書 with a 300 px 印影 PNG decoded and embedded per document
        printer.print(self, signer); // parses the font
    }

    private static CertificateContent sample(String name) {
        return Samples.cases().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow().content();
    }

    /** A one-sheet 本人 (self) certificate. */
    @Benchmark
    public byte[] self() {
        return signed(printer.print(self, signer));
    }

    /** A one-sheet household of four with every optional item. */
    @Benchmark
    public byte[] household4() {
        return signed(printer.print(household, signer));
    }

    /** A one-sheet 住民票記載事項証明書 of a household of four, default items. */
    @Benchmark
    public byte[] kisai4() {
        return signed(printer.print(kisai, signer));
    }

    /** A one-sheet 住民票記載事項証明書 (個人票) of 本人. */
    @Benchmark
    public byte[] kisaiKojin() {
        return signed(printer.print(kisaiKojin, signer));
    }

    /** A one-sheet 印鑑登録証明書 (its 印影 read from PNG bytes each time, as issuance gives them). */
    @Benchmark
    public byte[] inkan() {
        return signed(printer.print(inkan, signer));
    }

    private static byte[] signed(PrintOutcome outcome) {
        if (!(outcome instanceof PrintOutcome.Printed printed) || printed.pageCount() != 1) {
            throw new IllegalStateException("expected one printed sheet, got " + outcome);
        }
        return printed.signedPdf();
    }
}
