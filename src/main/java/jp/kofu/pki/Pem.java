package jp.kofu.pki;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CRLException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

/**
 * PEM text of certificates, certificate lists, PKCS#8 private keys and CRLs, and reading them back. Private key
 * files are written readable by the owner only where the file system supports POSIX permissions.
 */
public final class Pem {
    private Pem() {}

    /** PEM text of the certificates, in order. */
    public static String certificates(List<X509Certificate> certificates) {
        return write(certificates.toArray());
    }

    /** PEM text ({@code PRIVATE KEY}, unencrypted PKCS#8) of a private key. */
    public static String privateKey(PrivateKey key) {
        try {
            return write(new JcaPKCS8Generator(key, null));
        } catch (org.bouncycastle.util.io.pem.PemGenerationException e) {
            throw new PkiException("could not encode the private key as PKCS#8", e);
        }
    }

    /** PEM text ({@code X509 CRL}) of a CRL. */
    public static String crl(X509CRL crl) {
        return write(crl);
    }

    public static void writeCertificates(Path file, List<X509Certificate> certificates) {
        SecureFile.write(file, certificates(certificates).getBytes(StandardCharsets.US_ASCII), false);
    }

    public static void writePrivateKey(Path file, PrivateKey key) {
        SecureFile.write(file, privateKey(key).getBytes(StandardCharsets.US_ASCII), true);
    }

    public static void writeCrl(Path file, X509CRL crl) {
        SecureFile.write(file, crl(crl).getBytes(StandardCharsets.US_ASCII), false);
    }

    /** Every certificate of a PEM (or DER) file, in file order. */
    public static List<X509Certificate> readCertificates(Path file) {
        byte[] bytes = read(file);
        try {
            List<X509Certificate> result = new ArrayList<>();
            CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(bytes))
                    .forEach(certificate -> result.add((X509Certificate) certificate));
            return List.copyOf(result);
        } catch (CertificateException e) {
            throw new PkiException("not a certificate file: " + file, e);
        }
    }

    /** The first private key of a PEM file ({@code PRIVATE KEY} or {@code RSA PRIVATE KEY}, unencrypted). */
    public static PrivateKey readPrivateKey(Path file) {
        String text = new String(read(file), StandardCharsets.US_ASCII);
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        try (PEMParser parser = new PEMParser(new StringReader(text))) {
            for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
                if (object instanceof PrivateKeyInfo info) {
                    return converter.getPrivateKey(info);
                }
                if (object instanceof PEMKeyPair pair) {
                    return converter.getKeyPair(pair).getPrivate();
                }
            }
        } catch (IOException e) {
            throw new PkiException("not a readable private key file: " + file, e);
        }
        throw new PkiException("no unencrypted private key in " + file);
    }

    /** Every CRL of a PEM or DER file. */
    public static List<X509CRL> readCrls(Path file) {
        byte[] bytes = read(file);
        try {
            List<X509CRL> result = new ArrayList<>();
            CertificateFactory.getInstance("X.509").generateCRLs(new ByteArrayInputStream(bytes))
                    .forEach(crl -> result.add((X509CRL) crl));
            return List.copyOf(result);
        } catch (CertificateException | CRLException e) {
            throw new PkiException("not a CRL file: " + file, e);
        }
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String write(Object... objects) {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            for (Object object : objects) {
                writer.writeObject(object);
            }
        } catch (IOException e) {
            throw new PkiException("could not encode PEM", e);
        }
        return text.toString();
    }
}
