package jp.kofu.config;

import jakarta.inject.Singleton;
import jp.kofu.pki.DevPki;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;

/**
 * Where the keys and trust material are: the configured files, or, for any that are not configured, the
 * development PKI generated under {@code <data-dir>/dev-pki} on first start (never for production use).
 */
@Singleton
public final class KeyFiles {
    private static final Logger LOG = LoggerFactory.getLogger(KeyFiles.class);

    private final Path devPkiDir;
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
        this.clock = clock;
        tlsCertificate = s.tlsCertificate().orElseGet(() -> devPki().tlsCertificateChain());
        tlsPrivateKey = s.tlsPrivateKey().orElseGet(() -> devPki().tlsPrivateKey());
        centerClientCa = s.centerClientCa().orElseGet(() -> devPki().centerCa());
        syncClientCa = s.syncClientCa().orElseGet(() -> devPki().syncCa());
        jpkiTrustAnchors = s.jpkiTrustAnchors().orElseGet(() -> devPki().jpkiTrustAnchors());
        jpkiCrlDir = s.jpkiCrlDir().orElseGet(() -> devPki().jpkiCrlDir());
    }

    /** The development PKI, generated on first use; used only for what is not configured. */
    public synchronized DevPki devPki() {
        if (devPki == null) {
            devPki = DevPki.open(devPkiDir, clock);
            LOG.warn("Using the DEVELOPMENT PKI for every key and CA not configured; never use it in production.\n{}",
                    devPki.describe());
        }
        return devPki;
    }

    public Path tlsCertificate() { return tlsCertificate; }
    public Path tlsPrivateKey() { return tlsPrivateKey; }
    public Path centerClientCa() { return centerClientCa; }
    public Path syncClientCa() { return syncClientCa; }
    public Path jpkiTrustAnchors() { return jpkiTrustAnchors; }
    public Path jpkiCrlDir() { return jpkiCrlDir; }
}
