package jp.kofu.pdf;

import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSStream;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.graphics.color.PDDeviceGray;
import org.apache.pdfbox.pdmodel.graphics.color.PDDeviceRGB;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontFormatException;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/**
 * The 公印 (the mayor's official seal) as an image with transparency, compressed once and copied into each
 * certificate as it is, so that no document pays for encoding it. A city gives a scan of its seal as a PNG
 * ({@code sealImage} in the municipalities file); without one, a dev seal is drawn from the mayor's title.
 */
public final class SealImage {
    private static final java.util.Map<String, SealImage> DEV_SEALS = new java.util.concurrent.ConcurrentHashMap<>();
    private static Font sealFont;

    private final int width;
    private final int height;
    private final byte[] rgb;
    private final byte[] alpha;
    /** The same seal in black, made when first asked for. */
    private volatile SealImage black;

    private SealImage(BufferedImage image) {
        this(image, Deflater.BEST_COMPRESSION);
    }

    private SealImage(BufferedImage image, int level) {
        width = image.getWidth();
        height = image.getHeight();
        byte[] colour = new byte[width * height * 3];
        byte[] opaque = new byte[width * height];
        split(image, colour, opaque);
        // Whole arrays at once: DeflaterOutputStream fed byte by byte runs the deflater once per byte.
        ByteArrayOutputStream colours = new ByteArrayOutputStream();
        ByteArrayOutputStream opacity = new ByteArrayOutputStream();
        try (OutputStream c = deflating(colours, level); OutputStream a = deflating(opacity, level)) {
            c.write(colour);
            a.write(opaque);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        rgb = colours.toByteArray();
        alpha = opacity.toByteArray();
    }

    /**
     * The image's colours (RGB) and opacities, one byte each. A PNG with transparency decodes to 4-byte ABGR, read
     * straight from its raster: {@code getRGB} converts pixel by pixel and took longer than the rest of an 印影.
     */
    private static void split(BufferedImage image, byte[] colour, byte[] opaque) {
        int pixels = opaque.length;
        if (image.getType() == BufferedImage.TYPE_4BYTE_ABGR
                && image.getRaster().getDataBuffer() instanceof java.awt.image.DataBufferByte buffer
                && buffer.getNumBanks() == 1 && buffer.getData().length == pixels * 4) {
            byte[] abgr = buffer.getData();
            for (int i = 0; i < pixels; i++) {
                opaque[i] = abgr[4 * i];
                colour[3 * i] = abgr[4 * i + 3];
                colour[3 * i + 1] = abgr[4 * i + 2];
                colour[3 * i + 2] = abgr[4 * i + 1];
            }
            return;
        }
        int[] argb = image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
        for (int i = 0; i < pixels; i++) {
            colour[3 * i] = (byte) (argb[i] >> 16);
            colour[3 * i + 1] = (byte) (argb[i] >> 8);
            colour[3 * i + 2] = (byte) argb[i];
            opaque[i] = (byte) (argb[i] >>> 24);
        }
    }

    /** A city's seal from a PNG file (its transparent parts stay transparent). */
    public static SealImage read(Path png) {
        try {
            BufferedImage image = ImageIO.read(png.toFile());
            if (image == null) {
                throw new IllegalArgumentException("not an image: " + png);
            }
            return new SealImage(image);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the seal image " + png, e);
        }
    }

    /**
     * A dev seal: the mayor's title and 之印 in vermilion, in columns read from the right, inside a square frame,
     * as a square seal is cut. Plainly a stand-in: its lines are even, as no carved seal's are.
     */
    public static SealImage dev(String mayorTitle) {
        return DEV_SEALS.computeIfAbsent(mayorTitle, SealImage::draw);
    }

    private static SealImage draw(String mayorTitle) {
        String text = mayorTitle + "之印";
        int count = text.codePointCount(0, text.length());
        int rows = (int) Math.ceil(Math.sqrt(count));
        int columns = (count + rows - 1) / rows;
        int size = 240;
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            Color vermilion = new Color(0xD0, 0x30, 0x28);
            g.setColor(vermilion);
            g.setStroke(new BasicStroke(14));
            g.drawRect(10, 10, size - 20, size - 20);
            float inner = size - 48;
            float cellW = inner / columns;
            float cellH = inner / rows;
            Font font = sealFont().deriveFont(Font.PLAIN, Math.min(cellW * 0.98f, cellH * 1.02f));
            g.setFont(font);
            var metrics = g.getFontMetrics();
            for (int i = 0, at = 0; at < text.length(); i++) {
                int cp = text.codePointAt(at);
                String ch = new String(Character.toChars(cp));
                at += ch.length();
                int column = i / rows;
                int row = i % rows;
                float cx = size - 24 - (column + 0.5f) * cellW;
                float cy = 24 + (row + 0.5f) * cellH;
                int w = metrics.stringWidth(ch);
                g.drawString(ch, cx - w / 2f, cy + (metrics.getAscent() - metrics.getDescent()) / 2f);
            }
        } finally {
            g.dispose();
        }
        return new SealImage(image);
    }

    /** The image, with its soft mask, as a new object of {@code doc}. */
    PDImageXObject into(PDDocument doc) throws IOException {
        PDImageXObject image = new PDImageXObject(stream(doc, rgb), null);
        image.setWidth(width);
        image.setHeight(height);
        image.setBitsPerComponent(8);
        image.setColorSpace(PDDeviceRGB.INSTANCE);
        PDImageXObject mask = new PDImageXObject(stream(doc, alpha), null);
        mask.setWidth(width);
        mask.setHeight(height);
        mask.setBitsPerComponent(8);
        mask.setColorSpace(PDDeviceGray.INSTANCE);
        image.getCOSObject().setItem(COSName.SMASK, mask);
        return image;
    }

    private static org.apache.pdfbox.pdmodel.common.PDStream stream(PDDocument doc, byte[] deflated)
            throws IOException {
        COSStream cos = doc.getDocument().createCOSStream();
        try (OutputStream out = cos.createRawOutputStream()) {
            out.write(deflated);
        }
        cos.setItem(COSName.FILTER, COSName.FLATE_DECODE);
        return new org.apache.pdfbox.pdmodel.common.PDStream(cos);
    }

    private static OutputStream deflating(OutputStream out, int level) {
        return new DeflaterOutputStream(out, new Deflater(level));
    }

    /**
     * The seal in black (the standard's 電子公印): every pixel black, as opaque as it was inked. The ink of a pixel
     * is its opacity times how far its darkest channel is from white, so that a vermilion seal on a transparent or
     * a white background becomes a black seal on nothing.
     */
    public SealImage black() {
        SealImage b = black;
        if (b == null) {
            BufferedImage image = image();
            BufferedImage inked = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    int argb = image.getRGB(x, y);
                    int darkest = Math.min(argb >> 16 & 0xFF, Math.min(argb >> 8 & 0xFF, argb & 0xFF));
                    float ink = Math.min(1f, (255 - darkest) / 160f) * (argb >>> 24) / 255f;
                    inked.setRGB(x, y, Math.round(ink * 255) << 24);
                }
            }
            b = new SealImage(inked);
            black = b;
        }
        return b;
    }

    /** The pixels back from their compressed channels. */
    private BufferedImage image() {
        byte[] colours = inflate(rgb, width * height * 3);
        byte[] opacity = inflate(alpha, width * height);
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
        for (int i = 0; i < width * height; i++) {
            image.setRGB(i % width, i / width, (opacity[i] & 0xFF) << 24 | (colours[3 * i] & 0xFF) << 16
                    | (colours[3 * i + 1] & 0xFF) << 8 | colours[3 * i + 2] & 0xFF);
        }
        return image;
    }

    private static byte[] inflate(byte[] deflated, int length) {
        try (java.util.zip.InflaterInputStream in = new java.util.zip.InflaterInputStream(
                new ByteArrayInputStream(deflated))) {
            byte[] bytes = in.readNBytes(length);
            if (bytes.length != length) {
                throw new IllegalStateException("a seal image shorter than its size");
            }
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A registered 印影 from its PNG, for one document (compressed fast: it is made for every 印鑑登録証明書).
     * Bytes that are no image make the certificate not printable.
     */
    static SealImage impression(byte[] png) {
        BufferedImage image;
        // A memory cache: ImageIO's default for a stream is a temporary file per image. read() closes it.
        try {
            image = ImageIO.read(new javax.imageio.stream.MemoryCacheImageInputStream(new ByteArrayInputStream(png)));
        } catch (IOException e) {
            image = null;
        }
        if (image == null || image.getWidth() < 8 || image.getHeight() < 8) {
            throw new CertificatePrinter.NotPrintable("the registered seal image is not a readable PNG");
        }
        return new SealImage(image, Deflater.BEST_SPEED);
    }

    /** The font the dev seals are drawn with: AWT copies a font to a temporary file, so it is made once. */
    private static synchronized Font sealFont() {
        if (sealFont == null) {
            sealFont = readSealFont();
        }
        return sealFont;
    }

    private static Font readSealFont() {
        try (InputStream in = SealImage.class.getResourceAsStream(FontPool.FONT)) {
            if (in == null) {
                throw new IllegalStateException("font missing from the jar: " + FontPool.FONT);
            }
            return Font.createFont(Font.TRUETYPE_FONT, in);
        } catch (IOException | FontFormatException e) {
            throw new IllegalStateException("cannot load the seal's font", e);
        }
    }
}
