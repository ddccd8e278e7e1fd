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

    /** Signers whose time-stamp authority's failures are only exceptions (the {@code verify-log} command). */
    public MunicipalSigners(MunicipalityRegistry municipalities, KeyFiles keys, jp.kofu.config.KofuSettings settings,
                            Clock clock) {
        this(municipalities, keys, settings, clock, TimestampWatch.NONE);
    }

    @jakarta.inject.Inject
    public MunicipalSigners(MunicipalityRegistry municipalities, KeyFiles keys, jp.kofu.config.KofuSettings settings,
                            Clock clock, TimestampWatch watch) {
        TimestampClient tsa = settings.tsaUrl().map(url -> new TimestampClient(url, watch)).orElse(null);
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

    /** The signing certificate of the municipality, if it has a signer (for the alarm of a key about to expire). */
    public java.util.Optional<java.security.cert.X509Certificate> certificate(String municipalityCode) {
        return java.util.Optional.ofNullable(byCode.get(municipalityCode)).map(DocumentSigner::certificate);
    }

    public DocumentSigner forMunicipality(Municipality m) {
        DocumentSigner signer = byCode.get(m.code());
        if (signer == null) {
            throw new IllegalStateException("no signer for " + m.code());
        }
        return signer;
    }
}
