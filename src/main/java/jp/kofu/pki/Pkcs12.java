package jp.kofu.pki;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** PKCS#12 files holding one private key with its certificate chain, protected by a password. */
public final class Pkcs12 {
    private static final String ALIAS = "key";

    private Pkcs12() {}

    /** Writes the credential (readable by the owner only where supported). */
    public static void write(Path file, Credential credential, char[] password) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(ALIAS, credential.privateKey(), password,
                    credential.chain().toArray(Certificate[]::new));
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            store.store(bytes, password);
            SecureFile.write(file, bytes.toByteArray(), true);
        } catch (GeneralSecurityException | IOException e) {
            throw new PkiException("could not write the PKCS#12 file " + file, e);
        }
    }

    /** Reads the first private key entry and its chain. A wrong password is a {@link PkiException}. */
    public static Credential read(Path file, char[] password) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(new ByteArrayInputStream(bytes), password);
            for (String alias : Collections.list(store.aliases())) {
                if (!store.isKeyEntry(alias)) {
                    continue;
                }
                Key key = store.getKey(alias, password);
                Certificate[] chain = store.getCertificateChain(alias);
                if (key instanceof PrivateKey privateKey && chain != null && chain.length > 0) {
                    List<X509Certificate> certificates = new ArrayList<>();
                    for (Certificate certificate : chain) {
                        certificates.add((X509Certificate) certificate);
                    }
                    return new Credential(privateKey, certificates);
                }
            }
        } catch (GeneralSecurityException | IOException e) {
            throw new PkiException("could not read the PKCS#12 file " + file + " (wrong password?)", e);
        }
        throw new PkiException("no private key with a certificate in the PKCS#12 file " + file);
    }
}
