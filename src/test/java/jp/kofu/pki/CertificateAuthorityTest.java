package jp.kofu.pki;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Path;
import java.security.Signature;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import javax.security.auth.x500.X500Principal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class CertificateAuthorityTest {
    private static final Instant NOW = Instant.parse("2026-11-22T00:00:00Z");
    private static final Validity YEAR = Validity.starting(NOW, Duration.ofDays(365));
    private static final CertificateAuthority ROOT = CertificateAuthority.createRoot("CN=Test Root, O=Kofu, C=JP", YEAR);

    @Test
    void createsSelfSignedRootWithCriticalCaConstraintAndSigningKeyUsage() throws Exception {
        X509Certificate root = ROOT.certificate();

        root.verify(root.getPublicKey());
        assertEquals(root.getSubjectX500Principal(), root.getIssuerX500Principal());
        assertEquals("SHA256withRSA", root.getSigAlgName());
        assertEquals(2048, ((RSAPublicKey) root.getPublicKey()).getModulus().bitLength());
        assertTrue(root.getBasicConstraints() >= 0);
        assertTrue(root.getCriticalExtensionOIDs().containsAll(Set.of("2.5.29.19", "2.5.29.15")));
        boolean[] keyUsage = root.getKeyUsage();
        assertTrue(keyUsage[5] && keyUsage[6]);
        assertFalse(keyUsage[0]);
        assertEquals(YEAR.notBefore(), root.getNotBefore().toInstant());
        assertEquals(YEAR.notAfter(), root.getNotAfter().toInstant());
    }

    @Test
    void usesRandomPositiveSerialsOfAtLeast64Bits() {
        List<BigInteger> serials = List.of(ROOT.issueTlsClient("CN=a", YEAR).certificate().getSerialNumber(),
                ROOT.issueTlsClient("CN=b", YEAR).certificate().getSerialNumber(), ROOT.certificate().getSerialNumber());

        for (BigInteger serial : serials) {
            assertEquals(1, serial.signum());
            assertTrue(serial.bitLength() >= 64 && serial.bitLength() <= 159, serial.toString(16));
        }
        assertEquals(3, Set.copyOf(serials).size());
    }

    @Test
    void issuesTlsServerCertificateForLocalhostAndLoopbackAddresses() throws Exception {
        Credential server = ROOT.issueTlsServer("localhost", List.of("localhost"),
                List.of(InetAddress.getByName("127.0.0.1"), InetAddress.getByName("::1")), YEAR);
        X509Certificate certificate = server.certificate();

        certificate.verify(ROOT.certificate().getPublicKey());
        Set<String> names = certificate.getSubjectAlternativeNames().stream()
                .map(name -> name.get(0) + ":" + name.get(1)).collect(Collectors.toSet());
        assertEquals(Set.of("2:localhost", "7:127.0.0.1", "7:0:0:0:0:0:0:0:1"), names);
        assertEquals(List.of("1.3.6.1.5.5.7.3.1"), certificate.getExtendedKeyUsage());
        assertEquals(-1, certificate.getBasicConstraints());
        assertEquals(List.of(certificate, ROOT.certificate()), server.chain());
    }

    @Test
    void issuesClientAndDocumentSigningCertificates() throws Exception {
        X509Certificate client = ROOT.issueTlsClient("CN=center, O=Kofu, C=JP", YEAR).certificate();
        X509Certificate seal = ROOT.issueDocumentSigning("CN=川口市長, C=JP", YEAR).certificate();

        assertEquals(List.of("1.3.6.1.5.5.7.3.2"), client.getExtendedKeyUsage());
        assertTrue(seal.getKeyUsage()[0] && seal.getKeyUsage()[1]);
        assertEquals("CN=川口市長,C=JP", seal.getSubjectX500Principal().getName());
    }

    @Test
    void issuesCardCertificatesWithOnlyCountryAndOpaqueIdAndCriticalDigitalSignature() {
        X509Certificate card = ROOT.issueCardAuthentication(YEAR).certificate();
        X509Certificate other = ROOT.issueCardAuthentication(YEAR).certificate();
        X509Certificate noSignature = ROOT.issueCardWithoutDigitalSignature(YEAR).certificate();

        assertTrue(card.getSubjectX500Principal().getName().matches("CN=[0-9A-F]{32},C=JP"));
        assertNotEquals(card.getSubjectX500Principal(), other.getSubjectX500Principal());
        assertTrue(card.getCriticalExtensionOIDs().contains("2.5.29.15"));
        assertTrue(card.getKeyUsage()[0]);
        assertFalse(noSignature.getKeyUsage()[0]);
        assertEquals(2048, ((RSAPublicKey) card.getPublicKey()).getModulus().bitLength());
    }

    @Test
    void intermediateChainsToRoot() throws Exception {
        CertificateAuthority intermediate = ROOT.issueIntermediate("CN=Sub, O=Kofu, C=JP", YEAR);
        Credential leaf = intermediate.issueTlsClient("CN=leaf", YEAR);

        assertEquals(List.of(leaf.certificate(), intermediate.certificate(), ROOT.certificate()), leaf.chain());
        leaf.certificate().verify(intermediate.certificate().getPublicKey());
        intermediate.certificate().verify(ROOT.certificate().getPublicKey());
        assertEquals(0, intermediate.certificate().getBasicConstraints());
    }

    @Test
    void issuesCrlsListingRevokedSerials() throws Exception {
        BigInteger revoked = new BigInteger("0a1b2c3d4e5f60718293", 16);
        X509CRL crl = ROOT.issueCrl(NOW, NOW.plus(Duration.ofDays(30)), List.of(revoked));

        crl.verify(ROOT.certificate().getPublicKey());
        assertEquals(ROOT.certificate().getSubjectX500Principal(), crl.getIssuerX500Principal());
        assertEquals(NOW, crl.getThisUpdate().toInstant());
        assertEquals(NOW.plus(Duration.ofDays(30)), crl.getNextUpdate().toInstant());
        assertNotNull(crl.getRevokedCertificate(revoked));
        assertEquals(1, crl.getRevokedCertificates().size());
    }

    @Test
    void writesAndReadsPemFiles(@TempDir Path folder) throws Exception {
        Credential client = ROOT.issueTlsClient("CN=client", YEAR);
        X509CRL crl = ROOT.issueCrl(NOW, NOW.plus(Duration.ofDays(1)), List.of(BigInteger.TEN));
        Pem.writeCertificates(folder.resolve("chain.pem"), client.chain());
        Pem.writePrivateKey(folder.resolve("key.pem"), client.privateKey());
        Pem.writeCrl(folder.resolve("ca.crl"), crl);

        assertEquals(client.chain(), Pem.readCertificates(folder.resolve("chain.pem")));
        assertArrayEquals(client.privateKey().getEncoded(), Pem.readPrivateKey(folder.resolve("key.pem")).getEncoded());
        assertTrue(Pem.privateKey(client.privateKey()).startsWith("-----BEGIN PRIVATE KEY-----"));
        assertEquals(List.of(crl), Pem.readCrls(folder.resolve("ca.crl")));
        assertEquals(Set.of(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                java.nio.file.attribute.PosixFilePermission.OWNER_WRITE),
                java.nio.file.Files.getPosixFilePermissions(folder.resolve("key.pem")));
    }

    @Test
    void writesAndReadsPkcs12WithKeyAndChain(@TempDir Path folder) throws Exception {
        CertificateAuthority intermediate = ROOT.issueIntermediate("CN=Sub", YEAR);
        Credential seal = intermediate.issueDocumentSigning("CN=seal", YEAR);
        Path file = folder.resolve("seal.p12");
        Pkcs12.write(file, seal, "secret".toCharArray());

        Credential loaded = Pkcs12.read(file, "secret".toCharArray());

        assertEquals(seal.chain(), loaded.chain());
        Signature signature = Signature.getInstance("SHA256withRSA");
        signature.initSign(loaded.privateKey());
        signature.update(new byte[] {1, 2, 3});
        byte[] value = signature.sign();
        signature.initVerify(seal.certificate());
        signature.update(new byte[] {1, 2, 3});
        assertTrue(signature.verify(value));
        assertThrows(PkiException.class, () -> Pkcs12.read(file, "wrong".toCharArray()));
        assertEquals(intermediate.certificate(), CertificateAuthority.of(intermediate.credential()).certificate());
        assertThrows(PkiException.class, () -> CertificateAuthority.of(loaded));
    }

    @Test
    void credentialNeverPrintsItsKey() {
        Credential client = ROOT.issueTlsClient("CN=client", YEAR);

        assertEquals("Credential[CN=client]", client.toString());
        assertEquals(new X500Principal("CN=client"), client.certificate().getSubjectX500Principal());
    }
}
