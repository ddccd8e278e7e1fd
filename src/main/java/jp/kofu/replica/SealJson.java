package jp.kofu.replica;

import com.fasterxml.jackson.databind.JsonNode;
import jp.kofu.contract.JsonFields;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Base64;
import java.util.Iterator;
import java.util.regex.Pattern;

/**
 * A {@code SEAL_REGISTER} line (contract §6): validated when it arrives. A bad field is named in the refusal; its
 * value, and above all the image, never is.
 */
final class SealJson {
    static final int MAX_IMAGE_BYTES = 256 * 1024;
    static final double MIN_SIZE_MM = 8;
    static final double MAX_SIZE_MM = 25;
    private static final Pattern NUMBER = Pattern.compile("[A-Za-z0-9_-]{1,32}");
    private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    private static final int NAME = 128;
    /** Base64 of MAX_IMAGE_BYTES, with room for padding. */
    private static final int MAX_BASE64 = (MAX_IMAGE_BYTES + 2) / 3 * 4;

    private SealJson() {}

    static FeedEvent.SealRegister register(JsonFields f, long seq, String municipality) {
        String residentId = ResidentJson.id(f, "residentId");
        String number = f.text("registrationNumber", 32);
        if (!NUMBER.matcher(number).matches()) {
            throw f.malformed("registrationNumber", "must be 1 to 32 letters, digits, '-' or '_'");
        }
        String name = f.text("registeredName", NAME);
        if (name.codePoints().anyMatch(cp -> Character.getType(cp) == Character.CONTROL || cp == 0x2028 || cp == 0x2029)) {
            throw f.malformed("registeredName", "must not contain control characters");
        }
        LocalDate registeredOn = f.optionalDate("registeredOn")
                .orElseThrow(() -> f.malformed("registeredOn", "is required"));
        JsonNode size = f.node().get("sealSizeMm");
        if (size == null || !size.isNumber() || !(size.doubleValue() >= MIN_SIZE_MM && size.doubleValue() <= MAX_SIZE_MM)) {
            throw f.malformed("sealSizeMm", "must be a number of millimetres from 8 to 25");
        }
        return new FeedEvent.SealRegister(seq, municipality, residentId,
                new SealRegistration(number, name, registeredOn, size.doubleValue(), png(f)));
    }

    private static byte[] png(JsonFields f) {
        JsonNode v = f.node().get("sealImage");
        if (v == null || !v.isTextual() || v.textValue().isEmpty()) {
            throw f.malformed("sealImage", "is required, a PNG in standard base64");
        }
        if (v.textValue().length() > MAX_BASE64) {
            throw f.malformed("sealImage", "must be at most " + MAX_IMAGE_BYTES + " bytes");
        }
        byte[] png;
        try {
            png = Base64.getDecoder().decode(v.textValue());
        } catch (IllegalArgumentException e) {
            throw f.malformed("sealImage", "is not standard base64");
        }
        if (png.length > MAX_IMAGE_BYTES) {
            throw f.malformed("sealImage", "must be at most " + MAX_IMAGE_BYTES + " bytes");
        }
        if (png.length < PNG_MAGIC.length || !Arrays.equals(png, 0, PNG_MAGIC.length, PNG_MAGIC, 0, PNG_MAGIC.length)
                || !readable(png)) {
            throw f.malformed("sealImage", "is not a PNG image");
        }
        return png;
    }

    /** True when ImageIO's PNG reader can read the image's size (header and IHDR intact). */
    private static boolean readable(byte[] png) {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(png))) {
            Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName("png");
            if (in == null || !readers.hasNext()) {
                return false;
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                return reader.getWidth(0) > 0 && reader.getHeight(0) > 0;
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
