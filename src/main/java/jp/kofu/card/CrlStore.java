package jp.kofu.card;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.GeneralSecurityException;
import java.security.cert.CRL;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CRLs of the JPKI CAs, read from a folder of PEM or DER files. A CRL that names a given CA certificate
 * (trust anchor or configured intermediate) as issuer is kept only when that certificate's key verifies it; others
 * are ignored with a warning. A CRL of a CA not given here (one known only from a request's {@code x5c}) is kept
 * but, like every CRL, used only when it verifies with the key of the issuer in a validated path. The folder is listed again at most once a second (by the injected clock) when asked
 * for a status, and re-read when a file was added, removed or changed (name, size, modification time).
 *
 * <p>Only parsed CRLs are cached; every status is decided afresh at the clock's now. Full CRLs only: a CRL with a
 * critical extension (delta CRL, issuing distribution point, indirect entries) is ignored, so that a partial CRL
 * can never make a revoked card look good.
 */
final class CrlStore {
    private static final Logger LOG = LoggerFactory.getLogger(CrlStore.class);
    private static final Duration RESCAN_INTERVAL = Duration.ofSeconds(1);
    /** A CRL whose thisUpdate is this far in the future is still accepted (clocks of CA and node differ). */
    private static final Duration CLOCK_SKEW = Duration.ofMinutes(5);
    private static final long MAX_FILE_BYTES = 512L * 1024 * 1024;

    enum Status { GOOD, REVOKED, UNKNOWN }

    private record Stamp(long size, long modifiedMillis) {}

    private record Snapshot(Map<Path, Stamp> stamps, List<X509CRL> crls) {}

    private final Path directory;
    private final List<X509Certificate> caCertificates;
    private final Clock clock;
    private volatile Snapshot snapshot = new Snapshot(Map.of(), List.of());
    private volatile Instant lastScan;

    CrlStore(Path directory, Collection<X509Certificate> caCertificates, Clock clock) {
        this.directory = directory;
        this.caCertificates = List.copyOf(caCertificates);
        this.clock = clock;
        rescanIfDue();
    }

    /**
     * The revocation status of {@code certificate} according to the newest current CRL of its issuer that
     * {@code issuer}'s key has signed; {@link Status#UNKNOWN} when there is none.
     */
    Status status(X509Certificate certificate, X509Certificate issuer) {
        rescanIfDue();
        Instant now = clock.instant();
        X509CRL newest = null;
        for (X509CRL crl : snapshot.crls()) {
            if (crl.getIssuerX500Principal().equals(certificate.getIssuerX500Principal())
                    && isCurrent(crl, now) && signedBy(crl, issuer)
                    && (newest == null || crl.getThisUpdate().after(newest.getThisUpdate()))) {
                newest = crl;
            }
        }
        if (newest == null) {
            return Status.UNKNOWN;
        }
        return newest.getRevokedCertificate(certificate.getSerialNumber()) == null ? Status.GOOD : Status.REVOKED;
    }

    /**
     * For each configured CA certificate, in the order of the trust-anchors file: whether a current CRL it signed is
     * in the folder, and the latest {@code nextUpdate} of the CRLs it signed (empty: none). Cheap: the folder is
     * listed at most once a second, and CRL signatures were checked when the files were read.
     */
    List<CrlStatus> statuses() {
        rescanIfDue();
        Instant now = clock.instant();
        List<CrlStatus> result = new ArrayList<>();
        for (X509Certificate ca : caCertificates) {
            Instant latest = null;
            boolean current = false;
            for (X509CRL crl : snapshot.crls()) {
                if (crl.getIssuerX500Principal().equals(ca.getSubjectX500Principal()) && signedBy(crl, ca)) {
                    current |= isCurrent(crl, now);
                    if (crl.getNextUpdate() != null
                            && (latest == null || crl.getNextUpdate().toInstant().isAfter(latest))) {
                        latest = crl.getNextUpdate().toInstant();
                    }
                }
            }
            result.add(new CrlStatus(ca.getSubjectX500Principal().getName(javax.security.auth.x500.X500Principal.RFC2253),
                    java.util.Optional.ofNullable(latest), current));
        }
        return result;
    }

    private static boolean isCurrent(X509CRL crl, Instant now) {
        return crl.getNextUpdate() != null
                && !crl.getThisUpdate().toInstant().isAfter(now.plus(CLOCK_SKEW))
                && now.isBefore(crl.getNextUpdate().toInstant());
    }

    private static boolean signedBy(X509CRL crl, X509Certificate issuer) {
        try {
            crl.verify(issuer.getPublicKey()); // the JDK remembers the last key that verified: cheap when repeated
            return true;
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    private void rescanIfDue() {
        Instant now = clock.instant();
        Instant last = lastScan;
        if (last != null && now.isBefore(last.plus(RESCAN_INTERVAL)) && !now.isBefore(last)) {
            return;
        }
        synchronized (this) {
            last = lastScan;
            if (last != null && now.isBefore(last.plus(RESCAN_INTERVAL)) && !now.isBefore(last)) {
                return;
            }
            Map<Path, Stamp> stamps = list();
            if (last == null || !stamps.equals(snapshot.stamps())) {
                snapshot = new Snapshot(stamps, load(stamps.keySet()));
            }
            lastScan = now;
        }
    }

    private Map<Path, Stamp> list() {
        Map<Path, Stamp> stamps = new HashMap<>();
        if (!Files.isDirectory(directory)) {
            return stamps;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
            for (Path file : files) {
                if (file.getFileName().toString().startsWith(".")) {
                    continue; // hidden and temporary files, e.g. a CRL being written before its rename
                }
                BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
                if (attributes.isRegularFile()) {
                    stamps.put(file, new Stamp(attributes.size(), attributes.lastModifiedTime().toMillis()));
                }
            }
        } catch (IOException e) {
            LOG.warn("Cannot list the CRL folder {}: {}", directory, e.toString());
        }
        return stamps;
    }

    private List<X509CRL> load(Set<Path> files) {
        if (files.isEmpty()) {
            LOG.warn("No CRL files in {}: every card will be refused as REVOCATION_UNKNOWN", directory);
        }
        List<X509CRL> crls = new ArrayList<>();
        for (Path file : files) {
            for (X509CRL crl : parse(file)) {
                if (!isFullCrl(crl)) {
                    LOG.warn("Ignoring CRL in {} of {}: it has critical extensions (delta or partitioned CRL)",
                            file, crl.getIssuerX500Principal());
                } else if (namesConfiguredCa(crl) && caCertificates.stream().noneMatch(ca ->
                        ca.getSubjectX500Principal().equals(crl.getIssuerX500Principal()) && signedBy(crl, ca))) {
                    LOG.warn("Ignoring CRL in {}: not signed by the configured JPKI CA named {}",
                            file, crl.getIssuerX500Principal());
                } else {
                    // A CRL of a CA known only from the x5c of requests is kept, and used only when it verifies
                    // with the key of a validated path's CA (status() checks every signature at use).
                    crls.add(crl);
                }
            }
        }
        LOG.info("Loaded {} CRL(s) from {}", crls.size(), directory);
        return List.copyOf(crls);
    }

    private boolean namesConfiguredCa(X509CRL crl) {
        return caCertificates.stream().anyMatch(ca -> ca.getSubjectX500Principal().equals(crl.getIssuerX500Principal()));
    }

    private static List<X509CRL> parse(Path file) {
        List<X509CRL> crls = new ArrayList<>();
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                LOG.warn("Ignoring {}: larger than {} bytes", file, MAX_FILE_BYTES);
                return crls;
            }
            try (InputStream in = Files.newInputStream(file)) {
                for (CRL crl : CertificateFactory.getInstance("X.509").generateCRLs(in)) {
                    crls.add((X509CRL) crl);
                }
            }
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            LOG.warn("Ignoring {}: not a readable CRL ({})", file, e.getClass().getSimpleName());
            crls.clear();
        }
        return crls;
    }

    private static boolean isFullCrl(X509CRL crl) {
        Set<String> critical = crl.getCriticalExtensionOIDs();
        if (critical != null && !critical.isEmpty()) {
            return false;
        }
        Set<? extends X509CRLEntry> entries = crl.getRevokedCertificates();
        if (entries != null) {
            for (X509CRLEntry entry : entries) {
                Set<String> entryCritical = entry.getCriticalExtensionOIDs();
                if (entryCritical != null && !entryCritical.isEmpty()) {
                    return false;
                }
            }
        }
        return true;
    }
}
