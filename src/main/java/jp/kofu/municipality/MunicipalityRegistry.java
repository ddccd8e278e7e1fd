package jp.kofu.municipality;

import jakarta.inject.Singleton;
import jp.kofu.config.KofuSettings;
import jp.kofu.config.SettingException;
import jp.kofu.contract.CertificateType;
import jp.kofu.pki.DevPki;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import javax.security.auth.x500.X500Principal;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The municipalities served here: from {@code kofu.municipalities-file}, or the built-in demo municipality. One
 * immutable snapshot at a time, swapped whole by {@link #reload} (a signal or the ASP's console action,
 * docs/settings.md): a caller that holds a {@link Municipality} keeps the settings it started with, and the next
 * {@link #find} sees the new ones. What other classes derive from the settings (signing keys, forms, kiosks …) is
 * rebuilt by their {@link Listener}, checked before anything is swapped: one bad key refuses the whole reload and the
 * old settings stay.
 */
@Singleton
public final class MunicipalityRegistry {
    static final String KEY = "kofu.municipalities-file";
    private static final Logger OPS = LoggerFactory.getLogger("kofu.ops.settings");

    /**
     * A class that derives state from the settings. {@link #prepare} checks the new settings and builds its new
     * state without using it yet, throwing {@link SettingException} (key and problem) to refuse the reload; the
     * answer is run once every listener has prepared, just before the new snapshot is swapped in.
     */
    public interface Listener {
        Runnable prepare(Map<String, Municipality> previous, Map<String, Municipality> next);
    }

    /** What came of a reload: the codes added, changed and removed, or the refusal (key: problem). */
    public sealed interface Reload {
        record Done(Set<String> added, Set<String> changed, Set<String> removed) implements Reload {}

        record Refused(String message) implements Reload {}
    }

    private final Optional<Path> file;
    private final boolean demo;
    private volatile Map<String, Municipality> byCode;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();

    public MunicipalityRegistry(KofuSettings settings) {
        file = settings.municipalitiesFile();
        demo = file.isEmpty();
        byCode = file.map(MunicipalityRegistry::load).orElseGet(() -> demoOnly(settings.devPki()));
    }

    /** True when no municipalities file is configured and the demo municipality is served. */
    public boolean isDemo() {
        return demo;
    }

    public Optional<Municipality> find(String code) {
        return Optional.ofNullable(byCode.get(code));
    }

    /** The municipalities of the current snapshot, in the file's order. */
    public Collection<Municipality> all() {
        return byCode.values();
    }

    /** The municipalities file, if one is configured. */
    public Optional<Path> file() {
        return file;
    }

    /** Registers a class that derives state from the settings; called from its constructor. */
    public void onReload(Listener listener) {
        listeners.add(listener);
    }

    /**
     * Reads the municipalities file again, validated exactly as at start-up and by every listener, and swaps it in
     * whole, or refuses it whole (the old settings stay). Logged on {@code kofu.ops.settings}.
     */
    public synchronized Reload reload() {
        Reload result = tryReload();
        if (result instanceof Reload.Done d) {
            OPS.info("Municipalities file reloaded: added {}, changed {}, removed {}", d.added(), d.changed(),
                    d.removed());
        } else {
            OPS.warn("Municipalities file reload refused, the settings in use stay: {}",
                    ((Reload.Refused) result).message());
        }
        return result;
    }

    private Reload tryReload() {
        if (file.isEmpty()) {
            return new Reload.Refused(KEY + ": not set; the demo municipality has nothing to reload");
        }
        Map<String, Municipality> previous = byCode;
        Map<String, Municipality> next;
        List<Runnable> commits = new ArrayList<>();
        try {
            next = load(file.get());
            for (Listener l : listeners) {
                commits.add(l.prepare(previous, next));
            }
        } catch (SettingException e) {
            return new Reload.Refused(e.getMessage());
        } catch (RuntimeException e) {
            // Not a setting's fault that a check knows of: the trace is for the operator, the answer stays short.
            OPS.warn("Municipalities file reload failed unexpectedly", e);
            return new Reload.Refused(KEY + ": the reload failed (" + e.getClass().getSimpleName() + "); see the log");
        }
        commits.forEach(Runnable::run);
        byCode = next;
        Set<String> added = new TreeSet<>(next.keySet());
        added.removeAll(previous.keySet());
        Set<String> removed = new TreeSet<>(previous.keySet());
        removed.removeAll(next.keySet());
        Set<String> changed = new TreeSet<>();
        next.forEach((code, m) -> {
            if (previous.containsKey(code) && !previous.get(code).equals(m)) {
                changed.add(code);
            }
        });
        return new Reload.Done(added, changed, removed);
    }

    /** The subject of the development PKI's sync client, which feeds the demo municipality. */
    public static final String DEMO_SYNC_CLIENT = DevPki.SYNC_CLIENT_SUBJECT;

    /** Where the demo municipality's 戸籍 link points: the {@code koseki-sim} command's default port. */
    public static final java.net.URI DEMO_KOSEKI_URL = java.net.URI.create("https://127.0.0.1:8444/");

    /**
     * The contract's example municipality, open around the clock so that a newcomer can try it at any hour, with
     * 戸籍 certificates from the 戸籍 simulator at {@link #DEMO_KOSEKI_URL} (development PKI; docs/koseki.md).
     */
    public static Municipality demoMunicipality() {
        Map<CertificateType, Integer> fees = new EnumMap<>(CertificateType.class);
        fees.put(CertificateType.JUMINHYO, 200);
        fees.put(CertificateType.JUMINHYO_KISAI, 200);
        fees.put(CertificateType.INKAN, 200);
        fees.put(CertificateType.KOSEKI_ZENBU, 450);
        fees.put(CertificateType.KOSEKI_KOJIN, 450);
        fees.put(CertificateType.KOSEKI_FUHYO, 300);
        return new Municipality("112038", "川口市", "川口市長", "見本 太郎",
                ServiceHours.always(LocalTime.MIDNIGHT, null), fees, 15,
                EnumSet.of(PrintOption.INCLUDE_HOUSEHOLDER, PrintOption.INCLUDE_RELATIONSHIP),
                EnumSet.allOf(PrintOption.class), Optional.empty(), Optional.empty(), "setai-renki", Optional.empty(),
                Optional.empty(), Set.of(new X500Principal(DEMO_SYNC_CLIENT)), Set.of(), true,
                Municipality.SealColor.RED, Optional.empty(),
                Optional.of(new Municipality.KosekiLink(DEMO_KOSEKI_URL, Optional.empty(), Optional.empty(),
                        Optional.empty(), Municipality.KosekiLink.DEFAULT_TIMEOUT,
                        Municipality.KosekiLink.DEFAULT_MAX_CONCURRENT_CALLS)));
    }

    /** The demo municipality; its 戸籍 link needs the development PKI, so without it the 戸籍 types are not offered. */
    private static Map<String, Municipality> demoOnly(boolean devPki) {
        Municipality m = demoMunicipality();
        if (!devPki) {
            Map<CertificateType, Integer> fees = new EnumMap<>(m.fees());
            fees.keySet().removeIf(CertificateType::isKoseki);
            m = new Municipality(m.code(), m.name(), m.mayorTitle(), m.mayorName(), m.serviceHours(), fees,
                    m.minimumAge(), m.defaultOptions(), m.offeredOptions(), m.signingKeystore(),
                    m.signingKeystorePassword(), m.layout(), m.sealImage(), m.signingPkcs11(), m.syncClients(),
                    m.stoppedTypes(), m.inkanPrintsSex(), m.sealColor(), m.maxFeedSilence(), Optional.empty());
        }
        return Map.of(m.code(), m);
    }

    static Map<String, Municipality> load(Path file) {
        Object root;
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            root = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
        } catch (org.yaml.snakeyaml.error.MarkedYAMLException e) {
            // Not the parser's message: it quotes the line, which may hold a password.
            var mark = e.getProblemMark();
            throw new SettingException(KEY, file + " is not valid YAML" + (mark == null ? "" : " at line "
                    + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1)) + ": " + e.getProblem());
        } catch (IOException | RuntimeException e) {
            throw new SettingException(KEY, "cannot read " + file + ": " + e.getMessage());
        }
        if (!(root instanceof Map<?, ?> top) || !(top.get("municipalities") instanceof List<?> list) || list.isEmpty()) {
            throw new SettingException(KEY, "expected a non-empty list under 'municipalities'");
        }
        Map<String, Municipality> result = new LinkedHashMap<>();
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof Map<?, ?> entry)) {
                throw new SettingException(KEY, "municipalities[" + i + "] is not a mapping");
            }
            Municipality m = parse(entry, "municipalities[" + i + "]", file.getParent());
            if (result.put(m.code(), m) != null) {
                throw new SettingException(KEY, "municipality code " + m.code() + " appears twice");
            }
        }
        return java.util.Collections.unmodifiableMap(result);
    }

    private static Municipality parse(Map<?, ?> e, String where, Path baseDir) {
        String code = text(e, "code", where);
        if (!MunicipalityCode.isValid(code)) {
            throw new SettingException(KEY, where + ".code: not a 6-digit 全国地方公共団体コード with a valid check digit");
        }
        String name = text(e, "name", where);
        String mayorTitle = text(e, "mayorTitle", where);
        String mayorName = text(e, "mayorName", where);
        ServiceHours hours = ServiceHours.parse(e.get("serviceHours"), KEY, where + ".serviceHours",
                HolidayCalendar.japan());
        Map<CertificateType, Integer> fees = new EnumMap<>(CertificateType.class);
        if (!(e.get("fees") instanceof Map<?, ?> feeMap) || feeMap.isEmpty()) {
            throw new SettingException(KEY, where + ".fees: expected a mapping such as { JUMINHYO: 200 }");
        }
        feeMap.forEach((k, v) -> {
            CertificateType type = type(k, where + ".fees." + k);
            if (!(v instanceof Integer yen) || yen < 0) {
                throw new SettingException(KEY, where + ".fees." + k + ": expected a whole number of yen");
            }
            fees.put(type, yen);
        });
        Set<CertificateType> stopped = EnumSet.noneOf(CertificateType.class);
        if (e.get("stoppedTypes") != null) {
            if (!(e.get("stoppedTypes") instanceof List<?> sl)) {
                throw new SettingException(KEY, where + ".stoppedTypes: expected a list such as [INKAN]");
            }
            for (int i = 0; i < sl.size(); i++) {
                stopped.add(type(sl.get(i), where + ".stoppedTypes[" + i + "]"));
            }
        }
        boolean inkanPrintsSex = flag(e.get("inkanPrintsSex"), true, where + ".inkanPrintsSex");
        Municipality.SealColor sealColor = sealColor(e.get("sealColor"), where + ".sealColor");
        Duration maxFeedSilence = Duration.ofMinutes(60);
        if (e.get("maxFeedSilenceMinutes") != null) {
            if (!(e.get("maxFeedSilenceMinutes") instanceof Integer minutes) || minutes < 1) {
                throw new SettingException(KEY, where + ".maxFeedSilenceMinutes: expected a whole number of minutes, at least 1");
            }
            maxFeedSilence = Duration.ofMinutes(minutes);
        }
        int minimumAge = e.get("minimumAge") == null ? 15 : integer(e.get("minimumAge"), where + ".minimumAge");
        Set<PrintOption> defaults = EnumSet.of(PrintOption.INCLUDE_HOUSEHOLDER, PrintOption.INCLUDE_RELATIONSHIP);
        if (e.get("defaultOptions") instanceof Map<?, ?> dm) {
            defaults = EnumSet.noneOf(PrintOption.class);
            for (var d : dm.entrySet()) {
                PrintOption o = option(d.getKey(), where + ".defaultOptions");
                if (Boolean.TRUE.equals(d.getValue())) {
                    if (o.isOnlyOnRequest()) {
                        throw new SettingException(KEY, where + ".defaultOptions." + o.jsonName()
                                + ": 個人番号 and 住民票コード are printed only when requested; they cannot default to true");
                    }
                    defaults.add(o);
                }
            }
        }
        Set<PrintOption> offered = EnumSet.allOf(PrintOption.class);
        if (e.get("offeredOptions") instanceof List<?> ol) {
            offered = EnumSet.noneOf(PrintOption.class);
            for (Object o : ol) {
                offered.add(option(o, where + ".offeredOptions"));
            }
        }
        Optional<Path> keystore = Optional.ofNullable(e.get("signingKeystore")).map(String::valueOf)
                .map(p -> baseDir == null ? Path.of(p) : baseDir.resolve(p));
        keystore.ifPresent(p -> {
            if (!Files.isRegularFile(p)) {
                throw new SettingException(KEY, where + ".signingKeystore: file not found: " + p);
            }
        });
        Optional<String> password = Optional.ofNullable(e.get("signingKeystorePassword")).map(String::valueOf);
        String layout = e.get("layout") == null ? "setai-renki" : String.valueOf(e.get("layout"));
        Optional<Path> seal = Optional.ofNullable(e.get("sealImage")).map(String::valueOf)
                .map(p -> baseDir == null ? Path.of(p) : baseDir.resolve(p));
        seal.ifPresent(p -> {
            if (!Files.isRegularFile(p)) {
                throw new SettingException(KEY, where + ".sealImage: file not found: " + p);
            }
        });
        Optional<Municipality.Pkcs11Key> pkcs11 = Optional.empty();
        if (e.get("signingPkcs11") instanceof Map<?, ?> token) {
            Object config = token.get("config");
            Object alias = token.get("alias");
            if (config == null || alias == null) {
                throw new SettingException(KEY, where + ".signingPkcs11: needs 'config' (a SunPKCS11 file) and 'alias'");
            }
            Path configFile = baseDir == null ? Path.of(String.valueOf(config)) : baseDir.resolve(String.valueOf(config));
            if (!Files.isRegularFile(configFile)) {
                throw new SettingException(KEY, where + ".signingPkcs11.config: file not found: " + configFile);
            }
            if (keystore.isPresent()) {
                throw new SettingException(KEY, where + ": give signingKeystore or signingPkcs11, not both");
            }
            pkcs11 = Optional.of(new Municipality.Pkcs11Key(configFile, String.valueOf(alias)));
        }
        return new Municipality(code, name, mayorTitle, mayorName, hours, fees, minimumAge, defaults,
                offered, keystore, password, layout, seal, pkcs11, syncClients(e.get("syncClients"), where + ".syncClients"),
                stopped, inkanPrintsSex, sealColor, Optional.of(maxFeedSilence),
                koseki(e.get("koseki"), where + ".koseki", baseDir));
    }

    /** The {@code koseki:} key (contract §9): absent → no 戸籍 link; every bad value names its key. */
    static Optional<Municipality.KosekiLink> koseki(Object value, String where, Path baseDir) {
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof Map<?, ?> k)) {
            throw new SettingException(KEY, where + ": expected a mapping such as { url: \"https://koseki.example/\" }");
        }
        for (Object key : k.keySet()) {
            if (!KOSEKI_KEYS.contains(String.valueOf(key))) {
                throw new SettingException(KEY, where + "." + key + ": unknown key (expected one of " + KOSEKI_KEYS + ")");
            }
        }
        Object rawUrl = k.get("url");
        if (rawUrl == null || String.valueOf(rawUrl).isBlank()) {
            throw new SettingException(KEY, where + ".url: required, the 戸籍システム's https:// address");
        }
        java.net.URI url;
        try {
            url = new java.net.URI(String.valueOf(rawUrl).strip());
        } catch (java.net.URISyntaxException ex) {
            throw new SettingException(KEY, where + ".url: not an address");
        }
        if (!"https".equalsIgnoreCase(url.getScheme()) || url.getHost() == null || url.getRawQuery() != null
                || url.getRawFragment() != null || url.getRawUserInfo() != null) {
            throw new SettingException(KEY, where + ".url: expected https://host[:port][/path] (mutual TLS; no"
                    + " user, query or fragment)");
        }
        Optional<Path> keystore = Optional.ofNullable(k.get("clientKeystore")).map(String::valueOf)
                .map(p -> baseDir == null ? Path.of(p) : baseDir.resolve(p));
        Optional<String> password = Optional.ofNullable(k.get("clientKeystorePassword")).map(String::valueOf);
        Optional<Path> trust = Optional.ofNullable(k.get("trust")).map(String::valueOf)
                .map(p -> baseDir == null ? Path.of(p) : baseDir.resolve(p));
        if (keystore.isPresent() != trust.isPresent()) {
            throw new SettingException(KEY, where + (keystore.isPresent() ? ".trust" : ".clientKeystore")
                    + ": clientKeystore and trust are given together (or both left to the development PKI)");
        }
        if (password.isPresent() && keystore.isEmpty()) {
            throw new SettingException(KEY, where + ".clientKeystorePassword: given without clientKeystore");
        }
        keystore.ifPresent(p -> {
            if (!Files.isRegularFile(p)) {
                throw new SettingException(KEY, where + ".clientKeystore: file not found: " + p);
            }
        });
        trust.ifPresent(p -> {
            if (!Files.isRegularFile(p)) {
                throw new SettingException(KEY, where + ".trust: file not found: " + p);
            }
        });
        Duration timeout = Municipality.KosekiLink.DEFAULT_TIMEOUT;
        if (k.get("timeoutMs") != null) {
            if (!(k.get("timeoutMs") instanceof Integer ms) || ms < 100 || ms > 60_000) {
                throw new SettingException(KEY, where + ".timeoutMs: expected a whole number of milliseconds,"
                        + " 100 to 60000");
            }
            timeout = Duration.ofMillis(ms);
        }
        int maxCalls = Municipality.KosekiLink.DEFAULT_MAX_CONCURRENT_CALLS;
        if (k.get("maxConcurrentCalls") != null) {
            if (!(k.get("maxConcurrentCalls") instanceof Integer n) || n < 1 || n > 256) {
                throw new SettingException(KEY, where + ".maxConcurrentCalls: expected a whole number, 1 to 256");
            }
            maxCalls = n;
        }
        return Optional.of(new Municipality.KosekiLink(url, keystore, password, trust, timeout, maxCalls));
    }

    private static final List<String> KOSEKI_KEYS = List.of("url", "clientKeystore", "clientKeystorePassword", "trust",
            "timeoutMs", "maxConcurrentCalls");

    private static CertificateType type(Object name, String where) {
        return CertificateType.of(String.valueOf(name)).orElseThrow(() -> new SettingException(KEY,
                where + ": not a certificate type of contract §8 (JUMINHYO, JUMINHYO_KISAI, INKAN, KOSEKI_ZENBU,"
                        + " KOSEKI_KOJIN, KOSEKI_FUHYO)"));
    }

    private static boolean flag(Object value, boolean absent, String where) {
        if (value == null) {
            return absent;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        throw new SettingException(KEY, where + ": expected true or false");
    }

    private static Municipality.SealColor sealColor(Object value, String where) {
        if (value == null || "red".equals(value)) {
            return Municipality.SealColor.RED;
        }
        if ("black".equals(value)) {
            return Municipality.SealColor.BLACK;
        }
        throw new SettingException(KEY, where + ": expected red or black");
    }

    /** The subjects that may feed a municipality: required, a non-empty list of RFC 4514 names (contract §7). */
    private static Set<X500Principal> syncClients(Object value, String where) {
        if (!(value instanceof List<?> list) || list.isEmpty()) {
            throw new SettingException(KEY, where + ": required, the subjects of the client certificates that may"
                    + " feed this municipality, e.g. [\"CN=feed-112038,O=川口市,C=JP\"]");
        }
        Set<X500Principal> subjects = new LinkedHashSet<>();
        for (int i = 0; i < list.size(); i++) {
            subjects.add(subject(list.get(i), where + "[" + i + "]"));
        }
        return subjects;
    }

    /** A certificate subject as the municipalities file writes it: an RFC 4514 distinguished name. */
    public static X500Principal subject(Object value, String where) {
        if (value == null || String.valueOf(value).isBlank()) {
            throw new SettingException(KEY, where + ": required, a certificate subject such as \"CN=feed-112038,O=川口市,C=JP\"");
        }
        try {
            return new X500Principal(String.valueOf(value));
        } catch (IllegalArgumentException ex) {
            throw new SettingException(KEY, where + ": not an RFC 4514 distinguished name");
        }
    }

    private static PrintOption option(Object name, String where) {
        try {
            return PrintOption.ofJsonName(String.valueOf(name));
        } catch (IllegalArgumentException ex) {
            throw new SettingException(KEY, where + ": unknown option '" + name + "'");
        }
    }

    /**
     * Hours as the municipalities file writes them, "HH:MM-HH:MM" ("24:00" = midnight at the end): {from, until},
     * until null for midnight. {@code what} names the key in the error (e.g. {@code municipalities[0].serviceHours}).
     */
    public static LocalTime[] hours(String value, String what) {
        String[] parts = value.split("-");
        try {
            if (parts.length == 2) {
                LocalTime from = LocalTime.parse(parts[0].trim());
                String end = parts[1].trim();
                LocalTime until = "24:00".equals(end) ? null : LocalTime.parse(end);
                if (until == null || until.isAfter(from)) {
                    return new LocalTime[] {from, until};
                }
            }
        } catch (DateTimeParseException ignored) {
            // reported below
        }
        throw new SettingException(KEY, what + ": expected \"HH:MM-HH:MM\" with the end after the start");
    }

    private static String text(Map<?, ?> e, String key, String where) {
        Object v = e.get(key);
        if (v == null || String.valueOf(v).isBlank()) {
            throw new SettingException(KEY, where + "." + key + ": required");
        }
        return String.valueOf(v);
    }

    private static int integer(Object v, String where) {
        if (v instanceof Integer i && i >= 0) {
            return i;
        }
        throw new SettingException(KEY, where + ": expected a whole number");
    }
}
