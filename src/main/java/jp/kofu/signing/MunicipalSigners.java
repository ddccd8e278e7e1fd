package jp.kofu.signing;

import jakarta.inject.Singleton;
import jp.kofu.config.KeyFiles;
import jp.kofu.config.SettingException;
import jp.kofu.municipality.Municipality;
import jp.kofu.municipality.MunicipalityRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * The signing key of each municipality, loaded once at start-up: a key on a PKCS#11 token (HSM), its configured
 * PKCS#12, or a generated development key when none is configured and the development PKI is allowed
 * ({@code kofu.dev-pki}; a municipality without a key in a municipalities file stops the start otherwise).
 */
@Singleton
public final class MunicipalSigners {
    private static final Logger LOG = LoggerFactory.getLogger(MunicipalSigners.class);

    private final Map<String, DocumentSigner> byCode = new HashMap<>();
    private final java.util.Optional<TimestampClient> tsa;

    public MunicipalSigners(MunicipalityRegistry municipalities, KeyFiles keys, jp.kofu.config.KofuSettings settings,
                            Clock clock) {
        TimestampClient tsa = settings.tsaUrl().map(TimestampClient::new).orElse(null);
        this.tsa = java.util.Optional.ofNullable(tsa);
        int index = 0;
        for (Municipality m : municipalities.all()) {
            String where = "municipalities[" + index++ + "]";
            DocumentSigner signer;
            if (m.signingPkcs11().isPresent()) {
                Municipality.Pkcs11Key token = m.signingPkcs11().get();
                try {
                    signer = Pkcs11Signers.load(token.config(), token.alias(),
                            m.signingKeystorePassword().orElse("").toCharArray(), clock, tsa);
                } catch (RuntimeException e) {
                    throw new SettingException("kofu.municipalities-file",
                            m.code() + ".signingPkcs11: cannot use the key: " + e.getMessage());
                }
                LOG.info("Municipality {} signs with key '{}' of a PKCS#11 token", m.code(), token.alias());
            } else if (m.signingKeystore().isPresent()) {
                try {
                    signer = DocumentSigner.fromPkcs12(m.signingKeystore().get(),
                            m.signingKeystorePassword().orElse("").toCharArray(), clock, tsa);
                } catch (RuntimeException e) {
                    throw new SettingException("kofu.municipalities-file",
                            m.code() + ".signingKeystore: cannot load the key: " + e.getMessage());
                }
            } else if (!keys.devPkiAllowed()) {
                throw new SettingException("kofu.municipalities-file", where + ".signingKeystore: not set (nor"
                        + " signingPkcs11), so " + m.code() + " has no signing key; " + KeyFiles.NO_DEV_PKI);
            } else {
                var pki = keys.devPki();
                signer = DocumentSigner.fromPkcs12(pki.signingKeystore(m.code()), pki.password(), clock, tsa);
                LOG.warn("Municipality {} signs with a generated DEVELOPMENT key ({})", m.code(),
                        pki.signingKeystore(m.code()));
            }
            byCode.put(m.code(), signer);
        }
    }

    /** The time-stamp authority every signature asks ({@code kofu.tsa.url}); empty when none is configured. */
    public java.util.Optional<TimestampClient> tsa() {
        return tsa;
    }

    public DocumentSigner forMunicipality(Municipality m) {
        DocumentSigner signer = byCode.get(m.code());
        if (signer == null) {
            throw new IllegalStateException("no signer for " + m.code());
        }
        return signer;
    }
}
