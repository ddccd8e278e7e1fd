package jp.kofu.replica;

import java.time.LocalDate;

/**
 * A person's 印鑑登録 as the feed gave it (contract §6 {@code SEAL_REGISTER}): what the 印鑑登録証明書 prints.
 *
 * @param registeredName the name as registered (氏名, 旧氏 or 通称)
 * @param sealSizeMm     the side of the 印影's square in millimetres (8–25), printed at exactly that size
 * @param png            the 印影, a PNG with a transparent or white background (a copy: the caller may keep it)
 */
public record SealRegistration(String registrationNumber, String registeredName, LocalDate registeredOn,
                               double sealSizeMm, byte[] png) {
    public SealRegistration {
        png = png.clone();
    }

    @Override
    public byte[] png() {
        return png.clone();
    }

    @Override
    public String toString() {
        return "SealRegistration[" + registrationNumber + ", " + sealSizeMm + " mm, " + png.length + " bytes]";
    }
}
