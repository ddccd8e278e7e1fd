package jp.kofu.municipality;

import jakarta.inject.Singleton;
import jp.kofu.config.KofuSettings;
import jp.kofu.config.SettingException;
import jp.kofu.http.Caller;
import jp.kofu.contract.ErrorCode;
import jp.kofu.contract.Refusal;
import jp.kofu.pki.DevPki;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import javax.security.auth.x500.X500Principal;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The kiosk terminals of each municipality (the {@code kiosks:} list of a municipality in
 * {@code kofu.municipalities-file}; without that file, the demo city's one demo kiosk). Read and validated at
 * start-up. Each kiosk has its own client certificate ({@code clientSubject}, contract §7): a caller with that
 * certificate may send only {@code channel: KIOSK} with that kiosk's terminal id, and {@code channel: KIOSK} from
 * any other caller is refused. The kiosk must be enabled and inside its own hours.
 */
@Singleton
public final class KioskTerminals {
    /** The demo city's kiosk, used by {@code java -jar kofu.jar kiosk} against a demo node. */
    public static final String DEMO_TERMINAL = "KIOSK-112038-01";
    private static final String KEY = "kofu.municipalities-file";
    private static final Pattern TERMINAL_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    /** The subject of the development PKI's certificate for the demo kiosk. */
    public static final String DEMO_CLIENT_SUBJECT = DevPki.kioskSubject(DEMO_TERMINAL);

    /** The kiosks of one reading of the settings: by municipality code + "/" + terminal id, and by certificate. */
    private record State(Map<String, KioskTerminal> terminals, Map<X500Principal, KioskTerminal> byClient) {}

    private volatile State state;

    public KioskTerminals(KofuSettings settings, MunicipalityRegistry municipalities) {
        state = state(settings.municipalitiesFile().map(file -> load(file, municipalities::find))
                .orElseGet(KioskTerminals::demo));
        // The kiosks are read again with every reload of the file, against the municipalities of the reload.
        municipalities.onReload((previous, next) -> {
            State read = state(municipalities.file()
                    .map(file -> load(file, code -> Optional.ofNullable(next.get(code))))
                    .orElseGet(KioskTerminals::demo));
            return () -> state = read;
        });
    }

    private static State state(Map<String, KioskTerminal> terminals) {
        Map<X500Principal, KioskTerminal> clients = new LinkedHashMap<>();
        for (KioskTerminal t : terminals.values()) {
            KioskTerminal other = clients.put(t.clientSubject(), t);
            if (other != null) {
                throw new SettingException(KEY, "kiosks " + other.terminalId() + " and " + t.terminalId()
                        + " have the same clientSubject: each kiosk needs a certificate of its own");
            }
        }
        return new State(terminals, Map.copyOf(clients));
    }

    public Optional<KioskTerminal> find(String municipalityCode, String terminalId) {
        return Optional.ofNullable(state.terminals().get(municipalityCode + "/" + terminalId));
    }

    /**
     * Checks that the caller may send a request of this channel and terminal id (contract §7). A kiosk's own
     * certificate may send only {@code channel: KIOSK} with its terminal id ({@code CALLER_FORBIDDEN} for the store
     * channel, {@code TERMINAL_UNKNOWN} for another terminal or municipality); {@code channel: KIOSK} from a caller
     * that is no registered kiosk is {@code TERMINAL_UNKNOWN}. A kiosk must be enabled ({@code TERMINAL_DISABLED})
     * and inside its own hours ({@code OUTSIDE_SERVICE_HOURS}).
     */
    public void check(Caller caller, boolean kioskChannel, String municipalityCode, String terminalId, LocalTime now) {
        KioskTerminal own = state.byClient().get(caller.principal());
        if (own == null) {
            if (kioskChannel) {
                throw new Refusal(ErrorCode.TERMINAL_UNKNOWN, "channel KIOSK from a caller that is no registered kiosk");
            }
            return;
        }
        if (!kioskChannel) {
            throw new Refusal(ErrorCode.CALLER_FORBIDDEN, "a kiosk's certificate sent another channel");
        }
        if (!own.municipalityCode().equals(municipalityCode) || !own.terminalId().equals(terminalId)) {
            throw new Refusal(ErrorCode.TERMINAL_UNKNOWN, "a kiosk's certificate sent another terminal id");
        }
        KioskTerminal t = own;
        if (!t.enabled()) {
            throw new Refusal(ErrorCode.TERMINAL_DISABLED, "kiosk terminal disabled");
        }
        if (!t.isOpenAt(now)) {
            throw new Refusal(ErrorCode.OUTSIDE_SERVICE_HOURS, "outside the kiosk terminal's hours");
        }
    }

    private static Map<String, KioskTerminal> demo() {
        Municipality city = MunicipalityRegistry.demoMunicipality();
        KioskTerminal t = new KioskTerminal(city.code(), DEMO_TERMINAL, "川口市役所 本庁舎1階（デモ）", true,
                city.serviceFrom(), city.serviceUntil(), new X500Principal(DEMO_CLIENT_SUBJECT));
        return Map.of(city.code() + "/" + t.terminalId(), t);
    }

    private static Map<String, KioskTerminal> load(Path file, Function<String, Optional<Municipality>> municipalities) {
        Object root;
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            root = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
        } catch (IOException | RuntimeException e) {
            throw new SettingException(KEY, "cannot read " + file + ": " + e.getMessage());
        }
        Map<String, KioskTerminal> result = new LinkedHashMap<>();
        if (!(root instanceof Map<?, ?> top) || !(top.get("municipalities") instanceof List<?> list)) {
            return Map.of();
        }
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof Map<?, ?> entry) || entry.get("kiosks") == null) {
                continue;
            }
            String where = "municipalities[" + i + "].kiosks";
            Municipality city = municipalities.apply(String.valueOf(entry.get("code")))
                    .orElseThrow(() -> new SettingException(KEY, where + ": municipality not loaded"));
            if (!(entry.get("kiosks") instanceof List<?> kiosks)) {
                throw new SettingException(KEY, where + ": expected a list of terminals");
            }
            for (int k = 0; k < kiosks.size(); k++) {
                if (!(kiosks.get(k) instanceof Map<?, ?> kiosk)) {
                    throw new SettingException(KEY, where + "[" + k + "]: expected a mapping");
                }
                KioskTerminal t = parse(kiosk, where + "[" + k + "]", city);
                if (result.put(city.code() + "/" + t.terminalId(), t) != null) {
                    throw new SettingException(KEY, where + "[" + k + "].terminalId: " + t.terminalId()
                            + " appears twice");
                }
            }
        }
        return Map.copyOf(result);
    }

    private static KioskTerminal parse(Map<?, ?> kiosk, String where, Municipality city) {
        Object id = kiosk.get("terminalId");
        if (id == null || !TERMINAL_ID.matcher(String.valueOf(id)).matches()) {
            throw new SettingException(KEY, where + ".terminalId: required, 1-64 letters, digits or . _ : -");
        }
        Object place = kiosk.get("place");
        if (place == null || String.valueOf(place).isBlank()) {
            throw new SettingException(KEY, where + ".place: required (where the kiosk stands)");
        }
        Object enabled = kiosk.get("enabled");
        if (enabled != null && !(enabled instanceof Boolean)) {
            throw new SettingException(KEY, where + ".enabled: expected true or false");
        }
        LocalTime from = city.serviceFrom();
        LocalTime until = city.serviceUntil();
        if (kiosk.get("hours") != null) {
            LocalTime[] span = MunicipalityRegistry.hours(String.valueOf(kiosk.get("hours")), where + ".hours");
            boolean startsInside = !span[0].isBefore(city.serviceFrom());
            boolean endsInside = city.serviceUntil() == null
                    || (span[1] != null && !span[1].isAfter(city.serviceUntil()));
            if (!startsInside || !endsInside) {
                throw new SettingException(KEY, where + ".hours: must lie within the city's serviceHours");
            }
            from = span[0];
            until = span[1];
        }
        X500Principal client = MunicipalityRegistry.subject(kiosk.get("clientSubject"), where + ".clientSubject");
        return new KioskTerminal(city.code(), String.valueOf(id), String.valueOf(place),
                enabled == null || (Boolean) enabled, from, until, client);
    }
}
