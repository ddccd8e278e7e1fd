package jp.kofu.signing;

import eu.europa.esig.dss.enumerations.SignatureLevel;
import eu.europa.esig.dss.validation.reports.Reports;
import jp.kofu.TestFiles;
import jp.kofu.TestPackages;
import jp.kofu.demo.Samples;
import jp.kofu.pdf.CertificatePrinter;
import jp.kofu.pdf.PrintOutcome;
import jp.kofu.pki.Credential;
import jp.kofu.pki.DevPki;
import jp.kofu.pki.Pem;
import jp.kofu.pki.Pkcs12;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.Provider;
import java.security.Security;
import java.security.cert.Certificate;
import java.time.Clock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The municipality's key on a PKCS#11 token (SoftHSM standing in for the HSM): the token signs, the key cannot be
 * read out, and the certificate it signs is a PAdES signature DSS accepts.
 */
final class Pkcs11SigningTest {
    private static final char[] PIN = "246810".toCharArray();
    /** SOFTHSM2_CONF of the test JVM points here (pom.xml), so the tokens live under target/, not in /var/lib. */
    private static final Path HOME = Path.of("target/softhsm").toAbsolutePath();
    private static Path config;
    private static DevPki pki;
    private static Path work;

    @BeforeAll
    static void initialiseAToken() throws Exception {
        TestPackages.install();
        TestFiles.deleteRecursively(HOME);
        Files.createDirectories(HOME.resolve("tokens"));
        Files.writeString(HOME.resolve("softhsm2.conf"), "directories.tokendir = " + HOME.resolve("tokens") + "\n"
                + "objectstore.backend = file\nlog.level = ERROR\n");
        ProcessBuilder init = new ProcessBuilder("softhsm2-util", "--init-token", "--free", "--label", "kofu-seal",
                "--pin", new String(PIN), "--so-pin", "13579246").redirectErrorStream(true);
        init.environment().put("SOFTHSM2_CONF", HOME.resolve("softhsm2.conf").toString());
        Process process = init.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), output);
        Matcher slot = Pattern.compile("reassigned to slot (\\d+)").matcher(output);
        assertTrue(slot.find(), output);
        config = HOME.resolve("pkcs11.cfg");
        Files.writeString(config, "name = KofuSeal\nlibrary = /usr/lib/softhsm/libsofthsm2.so\nslot = "
                + slot.group(1) + "\n");

        // The city's key ceremony: the key and its certificate are put on the token once (here from the dev PKI).
        work = Files.createTempDirectory("kofu-pkcs11");
        pki = DevPki.open(work.resolve("dev-pki"), Clock.systemUTC());
        Credential seal = Pkcs12.read(pki.signingKeystore("112038"), pki.password());
        Provider provider = Security.getProvider("SunPKCS11").configure(config.toString());
        KeyStore token = KeyStore.getInstance("PKCS11", provider);
        token.load(null, PIN);
        token.setKeyEntry("seal-112038", seal.privateKey(), PIN, seal.chain().toArray(new Certificate[0]));
    }

    @AfterAll
    static void cleanUp() {
        TestFiles.deleteRecursively(work);
    }

    @Test
    void theTokenSignsAPadesCertificateWithAKeyThatCannotBeReadOut() throws Exception {
        DocumentSigner signer = Pkcs11Signers.load(config, "seal-112038", PIN, java.time.Clock.systemUTC(), null);
        PrintOutcome outcome = new CertificatePrinter().print(Samples.cases().get(2).content(), signer);
        byte[] pdf = ((PrintOutcome.Printed) outcome).signedPdf();

        Reports reports = DssValidation.validate(pdf, Pem.readCertificates(pki.signingCa()).get(0));
        String id = reports.getSimpleReport().getFirstSignatureId();
        assertEquals(SignatureLevel.PAdES_BASELINE_B, reports.getSimpleReport().getSignatureFormat(id));
        var signature = reports.getDiagnosticData().getSignatureById(id);
        assertTrue(signature.isSignatureIntact() && signature.isSignatureValid(), "signature made by the token");
        assertTrue(signature.isTrustedChain(), "chain to the signing CA");

        KeyStore token = KeyStore.getInstance("PKCS11", Security.getProvider("SunPKCS11-KofuSeal"));
        token.load(null, PIN);
        assertNull(((java.security.PrivateKey) token.getKey("seal-112038", PIN)).getEncoded(),
                "the private key stays on the token");
    }

    @Test
    void anUnknownKeyOrAMissingConfigurationStopsTheStartWithAClearReason() {
        // (A wrong PIN cannot be shown here: the token stays logged in for the whole JVM once a test has logged in.)
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> Pkcs11Signers.load(config, "no-such-key", PIN, java.time.Clock.systemUTC(), null));
        assertTrue(unknown.getMessage().contains("no private key 'no-such-key'"), unknown.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> Pkcs11Signers.load(HOME.resolve("absent.cfg"), "seal-112038", PIN, java.time.Clock.systemUTC(), null));
        assertTrue(missing.getMessage().contains("configuration not found"), missing.getMessage());
    }
}
