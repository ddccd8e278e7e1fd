package jp.kofu.pdf;

import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.PDPatternContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.graphics.color.PDColor;
import org.apache.pdfbox.pdmodel.graphics.color.PDPattern;
import org.apache.pdfbox.pdmodel.graphics.pattern.PDTilingPattern;

import java.awt.Color;
import java.io.IOException;

/**
 * The 地紋: the fine, light background pattern of a certificate paper, here two interlaced waves in one cell of a
 * tiling pattern, so that the page carries a few hundred bytes however large the box it fills.
 */
final class Jimon {
    private Jimon() {}

    /** Fills the layout's background box of {@code page} with the pattern; draws nothing without a background. */
    static void draw(PDPageContentStream out, PDPage page, FormLayout layout) throws IOException {
        FormLayout.Background b = layout.background();
        if (b == null) {
            return;
        }
        float w = b.wavelength();
        float h = b.spacing();
        PDTilingPattern pattern = new PDTilingPattern();
        pattern.setPaintType(PDTilingPattern.PAINT_COLORED);
        pattern.setTilingType(PDTilingPattern.TILING_CONSTANT_SPACING);
        pattern.setBBox(new PDRectangle(0, 0, w, h));
        pattern.setXStep(w);
        pattern.setYStep(h);
        try (PDPatternContentStream cell = new PDPatternContentStream(pattern)) {
            cell.setStrokingColor(color(b.color()));
            cell.setLineWidth(b.lineWidth());
            wave(cell, w, h / 2, b.amplitude(), 0);
            wave(cell, w, h / 2, b.amplitude(), w / 2);
        }
        COSName name = page.getResources().add(pattern);
        float[] box = b.box();
        float pageHeight = layout.page().height();
        out.saveGraphicsState();
        out.setNonStrokingColor(new PDColor(name, new PDPattern(null)));
        out.addRect(box[0], pageHeight - box[1] - box[3], box[2], box[3]);
        out.fill();
        out.restoreGraphicsState();
    }

    /** One period of a sine-like wave across the cell, starting {@code shift} into its period. */
    private static void wave(PDPatternContentStream cell, float w, float mid, float amplitude, float shift)
            throws IOException {
        float half = w / 2;
        float sign = shift == 0 ? 1 : -1;
        // Each half period is one cubic Bézier; 4/3 of the amplitude at the control points gives its crest.
        cell.moveTo(0, mid);
        cell.curveTo(half / 3, mid + sign * amplitude * 4 / 3, 2 * half / 3, mid + sign * amplitude * 4 / 3, half, mid);
        cell.curveTo(half + half / 3, mid - sign * amplitude * 4 / 3, half + 2 * half / 3,
                mid - sign * amplitude * 4 / 3, w, mid);
        cell.stroke();
    }

    static Color color(String hex) {
        return Color.decode(hex);
    }
}
