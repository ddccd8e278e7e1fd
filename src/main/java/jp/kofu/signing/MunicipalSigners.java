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
 * The signing key of each municipality, loaded at start-up and again at each reload of the municipalities file
 * (docs/settings.md): a key on a PKCS#11 token (HSM), its configured PKCS#12, or a generated development key when none is configured and the development PKI is allowed
 * ({@code kofu.dev-pki}; a municipality without a key in a municipalities file stops the start otherwise).
 */
@Singleton
public final class MunicipalSigners {
    private static final Logger LOG = LoggerFactory.getLogger(MunicipalSigners.class);

    private final KeyFiles keys;
    private final Clock clock;
    private final TimestampClient tsa;
    private volatile Map<String, DocumentSigner> byCode;

    /** Signers whose time-stamp authority's failures are only exceptions (the {@code verify-log} command). */
    public MunicipalSigners(MunicipalityRegistry municipalities, KeyFiles keys, jp.kofu.config.KofuSettings settings,
                            Clock clock) {
        this(municipalities, keys, settings, clock, TimestampWatch.NONE);
    }

    @jakarta.inject.Inject
    public MunicipalSigners(MunicipalityRegistry municipalities, KeyFiles keys, jp.kofu.config.KofuSettings settings,
                            Clock clock, TimestampWatch watch) {
        this.keys = keys;
        this.clock = clock;
        this.tsa = settings.tsaUrl().map(url -> new TimestampClient(url, watch)).orElse(null);
        byCode = signers(Map.of(), municipalities.all(), false);
        municipalities.onReload((previous, next) -> {
            Map<String, DocumentSigner> signers = signers(previous, next.values(), true);
            return () -> byCode = signers;
        });
    }

    /**
     * A signer for each municipality. On a reload ({@code check}) a PKCS#12 file is read again (a renewed key often
     * keeps its file name) and checked; a key on a token whose settings did not change stays as it is.
     */
    private Map<String, DocumentSigner> signers(Map<String, Municipality> previous, Iterable<Municipality> all,
                                                boolean check) {
        Map<String, DocumentSigner> result = new HashMap<>();
        int index = 0;
        for (Municipality m : all) {
            String where = "municipalities[" + index++ + "]";
            Municipality before = previous.get(m.code());
            DocumentSigner kept = byCode == null ? null : byCode.get(m.code());
            DocumentSigner signer;
            if (kept != null && before != null && m.signingKeystore().isEmpty()
                    && before.signingPkcs11().equals(m.signingPkcs11())
                    && before.signingKeystore().equals(m.signingKeystore())
                    && before.signingKeystorePassword().equals(m.signingKeystorePassword())) {
                signer = kept;
            } else {
                signer = load(m, where);
                if (check) {
                    try {
                        signer.check(clock.instant());
                    } catch (IllegalArgumentException e) {
                        throw new SettingException("kofu.municipalities-file", where + (m.signingPkcs11().isPresent()
                                ? ".signingPkcs11" : ".signingKeystore") + ": " + e.getMessage());
                    }
                }
            }
            result.put(m.code(), signer);
        }
        return Map.copyOf(result);
    }

    private DocumentSigner load(Municipality m, String where) {
        if (m.signingPkcs11().isPresent()) {
            Municipality.Pkcs11Key token = m.signingPkcs11().get();
            DocumentSigner signer;
            try {
                signer = Pkcs11Signers.load(token.config(), token.alias(),
                        m.signingKeystorePassword().orElse("").toCharArray(), clock, tsa);
            } catch (RuntimeException e) {
                throw new SettingException("kofu.municipalities-file",
                        m.code() + ".signingPkcs11: cannot use the key: " + e.getMessage());
            }
            LOG.info("Municipality {} signs with key '{}' of a PKCS#11 token", m.code(), token.alias());
            return signer;
        }
        if (m.signingKeystore().isPresent()) {
            try {
                return DocumentSigner.fromPkcs12(m.signingKeystore().get(),
                        m.signingKeystorePassword().orElse("").toCharArray(), clock, tsa);
            } catch (RuntimeException e) {
                throw new SettingException("kofu.municipalities-file",
                        m.code() + ".signingKeystore: cannot load the key: " + e.getMessage());
            }
        }
        if (!keys.devPkiAllowed()) {
            throw new SettingException("kofu.municipalities-file", where + ".signingKeystore: not set (nor"
                    + " signingPkcs11), so " + m.code() + " has no signing key; " + KeyFiles.NO_DEV_PKI);
        }
        var pki = keys.devPki();
        LOG.warn("Municipality {} signs with a generated DEVELOPMENT key ({})", m.code(),
                pki.signingKeystore(m.code()));
        return DocumentSigner.fromPkcs12(pki.signingKeystore(m.code()), pki.password(), clock, tsa);
    }

    /** The signing certificate of the municipality, if it has a signer (for the alarm of a key about to expire). */
    public java.util.Optional<java.security.cert.X509Certificate> certificate(String municipalityCode) {
        return java.util.Optional.ofNullable(byCode.get(municipalityCode)).map(DocumentSigner::certificate);
    }

    /** The time-stamp authority every signature asks ({@code kofu.tsa.url}); empty when none is configured. */
    public java.util.Optional<TimestampClient> tsa() {
        return java.util.Optional.ofNullable(tsa);
    }

    public DocumentSigner forMunicipality(Municipality m) {
        DocumentSigner signer = byCode.get(m.code());
        if (signer == null) {
            throw new IllegalStateException("no signer for " + m.code());
        }
        return signer;
    }
}
