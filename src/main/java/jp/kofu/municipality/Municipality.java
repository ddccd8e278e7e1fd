package jp.kofu.municipality;

import javax.security.auth.x500.X500Principal;
import java.nio.file.Path;
import java.time.LocalTime;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One municipality served by this deployment (contract §1, municipalities file).
 *
 * @param serviceFrom      start of service hours, local time in Asia/Tokyo
 * @param serviceUntil     end of service hours (exclusive); {@code null} means midnight ("24:00")
 * @param fees             yen per copy, by certificate type; a type without a fee is not offered
 * @param defaultOptions   the options that are on when a request leaves them out
 * @param offeredOptions   the options a request may turn on
 * @param layout           the certificate form, a layout of {@code pdf-templates/layouts/} (世帯連記式 by default)
 * @param sealImage        a PNG of the 公印; absent → a dev seal drawn from the mayor's title
 * @param signingPkcs11    the signing key on an HSM (PKCS#11) instead of a PKCS#12 file
 * @param syncClients      subjects of the client certificates that may feed this municipality (contract §7)
 */
public record Municipality(
        String code,
        String name,
        String mayorTitle,
        String mayorName,
        LocalTime serviceFrom,
        LocalTime serviceUntil,
        Map<String, Integer> fees,
        int minimumAge,
        Set<PrintOption> defaultOptions,
        Set<PrintOption> offeredOptions,
        Optional<Path> signingKeystore,
        Optional<String> signingKeystorePassword,
        String layout,
        Optional<Path> sealImage,
        Optional<Pkcs11Key> signingPkcs11,
        Set<X500Principal> syncClients) {

    /** A key on a PKCS#11 token: the SunPKCS11 configuration file (library, slot) and the key's label. */
    public record Pkcs11Key(Path config, String alias) {}

    public Municipality {
        fees = Map.copyOf(fees);
        defaultOptions = defaultOptions.isEmpty() ? EnumSet.noneOf(PrintOption.class) : EnumSet.copyOf(defaultOptions);
        offeredOptions = offeredOptions.isEmpty() ? EnumSet.noneOf(PrintOption.class) : EnumSet.copyOf(offeredOptions);
        syncClients = Set.copyOf(syncClients);
    }

    /** True when a client certificate with this subject may feed this municipality (compared as X.500 names). */
    public boolean isFedBy(X500Principal subject) {
        return syncClients.contains(subject);
    }

    public boolean isOpenAt(LocalTime time) {
        boolean afterStart = !time.isBefore(serviceFrom);
        boolean beforeEnd = serviceUntil == null || time.isBefore(serviceUntil);
        return afterStart && beforeEnd;
    }

    public Optional<Integer> feePerCopy(String certificateType) {
        return Optional.ofNullable(fees.get(certificateType));
    }

    @Override
    public String toString() {
        return "Municipality[" + code + " " + name + "]";
    }
}
