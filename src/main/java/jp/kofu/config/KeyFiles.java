package jp.kofu.config;

import jakarta.inject.Singleton;
import jp.kofu.pki.DevPki;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Where the keys and trust material are: the configured files, or, for any that are not configured, the
 * development PKI generated under {@code <data-dir>/dev-pki} on first start (never for production use). The
 * development PKI is used only where {@link KofuSettings#devPki()} allows it; otherwise an unset file stops the
 * start, naming the setting, and no {@code dev-pki} folder is made.
 */
@Singleton
public final class KeyFiles {
    private static final Logger LOG = LoggerFactory.getLogger(KeyFiles.class);

    /** Why an unset key or trust file stops a start that is not allowed the development PKI, and what to do. */
    public static final String NO_DEV_PKI = "the development PKI is off (kofu.dev-pki, false unless set when"
            + " kofu.municipalities-file is): configure it (certs/README.md), or set kofu.dev-pki: true on a test"
            + " installation";

    private final Path devPkiDir;
    private final boolean devPkiAllowed;
    private final Clock clock;
    private DevPki devPki;
    private final Path tlsCertificate;
    private final Path tlsPrivateKey;
    private final Path centerClientCa;
    private final Path syncClientCa;
    private final Path jpkiTrustAnchors;
    private final Path jpkiCrlDir;

    public KeyFiles(KofuSettings s, Clock clock) {
        this.devPkiDir = s.dataDir().resolve("dev-pki");
        this.devPkiAllowed = s.devPki();
        this.clock = clock;
        List<String> unset = new ArrayList<>();
        tlsCertificate = configured(s.tlsCertificate(), "kofu.tls.certificate", DevPki::tlsCertificateChain, unset);
        tlsPrivateKey = configured(s.tlsPrivateKey(), "kofu.tls.private-key", DevPki::tlsPrivateKey, unset);
        centerClientCa = configured(s.centerClientCa(), "kofu.center.client-ca", DevPki::centerCa, unset);
        syncClientCa = configured(s.syncClientCa(), "kofu.sync.client-ca", DevPki::syncCa, unset);
        jpkiTrustAnchors = configured(s.jpkiTrustAnchors(), "kofu.jpki.trust-anchors", DevPki::jpkiTrustAnchors, unset);
        jpkiCrlDir = configured(s.jpkiCrlDir(), "kofu.jpki.crl-dir", DevPki::jpkiCrlDir, unset);
        if (!unset.isEmpty()) {
            throw new SettingException(unset.get(0), "not set; " + (unset.size() > 1 ? "nor are "
                    + String.join(", ", unset.subList(1, unset.size())) + "; " : "") + NO_DEV_PKI);
        }
    }

    /** The configured file, else the development PKI's (when allowed), else null with the key noted as unset. */
    private Path configured(Optional<Path> setting, String key, Function<DevPki, Path> dev, List<String> unset) {
        if (setting.isPresent()) {
            return setting.get();
        }
        if (!devPkiAllowed) {
            unset.add(key);
            return null;
        }
        return dev.apply(devPki());
    }

    /** The development PKI, generated on first use; used only for what is not configured, and only when allowed. */
    public synchronized DevPki devPki() {
        if (!devPkiAllowed) {
            throw new SettingException("kofu.dev-pki", "false, yet a development key was asked for; configure every key"
                    + " and CA (certs/README.md), or set kofu.dev-pki: true on a test installation");
        }
        if (devPki == null) {
            devPki = DevPki.open(devPkiDir, clock);
            LOG.warn("Using the DEVELOPMENT PKI for every key and CA not configured; never use it in production.\n{}",
                    devPki.describe());
        }
        return devPki;
    }

    /** Whether {@link #devPki()} may be used (contract: a municipalities file needs {@code kofu.dev-pki: true}). */
    public boolean devPkiAllowed() {
        return devPkiAllowed;
    }

    public Path tlsCertificate() { return tlsCertificate; }
    public Path tlsPrivateKey() { return tlsPrivateKey; }
    public Path centerClientCa() { return centerClientCa; }
    public Path syncClientCa() { return syncClientCa; }
    public Path jpkiTrustAnchors() { return jpkiTrustAnchors; }
    public Path jpkiCrlDir() { return jpkiCrlDir; }
}
