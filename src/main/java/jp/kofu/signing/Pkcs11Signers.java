package jp.kofu.signing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Security;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * A municipality's signing key held in an HSM, reached through the JDK's SunPKCS11 provider: the key never leaves
 * the token; the token signs. The provider is configured from a SunPKCS11 configuration file (library, slot) and
 * registered, so that the signature engine is chosen by the key (JCA's delayed provider selection).
 */
public final class Pkcs11Signers {
    private Pkcs11Signers() {}

    /**
     * The signer of key {@code alias} (its CKA_LABEL) on the token that {@code config} describes, logged in with
     * {@code pin}. The token must hold the certificate of the key (and may hold its chain).
     */
    public static DocumentSigner load(Path config, String alias, char[] pin, Clock clock, TimestampClient tsa) {
        if (!Files.isRegularFile(config)) {
            throw new IllegalArgumentException("SunPKCS11 configuration not found: " + config);
        }
        try {
            Provider provider = provider(config);
            KeyStore token = KeyStore.getInstance("PKCS11", provider);
            token.load(null, pin);
            Key key = token.getKey(alias, pin);
            if (!(key instanceof PrivateKey privateKey)) {
                throw new IllegalArgumentException("no private key '" + alias + "' on the token (keys: "
                        + java.util.Collections.list(token.aliases()) + ")");
            }
            Certificate[] chain = token.getCertificateChain(alias);
            if (chain == null || chain.length == 0) {
                throw new IllegalArgumentException("no certificate for key '" + alias + "' on the token");
            }
            List<X509Certificate> certificates = new ArrayList<>();
            for (Certificate c : chain) {
                certificates.add((X509Certificate) c);
            }
            return new DocumentSigner(privateKey, certificates, clock, tsa);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("cannot use the PKCS#11 token of " + config + ": " + e.getMessage(), e);
        }
    }

    /** One provider per configuration file, registered once. */
    private static synchronized Provider provider(Path config) {
        Provider configured = Security.getProvider("SunPKCS11").configure(config.toAbsolutePath().toString());
        Provider registered = Security.getProvider(configured.getName());
        if (registered != null) {
            return registered;
        }
        Security.addProvider(configured);
        return configured;
    }
}
