package jp.kofu.pki;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.Signature;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class DevPkiTest {
    private static final Instant NOW = Instant.parse("2026-11-22T00:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    @TempDir
    Path folder;

    @Test
    void generatesOnceAndLoadsAtTheNextOpen() throws Exception {
        DevPki first = DevPki.open(folder.resolve("dev-pki"), CLOCK);
        Map<Path, byte[]> files = contents(first.directory());

        DevPki second = DevPki.open(folder.resolve("dev-pki"), CLOCK);

        assertEquals(files.keySet(), contents(second.directory()).keySet());
        files.forEach((file, bytes) -> assertArrayEquals(bytes, readUnchecked(file), file.toString()));
        assertArrayEquals(first.password(), second.password());
        for (Path file : List.of(first.tlsCertificateChain(), first.tlsPrivateKey(), first.tlsCa(), first.centerCa(),
                first.centerClientKeystore(), first.centerClientChain(), first.centerClientKey(), first.syncCa(),
                first.syncClientKeystore(), first.syncClientChain(), first.syncClientKey(), first.jpkiTrustAnchors(),
                first.jpkiCrlDir().resolve("jpki-root.crl"), first.jpkiCaKeystore(), first.signingCa())) {
            assertTrue(Files.isRegularFile(file), file.toString());
            assertTrue(first.describe().contains(file.toString()) || file.startsWith(first.jpkiCrlDir()), file.toString());
        }
        assertTrue(first.describe().contains(first.jpkiCrlDir().toString()));
        assertFalse(first.describe().contains(new String(first.password())));
    }

    @Test
    void tlsServerCertificateChainsToTheTlsCaForLocalhost() throws Exception {
        DevPki pki = DevPki.open(folder, CLOCK);
        List<X509Certificate> chain = Pem.readCertificates(pki.tlsCertificateChain());
        X509Certificate ca = Pem.readCertificates(pki.tlsCa()).get(0);

        validate(chain, ca);
        assertEquals(List.of("1.3.6.1.5.5.7.3.1"), chain.get(0).getExtendedKeyUsage());
        assertTrue(chain.get(0).getSubjectAlternativeNames().stream().map(name -> name.get(1))
                .toList().containsAll(List.of("localhost", "127.0.0.1", "0:0:0:0:0:0:0:1")));
        assertKeyMatches(Pem.readPrivateKey(pki.tlsPrivateKey()), chain.get(0));
    }

    @Test
    void centerAndSyncClientsChainOnlyToTheirOwnCa() throws Exception {
        DevPki pki = DevPki.open(folder, CLOCK);
        X509Certificate centerCa = Pem.readCertificates(pki.centerCa()).get(0);
        X509Certificate syncCa = Pem.readCertificates(pki.syncCa()).get(0);
        Credential center = Pkcs12.read(pki.centerClientKeystore(), pki.password());
        Credential sync = Pkcs12.read(pki.syncClientKeystore(), pki.password());

        validate(center.chain(), centerCa);
        validate(sync.chain(), syncCa);
        assertThrows(CertPathValidatorException.class, () -> validate(center.chain(), syncCa));
        assertThrows(CertPathValidatorException.class, () -> validate(sync.chain(), centerCa));
        assertEquals(center.chain(), Pem.readCertificates(pki.centerClientChain()));
        assertKeyMatches(Pem.readPrivateKey(pki.centerClientKey()), center.certificate());
        assertEquals(List.of("1.3.6.1.5.5.7.3.2"), center.certificate().getExtendedKeyUsage());
    }

    @Test
    void jpkiRootIsMarkedAsTestAndItsCrlIsCurrent() throws Exception {
        DevPki pki = DevPki.open(folder, CLOCK);
        X509Certificate root = Pem.readCertificates(pki.jpkiTrustAnchors()).get(0);
        X509CRL crl = Pem.readCrls(pki.jpkiCrlDir().resolve("jpki-root.crl")).get(0);

        assertEquals("OU=JPKI for user authentication (TEST),O=JPKI (TEST),C=JP", root.getSubjectX500Principal().getName());
        crl.verify(root.getPublicKey());
        assertTrue(crl.getNextUpdate().toInstant().isAfter(NOW.plus(Duration.ofDays(29))));
        assertTrue(crl.getRevokedCertificates() == null || crl.getRevokedCertificates().isEmpty());
        assertEquals(root, Pkcs12.read(pki.jpkiCaKeystore(), pki.password()).certificate());
    }

    @Test
    void renewsTheJpkiCrlWhenItHasExpiredAtOpen() throws Exception {
        DevPki.open(folder, CLOCK);
        Instant later = NOW.plus(Duration.ofDays(45));

        DevPki pki = DevPki.open(folder, Clock.fixed(later, ZoneOffset.UTC));

        X509CRL crl = Pem.readCrls(pki.jpkiCrlDir().resolve("jpki-root.crl")).get(0);
        assertTrue(crl.getNextUpdate().toInstant().isAfter(later.plus(Duration.ofDays(29))));
        crl.verify(Pem.readCertificates(pki.jpkiTrustAnchors()).get(0).getPublicKey());
    }

    @Test
    void issuesEachDemoCardAndSigningKeyOnce() throws Exception {
        DevPki pki = DevPki.open(folder, CLOCK);

        Path card = pki.issueCard("alice");
        byte[] bytes = Files.readAllBytes(card);
        assertEquals(card, pki.issueCard("alice"));
        assertArrayEquals(bytes, Files.readAllBytes(card));
        assertEquals(pki.directory().resolve("cards/alice.p12"), card);
        Credential alice = Pkcs12.read(card, pki.password());
        assertNotEquals(alice.certificate(), Pkcs12.read(pki.issueCard("bob"), pki.password()).certificate());
        validate(alice.chain(), Pem.readCertificates(pki.jpkiTrustAnchors()).get(0));
        assertTrue(alice.certificate().getKeyUsage()[0]);

        Path seal = pki.signingKeystore("112038");
        assertEquals(pki.directory().resolve("signing/112038.p12"), seal);
        Credential sealKey = Pkcs12.read(seal, pki.password());
        validate(sealKey.chain(), Pem.readCertificates(pki.signingCa()).get(0));
        assertTrue(sealKey.certificate().getKeyUsage()[1]);
        assertArrayEquals(Files.readAllBytes(seal), Files.readAllBytes(pki.signingKeystore("112038")));

        assertThrows(IllegalArgumentException.class, () -> pki.issueCard("../escape"));
        assertThrows(IllegalArgumentException.class, () -> pki.signingKeystore("11203/"));
    }

    @Test
    void keepsPasswordsAndKeysReadableByTheOwnerOnly() throws Exception {
        DevPki pki = DevPki.open(folder, CLOCK);

        for (Path secret : List.of(pki.directory().resolve("passwords.properties"), pki.tlsPrivateKey(),
                pki.centerClientKeystore(), pki.jpkiCaKeystore(), pki.issueCard("carol"))) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(secret)),
                    secret.toString());
        }
    }

    private static void validate(List<X509Certificate> chain, X509Certificate anchor) throws Exception {
        List<X509Certificate> path = chain.stream().filter(c -> !c.equals(anchor)).toList();
        PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(anchor, null)));
        parameters.setRevocationEnabled(false);
        parameters.setDate(java.util.Date.from(NOW));
        CertPathValidator.getInstance("PKIX")
                .validate(CertificateFactory.getInstance("X.509").generateCertPath(path), parameters);
    }

    private static void assertKeyMatches(java.security.PrivateKey key, X509Certificate certificate) throws Exception {
        Signature signature = Signature.getInstance("SHA256withRSA");
        signature.initSign(key);
        signature.update(new byte[] {42});
        byte[] value = signature.sign();
        signature.initVerify(certificate);
        signature.update(new byte[] {42});
        assertTrue(signature.verify(value));
    }

    private static Map<Path, byte[]> contents(Path directory) throws Exception {
        Map<Path, byte[]> result = new HashMap<>();
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                result.put(file, Files.readAllBytes(file));
            }
        }
        return result;
    }

    private static byte[] readUnchecked(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
