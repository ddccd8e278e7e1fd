package jp.kofu.municipality;

import jp.kofu.contract.CertificateType;

import javax.security.auth.x500.X500Principal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One municipality served by this deployment (contract §1, §8, municipalities file).
 *
 * @param serviceHours     when each certificate type is issued (Asia/Tokyo), 年末年始 and weekdays-only included
 * @param fees             yen per copy, by certificate type; a type without a fee is not offered
 * @param defaultOptions   the options that are on when a request leaves them out
 * @param offeredOptions   the options a request may turn on
 * @param layout           the certificate form, a layout of {@code pdf-templates/layouts/} (世帯連記式 by default)
 * @param sealImage        a PNG of the 公印; absent → a dev seal drawn from the mayor's title
 * @param signingPkcs11    the signing key on an HSM (PKCS#11) instead of a PKCS#12 file
 * @param syncClients      subjects of the client certificates that may feed this municipality (contract §7)
 * @param stoppedTypes     types stopped for maintenance: closed ({@code OUTSIDE_SERVICE_HOURS}) whatever the hours
 * @param inkanPrintsSex   whether the 印鑑登録証明書 prints 男女の別 (contract §8; default true)
 * @param sealColor        the colour the 公印 is printed in (red by default; the 標準仕様書 allows a black 電子公印)
 * @param maxFeedSilence   how long the feed may be silent before nothing is issued (contract §6); empty = no limit
 * @param koseki           the link to the municipality's 戸籍システム (contract §9); empty = no 戸籍 certificates
 */
public record Municipality(
        String code,
        String name,
        String mayorTitle,
        String mayorName,
        ServiceHours serviceHours,
        Map<CertificateType, Integer> fees,
        int minimumAge,
        Set<PrintOption> defaultOptions,
        Set<PrintOption> offeredOptions,
        Optional<Path> signingKeystore,
        Optional<String> signingKeystorePassword,
        String layout,
        Optional<Path> sealImage,
        Optional<Pkcs11Key> signingPkcs11,
        Set<X500Principal> syncClients,
        Set<CertificateType> stoppedTypes,
        boolean inkanPrintsSex,
        SealColor sealColor,
        Optional<Duration> maxFeedSilence,
        Optional<KosekiLink> koseki) {

    /** A key on a PKCS#11 token: the SunPKCS11 configuration file (library, slot) and the key's label. */
    public record Pkcs11Key(Path config, String alias) {}

    /** The colour of the printed 公印. */
    public enum SealColor { RED, BLACK }

    /**
     * The {@code koseki:} key (contract §9, docs/koseki.md): where the 戸籍システム listens and how Kofu calls it
     * over mutual TLS. Keystore and trust are given together or not at all; without them the development PKI
     * supplies both when {@code kofu.dev-pki} allows it (checked when the connector starts).
     *
     * @param url                    base address, https; the calls go to {@code {url}/koseki/v1/…}
     * @param clientKeystore         PKCS#12 with Kofu's client key and certificate for this link
     * @param clientKeystorePassword its password
     * @param trust                  PEM file of the CAs that may issue the 戸籍システム's server certificate
     * @param timeout                per call, from sending to the whole answer (default 3000 ms)
     * @param maxConcurrentCalls     calls in flight at once for this municipality; beyond, a call fails fast
     */
    public record KosekiLink(java.net.URI url, Optional<Path> clientKeystore, Optional<String> clientKeystorePassword,
                             Optional<Path> trust, Duration timeout, int maxConcurrentCalls) {
        public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(3000);
        public static final int DEFAULT_MAX_CONCURRENT_CALLS = 8;

        /** True when keystore and trust are left to the development PKI. */
        public boolean usesDevPki() {
            return clientKeystore.isEmpty();
        }

        @Override
        public String toString() {
            return "KosekiLink[" + url + "]";
        }
    }

    /** The form before the {@code koseki} key: no 戸籍 link. */
    public Municipality(String code, String name, String mayorTitle, String mayorName, ServiceHours serviceHours,
                        Map<CertificateType, Integer> fees, int minimumAge, Set<PrintOption> defaultOptions,
                        Set<PrintOption> offeredOptions, Optional<Path> signingKeystore,
                        Optional<String> signingKeystorePassword, String layout, Optional<Path> sealImage,
                        Optional<Pkcs11Key> signingPkcs11, Set<X500Principal> syncClients,
                        Set<CertificateType> stoppedTypes, boolean inkanPrintsSex, SealColor sealColor,
                        Optional<Duration> maxFeedSilence) {
        this(code, name, mayorTitle, mayorName, serviceHours, fees, minimumAge, defaultOptions, offeredOptions,
                signingKeystore, signingKeystorePassword, layout, sealImage, signingPkcs11, syncClients, stoppedTypes,
                inkanPrintsSex, sealColor, maxFeedSilence, Optional.empty());
    }

    public Municipality {
        fees = fees.isEmpty() ? Map.of() : Map.copyOf(new EnumMap<>(fees));
        defaultOptions = defaultOptions.isEmpty() ? EnumSet.noneOf(PrintOption.class) : EnumSet.copyOf(defaultOptions);
        offeredOptions = offeredOptions.isEmpty() ? EnumSet.noneOf(PrintOption.class) : EnumSet.copyOf(offeredOptions);
        syncClients = Set.copyOf(syncClients);
        stoppedTypes = Set.copyOf(stoppedTypes);
    }

    /**
     * The form of before per-type settings: one range on every day of the year, nothing stopped, 男女の別 printed,
     * a red seal and no feed-silence limit.
     */
    public Municipality(String code, String name, String mayorTitle, String mayorName, LocalTime serviceFrom,
                        LocalTime serviceUntil, Map<CertificateType, Integer> fees, int minimumAge,
                        Set<PrintOption> defaultOptions, Set<PrintOption> offeredOptions,
                        Optional<Path> signingKeystore, Optional<String> signingKeystorePassword, String layout,
                        Optional<Path> sealImage, Optional<Pkcs11Key> signingPkcs11, Set<X500Principal> syncClients) {
        this(code, name, mayorTitle, mayorName, ServiceHours.always(serviceFrom, serviceUntil), fees, minimumAge,
                defaultOptions, offeredOptions, signingKeystore, signingKeystorePassword, layout, sealImage,
                signingPkcs11, syncClients, Set.of(), true, SealColor.RED, Optional.empty());
    }

    /** True when a client certificate with this subject may feed this municipality (compared as X.500 names). */
    public boolean isFedBy(X500Principal subject) {
        return syncClients.contains(subject);
    }

    /** Start of the {@code default} service range (what kiosk hours must lie within). */
    public LocalTime serviceFrom() {
        return serviceHours.defaultRange().from();
    }

    /** End of the {@code default} service range (exclusive); {@code null} means midnight ("24:00"). */
    public LocalTime serviceUntil() {
        return serviceHours.defaultRange().until();
    }

    /** The time of day within the {@code default} range (no date rules: see {@link #isOpen}). */
    public boolean isOpenAt(LocalTime time) {
        return serviceHours.defaultRange().contains(time);
    }

    /** True when the municipality offers the type at all: {@code fees} names it. */
    public boolean offers(CertificateType type) {
        return fees.containsKey(type);
    }

    /** Whether {@code fees} names some 戸籍 certificate (contract §8, §9). */
    public boolean offersKoseki() {
        return fees.keySet().stream().anyMatch(CertificateType::isKoseki);
    }

    /**
     * This municipality with {@code more} stopped as well as its own {@code stoppedTypes}: the file's stops and the
     * console's together ({@link TypeStops}).
     */
    public Municipality alsoStopping(Set<CertificateType> more) {
        if (stoppedTypes.containsAll(more)) {
            return this;
        }
        Set<CertificateType> all = EnumSet.noneOf(CertificateType.class);
        all.addAll(stoppedTypes);
        all.addAll(more);
        return new Municipality(code, name, mayorTitle, mayorName, serviceHours, fees, minimumAge, defaultOptions,
                offeredOptions, signingKeystore, signingKeystorePassword, layout, sealImage, signingPkcs11, syncClients,
                all, inkanPrintsSex, sealColor, maxFeedSilence, koseki);
    }

    public boolean isStopped(CertificateType type) {
        return stoppedTypes.contains(type);
    }

    /**
     * Whether the type may be issued at this moment: not stopped, within its hours, not 12/29–1/3, and on a workday
     * for a {@code weekdays} range (contract §8); a closed type is {@code OUTSIDE_SERVICE_HOURS}. Whether the type is
     * offered at all is {@link #offers}, asked first.
     */
    public boolean isOpen(CertificateType type, ZonedDateTime now) {
        return !isStopped(type) && serviceHours.isOpen(type, now);
    }

    public Optional<Integer> feePerCopy(CertificateType type) {
        return Optional.ofNullable(fees.get(type));
    }

    /** The fee of a type named as in the contract; empty for a type not offered or not of §8. */
    public Optional<Integer> feePerCopy(String certificateType) {
        return CertificateType.of(certificateType).flatMap(this::feePerCopy);
    }

    @Override
    public String toString() {
        return "Municipality[" + code + " " + name + "]";
    }
}
