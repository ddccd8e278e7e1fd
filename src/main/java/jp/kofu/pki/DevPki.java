package jp.kofu.pki;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.CRLException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * The development PKI: every key and certificate a Kofu node needs to run on a laptop, generated in one folder
 * (e.g. {@code <data-dir>/dev-pki}) at the first call of {@link #open} and loaded at later calls. The JPKI CA in
 * here is a TEST CA; nothing issued by it is an Individual Number Card. These keys are for development only: the
 * PKCS#12 password is stored next to them in {@code passwords.properties} (owner-readable only).
 *
 * <p>At every {@link #open}, the JPKI CRL is re-issued when it is within a day of its nextUpdate, and the TLS
 * server certificate is re-issued when it is within 30 days of expiry.
 */
public final class DevPki {
    /** One lock for every instance: two instances may be opened on the same folder. */
    private static final Object LOCK = new Object();
    private static final Pattern CARD_NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern MUNICIPALITY_CODE = Pattern.compile("[0-9]{6}");
    private static final String PASSWORD_KEY = "keystore.password";
    private static final Duration CA_LIFETIME = Duration.ofDays(3650);
    private static final Duration LEAF_LIFETIME = Duration.ofDays(825);
    private static final Duration CARD_LIFETIME = Duration.ofDays(5 * 365);
    private static final Duration CRL_LIFETIME = Duration.ofDays(30);
    private static final Duration BACKDATE = Duration.ofHours(1);

    /** The development feed's subject: the demo municipality's one {@code syncClients} entry. */
    public static final String SYNC_CLIENT_SUBJECT = "CN=kofu-dev-juki-feed, O=Kofu (DEV), C=JP";

    static final String JPKI_ROOT_DN = "OU=JPKI for user authentication (TEST), O=JPKI (TEST), C=JP";

    private final Path directory;
    private final Clock clock;
    private final char[] password;

    private DevPki(Path directory, Clock clock, char[] password) {
        this.directory = directory;
        this.clock = clock;
        this.password = password;
    }

    /** Generates the development PKI in {@code directory} if it is not there yet, else loads it. */
    public static DevPki open(Path directory, Clock clock) {
        Path absolute = directory.toAbsolutePath().normalize();
        synchronized (LOCK) {
            Path passwords = absolute.resolve("passwords.properties");
            DevPki pki;
            if (Files.isRegularFile(passwords)) {
                pki = new DevPki(absolute, clock, readPassword(passwords));
            } else {
                pki = new DevPki(absolute, clock, newPassword());
                pki.generate();
                pki.writePassword(passwords);
            }
            pki.renewIfDue();
            return pki;
        }
    }

    public Path directory() {
        return directory;
    }

    /** The TLS server certificate followed by the dev TLS CA, PEM (SAN localhost, 127.0.0.1, ::1). */
    public Path tlsCertificateChain() {
        return directory.resolve("tls/server-chain.pem");
    }

    /** The TLS server's private key, PKCS#8 PEM. */
    public Path tlsPrivateKey() {
        return directory.resolve("tls/server-key.pem");
    }

    /** The dev TLS CA, PEM: what a client trusts to reach this node. */
    public Path tlsCa() {
        return directory.resolve("tls/ca.pem");
    }

    /** The CA of center client certificates, PEM ({@code kofu.center.client-ca}). */
    public Path centerCa() {
        return directory.resolve("center/ca.pem");
    }

    /** A center client certificate with its key, PKCS#12 with {@link #password()}. */
    public Path centerClientKeystore() {
        return directory.resolve("center/client.p12");
    }

    public Path centerClientChain() {
        return directory.resolve("center/client-chain.pem");
    }

    public Path centerClientKey() {
        return directory.resolve("center/client-key.pem");
    }

    /** The CA of sync-feed client certificates, PEM ({@code kofu.sync.client-ca}). */
    public Path syncCa() {
        return directory.resolve("sync/ca.pem");
    }

    public Path syncClientKeystore() {
        return directory.resolve("sync/client.p12");
    }

    public Path syncClientChain() {
        return directory.resolve("sync/client-chain.pem");
    }

    public Path syncClientKey() {
        return directory.resolve("sync/client-key.pem");
    }

    /** The TEST JPKI root, PEM ({@code kofu.jpki.trust-anchors}). */
    public Path jpkiTrustAnchors() {
        return directory.resolve("jpki/trust-anchors.pem");
    }

    /** The folder of the TEST JPKI root's CRL ({@code kofu.jpki.crl-dir}). */
    public Path jpkiCrlDir() {
        return directory.resolve("jpki/crl");
    }

    /** The TEST JPKI root's key and certificate, PKCS#12 with {@link #password()}. */
    public Path jpkiCaKeystore() {
        return directory.resolve("jpki/ca.p12");
    }

    /** The dev municipal signing CA, PEM. */
    public Path signingCa() {
        return directory.resolve("signing/ca.pem");
    }

    /** The password of every PKCS#12 file of the development PKI (a copy). */
    public char[] password() {
        return password.clone();
    }

    /**
     * The document-signing PKCS#12 ({@link #password()}) of a municipality, {@code signing/<code>.p12}, issued by
     * the dev signing CA at the first call.
     */
    public Path signingKeystore(String municipalityCode) {
        if (municipalityCode == null || !MUNICIPALITY_CODE.matcher(municipalityCode).matches()) {
            throw new IllegalArgumentException("a municipality code is 6 digits");
        }
        Path file = directory.resolve("signing/" + municipalityCode + ".p12");
        synchronized (LOCK) {
            if (!Files.isRegularFile(file)) {
                CertificateAuthority ca = CertificateAuthority.of(Pkcs12.read(directory.resolve("signing/ca.p12"), password));
                Credential seal = ca.issueDocumentSigning(
                        "CN=Municipality " + municipalityCode + " (DEVELOPMENT SEAL), O=Kofu (DEV), C=JP", leafValidity());
                Pkcs12.write(file, seal, password);
            }
        }
        return file;
    }

    /**
     * A demo card: a TEST JPKI user-authentication certificate with its key, {@code cards/<name>.p12}
     * ({@link #password()}), issued at the first call for this name.
     */
    public Path issueCard(String name) {
        if (name == null || !CARD_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a card name is 1 to 64 letters, digits, '-' or '_'");
        }
        Path file = directory.resolve("cards/" + name + ".p12");
        synchronized (LOCK) {
            if (!Files.isRegularFile(file)) {
                CertificateAuthority ca = CertificateAuthority.of(Pkcs12.read(jpkiCaKeystore(), password));
                Pkcs12.write(file, ca.issueCardAuthentication(Validity.starting(now().minus(BACKDATE), CARD_LIFETIME)),
                        password);
            }
        }
        return file;
    }

    /**
     * A city-hall kiosk's client certificate with its key, {@code kiosk/<terminalId>.p12} ({@link #password()}),
     * subject {@code CN=<terminalId>, OU=Kiosk, O=Kofu (DEV), C=JP} (a kiosk's {@code clientSubject}), issued by the
     * center client CA at the first call: the kiosk calls {@code /center/**} with it.
     */
    public Path kioskClientKeystore(String terminalId) {
        return extraClient("center", "kiosk", terminalId, kioskSubject(terminalId));
    }

    /** The subject of the development certificate of a kiosk: what its {@code clientSubject} must say. */
    public static String kioskSubject(String terminalId) {
        return "CN=" + terminalId + ", OU=Kiosk, O=Kofu (DEV), C=JP";
    }

    /**
     * Another center caller's client certificate, {@code center/clients/<name>.p12} ({@link #password()}), subject
     * {@code CN=<name>, O=Kofu (DEV), C=JP}, issued by the center client CA at the first call.
     */
    public Path centerClientKeystore(String name) {
        return extraClient("center", "center/clients", name, "CN=" + name + ", O=Kofu (DEV), C=JP");
    }

    /**
     * Another feed's client certificate, {@code sync/clients/<name>.p12} ({@link #password()}), subject
     * {@code CN=<name>, O=Kofu (DEV), C=JP} (to list in a municipality's {@code syncClients}), issued by the sync
     * client CA at the first call.
     */
    public Path syncClientKeystore(String name) {
        return extraClient("sync", "sync/clients", name, "CN=" + name + ", O=Kofu (DEV), C=JP");
    }

    private Path extraClient(String caFolder, String folder, String name, String subject) {
        if (name == null || !CARD_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a client name here is 1 to 64 letters, digits, '-' or '_'");
        }
        Path file = directory.resolve(folder + "/" + name + ".p12");
        synchronized (LOCK) {
            if (!Files.isRegularFile(file)) {
                Path caFile = directory.resolve(caFolder + "/ca.p12");
                if (!Files.isRegularFile(caFile)) {
                    throw new PkiException("this development PKI predates further clients (no " + caFolder
                            + "/ca.p12): delete " + directory + " to generate it afresh");
                }
                CertificateAuthority ca = CertificateAuthority.of(Pkcs12.read(caFile, password));
                Pkcs12.write(file, ca.issueTlsClient(subject, leafValidity()), password);
            }
        }
        return file;
    }

    /**
     * The CA of the development 戸籍システム's server certificate (the simulator's CA), PEM: what Kofu trusts on
     * a municipality's {@code koseki} link when the link gives no {@code trust}. Made at the first call of any
     * {@code koseki…} method (a development PKI from before the 戸籍 path gains it then).
     */
    public Path kosekiServerCa() {
        ensureKoseki();
        return directory.resolve("koseki/server-ca.pem");
    }

    /** The development 戸籍システム's server certificate and key, PKCS#12 ({@link #password()}), SAN 127.0.0.1, localhost. */
    public Path kosekiServerKeystore() {
        ensureKoseki();
        return directory.resolve("koseki/server.p12");
    }

    /** The CA of Kofu's 戸籍 client certificates, PEM: what the development 戸籍システム trusts. */
    public Path kosekiClientCa() {
        ensureKoseki();
        return directory.resolve("koseki/client-ca.pem");
    }

    /** Kofu's 戸籍 client certificate and key, PKCS#12 ({@link #password()}), subject {@link #KOSEKI_CLIENT_SUBJECT}. */
    public Path kosekiClientKeystore() {
        ensureKoseki();
        return directory.resolve("koseki/client.p12");
    }

    /** The subject of Kofu's development 戸籍 client certificate. */
    public static final String KOSEKI_CLIENT_SUBJECT = "CN=kofu-dev-koseki-client, O=Kofu (DEV), C=JP";

    private void ensureKoseki() {
        synchronized (LOCK) {
            Path dir = directory.resolve("koseki");
            if (Files.isRegularFile(dir.resolve("client.p12")) && Files.isRegularFile(dir.resolve("server.p12"))) {
                return;
            }
            Validity caValidity = Validity.starting(now().minus(BACKDATE), CA_LIFETIME);
            CertificateAuthority serverCa = CertificateAuthority.createRoot(
                    "CN=Kofu Dev Koseki System CA (DEVELOPMENT ONLY), O=Kofu, C=JP", caValidity);
            Credential server;
            try {
                server = serverCa.issueTlsServer("localhost", List.of("localhost"),
                        List.of(InetAddress.getByName("127.0.0.1"), InetAddress.getByName("::1")), leafValidity());
            } catch (UnknownHostException e) {
                throw new IllegalStateException("IP literals always parse", e);
            }
            CertificateAuthority clientCa = CertificateAuthority.createRoot(
                    "CN=Kofu Dev Koseki Client CA (DEVELOPMENT ONLY), O=Kofu, C=JP", caValidity);
            Credential client = clientCa.issueTlsClient(KOSEKI_CLIENT_SUBJECT, leafValidity());
            // Written aside and renamed into place at once: a node and the simulator starting together on a fresh
            // folder end up with one set (the first rename wins), never with two CAs that do not trust each other.
            Path aside = directory.resolve("koseki.new-" + Long.toHexString(new SecureRandom().nextLong()));
            Pem.writeCertificates(aside.resolve("server-ca.pem"), List.of(serverCa.certificate()));
            Pem.writeCertificates(aside.resolve("client-ca.pem"), List.of(clientCa.certificate()));
            Pkcs12.write(aside.resolve("server.p12"), server, password);
            Pkcs12.write(aside.resolve("client.p12"), client, password);
            try {
                Files.move(aside, dir, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                if (!Files.isRegularFile(dir.resolve("client.p12"))) {
                    throw new PkiException("could not put the 戸籍 link credentials in " + dir, e);
                }
            } finally {
                deleteQuietly(aside);
            }
        }
    }

    private static void deleteQuietly(Path folder) {
        if (!Files.isDirectory(folder)) {
            return;
        }
        try (var files = Files.list(folder)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(folder);
        } catch (IOException ignored) {
            // a leftover folder of a lost race holds only development keys; it is harmless
        }
    }

    /** Re-issues the JPKI CRL if it is missing, unreadable or within a day of its nextUpdate. */
    public void refreshJpkiCrlIfDue() {
        synchronized (LOCK) {
            Path file = jpkiCrlFile();
            if (crlNeedsRenewal(file)) {
                writeJpkiCrl(CertificateAuthority.of(Pkcs12.read(jpkiCaKeystore(), password)));
            }
        }
    }

    /** What is where, for the start-up log. Names files only, never the password. */
    public String describe() {
        StringWriter text = new StringWriter();
        text.append("Development PKI in ").append(directory.toString())
                .append(" (DEVELOPMENT ONLY; PKCS#12 password in passwords.properties)\n");
        line(text, "TLS server chain / key", tlsCertificateChain(), tlsPrivateKey());
        line(text, "TLS CA (trust this to call the node)", tlsCa());
        line(text, "center client CA (kofu.center.client-ca)", centerCa());
        line(text, "center client", centerClientKeystore(), centerClientChain(), centerClientKey());
        line(text, "sync client CA (kofu.sync.client-ca)", syncCa());
        line(text, "sync client", syncClientKeystore(), syncClientChain(), syncClientKey());
        line(text, "TEST JPKI trust anchors (kofu.jpki.trust-anchors)", jpkiTrustAnchors());
        line(text, "TEST JPKI CRLs (kofu.jpki.crl-dir)", jpkiCrlDir());
        line(text, "TEST JPKI CA key (makes demo cards)", jpkiCaKeystore());
        line(text, "municipal signing CA", signingCa());
        line(text, "municipal signing keys", directory.resolve("signing/<municipalityCode>.p12"));
        line(text, "demo cards", directory.resolve("cards/<name>.p12"));
        line(text, "kiosk clients (center client CA)", directory.resolve("kiosk/<terminalId>.p12"));
        line(text, "戸籍 link (made at first use): system CA / server, client CA / client",
                directory.resolve("koseki/server-ca.pem"), directory.resolve("koseki/server.p12"),
                directory.resolve("koseki/client-ca.pem"), directory.resolve("koseki/client.p12"));
        line(text, "further center / sync clients", directory.resolve("center/clients/<name>.p12"),
                directory.resolve("sync/clients/<name>.p12"));
        return text.toString();
    }

    private static void line(StringWriter text, String what, Path... files) {
        text.append("  ").append(what).append(": ");
        for (int i = 0; i < files.length; i++) {
            text.append(i == 0 ? "" : ", ").append(files[i].toString());
        }
        text.append('\n');
    }

    private void generate() {
        Validity caValidity = Validity.starting(now().minus(BACKDATE), CA_LIFETIME);

        CertificateAuthority tlsCa = CertificateAuthority.createRoot(
                "CN=Kofu Dev TLS CA (DEVELOPMENT ONLY), O=Kofu, C=JP", caValidity);
        Pem.writeCertificates(tlsCa(), List.of(tlsCa.certificate()));
        Pkcs12.write(directory.resolve("tls/ca.p12"), tlsCa.credential(), password);
        writeTlsServer(tlsCa);

        CertificateAuthority centerCa = CertificateAuthority.createRoot(
                "CN=Kofu Dev Center Client CA (DEVELOPMENT ONLY), O=Kofu, C=JP", caValidity);
        Pem.writeCertificates(centerCa(), List.of(centerCa.certificate()));
        Pkcs12.write(directory.resolve("center/ca.p12"), centerCa.credential(), password);
        writeClient(centerCa.issueTlsClient("CN=kofu-dev-center, O=Kofu (DEV), C=JP", leafValidity()),
                centerClientKeystore(), centerClientChain(), centerClientKey());

        CertificateAuthority syncCa = CertificateAuthority.createRoot(
                "CN=Kofu Dev Sync Client CA (DEVELOPMENT ONLY), O=Kofu, C=JP", caValidity);
        Pem.writeCertificates(syncCa(), List.of(syncCa.certificate()));
        Pkcs12.write(directory.resolve("sync/ca.p12"), syncCa.credential(), password);
        writeClient(syncCa.issueTlsClient(SYNC_CLIENT_SUBJECT, leafValidity()),
                syncClientKeystore(), syncClientChain(), syncClientKey());

        CertificateAuthority jpki = CertificateAuthority.createRoot(JPKI_ROOT_DN, caValidity);
        Pem.writeCertificates(jpkiTrustAnchors(), List.of(jpki.certificate()));
        Pkcs12.write(jpkiCaKeystore(), jpki.credential(), password);
        writeJpkiCrl(jpki);

        CertificateAuthority signing = CertificateAuthority.createRoot(
                "CN=Kofu Dev Municipal Signing CA (DEVELOPMENT ONLY), O=Kofu, C=JP", caValidity);
        Pem.writeCertificates(signingCa(), List.of(signing.certificate()));
        Pkcs12.write(directory.resolve("signing/ca.p12"), signing.credential(), password);
    }

    private void renewIfDue() {
        refreshJpkiCrlIfDue();
        List<X509Certificate> chain = Pem.readCertificates(tlsCertificateChain());
        if (chain.get(0).getNotAfter().toInstant().isBefore(now().plus(Duration.ofDays(30)))) {
            writeTlsServer(CertificateAuthority.of(Pkcs12.read(directory.resolve("tls/ca.p12"), password)));
        }
    }

    private void writeTlsServer(CertificateAuthority tlsCa) {
        Credential server;
        try {
            server = tlsCa.issueTlsServer("localhost", List.of("localhost"),
                    List.of(InetAddress.getByName("127.0.0.1"), InetAddress.getByName("::1")), leafValidity());
        } catch (UnknownHostException e) {
            throw new IllegalStateException("IP literals always parse", e);
        }
        Pem.writePrivateKey(tlsPrivateKey(), server.privateKey());
        Pem.writeCertificates(tlsCertificateChain(), server.chain());
    }

    private void writeClient(Credential client, Path keystore, Path chain, Path key) {
        Pkcs12.write(keystore, client, password);
        Pem.writeCertificates(chain, client.chain());
        Pem.writePrivateKey(key, client.privateKey());
    }

    private Path jpkiCrlFile() {
        return jpkiCrlDir().resolve("jpki-root.crl");
    }

    private void writeJpkiCrl(CertificateAuthority jpki) {
        Instant now = now();
        X509CRL crl = jpki.issueCrl(now.minus(BACKDATE), now.plus(CRL_LIFETIME), List.of());
        try {
            SecureFile.write(jpkiCrlFile(), crl.getEncoded(), false);
        } catch (CRLException e) {
            throw new PkiException("could not encode the JPKI CRL", e);
        }
    }

    private boolean crlNeedsRenewal(Path file) {
        if (!Files.isRegularFile(file)) {
            return true;
        }
        try {
            List<X509CRL> crls = Pem.readCrls(file);
            return crls.isEmpty() || crls.get(0).getNextUpdate() == null
                    || crls.get(0).getNextUpdate().toInstant().isBefore(now().plus(Duration.ofDays(1)));
        } catch (PkiException | UncheckedIOException e) {
            return true;
        }
    }

    private Validity leafValidity() {
        return Validity.starting(now().minus(BACKDATE), LEAF_LIFETIME);
    }

    private Instant now() {
        return clock.instant();
    }

    private static char[] newPassword() {
        byte[] random = new byte[18];
        new SecureRandom().nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random).toCharArray();
    }

    private void writePassword(Path file) {
        String text = "# PKCS#12 password of every keystore of this DEVELOPMENT PKI. Never use these keys in production.\n"
                + PASSWORD_KEY + "=" + new String(password) + "\n";
        SecureFile.write(file, text.getBytes(StandardCharsets.ISO_8859_1), true);
    }

    private static char[] readPassword(Path file) {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String value = properties.getProperty(PASSWORD_KEY);
        if (value == null || value.isEmpty()) {
            throw new PkiException(file + " has no " + PASSWORD_KEY);
        }
        return value.toCharArray();
    }
}
