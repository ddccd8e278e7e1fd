package jp.kofu.pdf;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jp.kofu.config.KofuSettings;
import jp.kofu.config.SettingException;
import jp.kofu.municipality.Municipality;
import jp.kofu.municipality.MunicipalityRegistry;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The forms of the municipalities served: each one's layout ({@code layouts/<name>.json} of the templates folder,
 * {@code kofu.pdf.templates-dir}, or of the templates built into the jar) and its 公印. All are read and checked
 * when the service starts, so a broken layout or a missing seal stops the start, not an issuance.
 */
@Singleton
public final class CertificateForms {
    /** The layout a municipality gets when its entry names none. */
    public static final String DEFAULT_LAYOUT = "setai-renki";

    private final Optional<Path> templatesDir;
    private final Map<String, FormLayout> layouts = new ConcurrentHashMap<>();
    private final Map<String, CertificateForm> byMunicipality = new ConcurrentHashMap<>();

    @Inject
    public CertificateForms(KofuSettings settings, MunicipalityRegistry municipalities) {
        this(settings.templatesDir());
        byMunicipality.putAll(checkedForms(municipalities.all()));
        // A reload reads every municipality's seal and layout again (a seal may change under the same file name).
        municipalities.onReload((previous, next) -> {
            Map<String, CertificateForm> forms = checkedForms(next.values());
            return () -> byMunicipality.putAll(forms);
        });
    }

    /** The 住民票の写し form of each municipality, every kind of its forms checked: a broken one names its municipality. */
    private Map<String, CertificateForm> checkedForms(Iterable<Municipality> all) {
        Map<String, CertificateForm> forms = new java.util.HashMap<>();
        for (Municipality m : all) {
            try {
                CertificateForm juminhyo = new CertificateForm(layout(m.layout()),
                        m.sealImage().map(SealImage::read).orElseGet(() -> SealImage.dev(m.mayorTitle())));
                forms.put(m.code(), juminhyo);
                for (FormLayout.Kind kind : FormLayout.Kind.values()) {
                    forKind(m, juminhyo, kind);
                }
            } catch (RuntimeException e) {
                throw new SettingException("kofu.municipalities-file",
                        "municipality " + m.code() + ": " + e.getMessage());
            }
        }
        return forms;
    }

    /** Forms from {@code templatesDir}, or from the jar's own templates when it is empty. */
    public CertificateForms(Optional<Path> templatesDir) {
        this.templatesDir = templatesDir;
    }

    /** The jar's own templates: for the samples command and the benchmarks. */
    public static CertificateForms builtIn() {
        return new CertificateForms(Optional.empty());
    }

    /** The municipality's 住民票の写し form. */
    public CertificateForm forMunicipality(Municipality m) {
        return byMunicipality.computeIfAbsent(m.code(), code -> new CertificateForm(layout(m.layout()),
                m.sealImage().map(SealImage::read).orElseGet(() -> SealImage.dev(m.mayorTitle()))));
    }

    /**
     * The municipality's form of a certificate {@code kind}, with its 公印: for 住民票の写し its {@code layout}; for
     * 住民票記載事項証明書 {@code kisai-<layout>} when there is one (built in: {@code kisai-setai-renki},
     * {@code kisai-kojin}), else {@code kisai-setai-renki}; for 印鑑登録証明書 {@code inkan}; for the 戸籍 path
     * {@code koseki-zenbu}, {@code koseki-kojin} and {@code koseki-fuhyo}.
     */
    public CertificateForm forMunicipality(Municipality m, FormLayout.Kind kind) {
        return forKind(m, forMunicipality(m), kind);
    }

    private CertificateForm forKind(Municipality m, CertificateForm juminhyo, FormLayout.Kind kind) {
        return switch (kind) {
            case JUMINHYO -> juminhyo;
            case KISAI -> new CertificateForm(kisaiLayout(m.layout()), juminhyo.seal());
            case INKAN -> new CertificateForm(checked("inkan", FormLayout.Kind.INKAN), juminhyo.seal());
            case KOSEKI_ZENBU -> new CertificateForm(checked("koseki-zenbu", kind), juminhyo.seal());
            case KOSEKI_KOJIN -> new CertificateForm(checked("koseki-kojin", kind), juminhyo.seal());
            case KOSEKI_FUHYO -> new CertificateForm(checked("koseki-fuhyo", kind), juminhyo.seal());
        };
    }

    private FormLayout kisaiLayout(String juminhyoLayout) {
        String own = "kisai-" + juminhyoLayout;
        return checked(exists(own) ? own : "kisai-" + DEFAULT_LAYOUT, FormLayout.Kind.KISAI);
    }

    private FormLayout checked(String name, FormLayout.Kind kind) {
        FormLayout layout = layout(name);
        if (layout.kind() != kind) {
            throw new IllegalArgumentException("layout " + name + " is a " + layout.kind() + " form, not " + kind);
        }
        return layout;
    }

    private boolean exists(String name) {
        String file = "layouts/" + name + ".json";
        return layouts.containsKey(name)
                || templatesDir.map(d -> Files.isRegularFile(d.resolve(file))).orElse(false)
                || CertificateForms.class.getResource("/pdf-templates/" + file) != null;
    }

    /** A layout by name, read once. */
    public FormLayout layout(String name) {
        if (!name.matches("[a-z0-9][a-z0-9-]*")) {
            throw new IllegalArgumentException("layout name '" + name + "': lower-case letters, digits and '-' only");
        }
        return layouts.computeIfAbsent(name, this::read);
    }

    private FormLayout read(String name) {
        String file = "layouts/" + name + ".json";
        try {
            if (templatesDir.isPresent()) {
                Path path = templatesDir.get().resolve(file);
                if (Files.isRegularFile(path)) {
                    try (InputStream in = Files.newInputStream(path)) {
                        return FormLayout.read(in, path.toString());
                    }
                }
            }
            try (InputStream in = CertificateForms.class.getResourceAsStream("/pdf-templates/" + file)) {
                if (in == null) {
                    throw new IllegalArgumentException("no layout '" + name + "' (looked for " + file
                            + templatesDir.map(d -> " in " + d + " and").orElse("") + " in the built-in templates)");
                }
                return FormLayout.read(in, "built-in " + file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read layout " + name, e);
        }
    }
}
