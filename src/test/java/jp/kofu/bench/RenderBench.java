package jp.kofu.bench;

import jp.kofu.demo.Samples;
import jp.kofu.pdf.JuminhyoPrinter;
import jp.kofu.signing.DocumentSigner;

import java.nio.file.Files;
import java.util.Arrays;

/**
 * Render + sign of a one-sheet certificate on one thread, font and keys loaded once, after warm-up. A plain timing
 * loop (JMH is still to come): {@code bench/run render [iterations]}.
 */
public final class RenderBench {
    private RenderBench() {}

    public static void main(String[] args) throws Exception {
        int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 1_000;
        JuminhyoPrinter printer = new JuminhyoPrinter();
        DocumentSigner signer = Samples.signer(Files.createTempDirectory("kofu-render-bench"));
        Samples.Case oneSheet = Samples.cases().get(1); // a household of four, every option: one full sheet
        for (int i = 0; i < 300; i++) {
            printer.print(oneSheet.content(), signer);
        }
        long[] nanos = new long[iterations];
        for (int i = 0; i < iterations; i++) {
            long t0 = System.nanoTime();
            printer.print(oneSheet.content(), signer);
            nanos[i] = System.nanoTime() - t0;
        }
        Arrays.sort(nanos);
        System.out.printf("render+sign (one sheet, 4 persons): median %.2f ms, p90 %.2f ms, min %.2f ms over %d%n",
                nanos[iterations / 2] / 1e6, nanos[iterations * 9 / 10] / 1e6, nanos[0] / 1e6, iterations);
        System.exit(0);
    }
}
