package jp.kofu.kiosk;

import com.fasterxml.jackson.databind.JsonNode;
import jp.kofu.kiosk.reader.CardConnection;
import jp.kofu.kiosk.reader.CardReader;
import jp.kofu.kiosk.reader.CardReaderException;
import jp.kofu.kiosk.reader.PinCheck;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The kiosk's screens as a state machine, one resident at a time. Everything personal (the card session, the
 * household listing, the PDF and its preview, a 利用登録申請 being typed) lives in one {@link Session} object and
 * nowhere else; ending the session (printed, cancelled, timed out, card taken away) drops it whole and closes the
 * card session. Texts for the screen are message keys of the page's catalogues ({@link KioskLanguages}), drawn in
 * the language the resident chose on the start screen; that choice belongs to one session and ends with it.
 */
final class KioskFlow {
    private static final Logger LOG = LoggerFactory.getLogger("kofu.kiosk");
    private static final SecureRandom RANDOM = new SecureRandom();
    /** A registration id as the kiosk passes it on: opaque to the kiosk, but never anything that bends a path. */
    private static final java.util.regex.Pattern REGISTRATION_ID = java.util.regex.Pattern.compile("[A-Za-z0-9._-]{1,64}");

    enum Screen {
        START, PIN, LOCKED, TYPE, SCOPE, MEMBERS, OPTIONS, CONFIRM, PREVIEW, TAKE_CARD,
        /** 本籍地 利用登録申請: the form, what was typed to check, the id of the application sent. */
        REGISTER, REGISTER_CONFIRM, REGISTERED,
        /** The status of a registration. */
        REGISTRATION_STATUS
    }

    /** The 戸籍 certificates (contract §8): they need a 本籍地 利用登録 unless the 本籍 is in this city. */
    static final java.util.Set<String> KOSEKI_TYPES = java.util.Set.of("KOSEKI_ZENBU", "KOSEKI_KOJIN", "KOSEKI_FUHYO");

    /** The items a 住民票記載事項証明書 may certify (contract §8 {@code options.items}); the first four by default. */
    static final List<String> KISAI_ITEMS = List.of("NAME", "BIRTH_DATE", "SEX", "ADDRESS", "HOUSEHOLDER",
            "RELATIONSHIP", "BECAME_RESIDENT_ON", "ADDRESS_SET_ON", "DOMICILE");

    /** The options a resident may choose, as the contract names them, with their screen labels. */
    static final List<String[]> OPTIONS = List.of(
            new String[] {"includeRelationship", "世帯主の氏名と続柄"},
            new String[] {"includeDomicile", "本籍と筆頭者"},
            new String[] {"includeIndividualNumber", "個人番号（マイナンバー）"},
            new String[] {"includeResidentCode", "住民票コード"});

    private static final class Session {
        final String id = token();
        final String previewKey = token();
        final CardConnection card;
        Screen screen;
        /** The certificate type chosen (contract §8). */
        String type;
        final java.util.Set<String> items = new java.util.LinkedHashSet<>(KISAI_ITEMS.subList(0, 4));
        int remainingTries;
        String pinError;
        String scope;
        List<KofuConnection.Member> members = List.of();
        boolean[] chosen = new boolean[0];
        final Map<String, Boolean> options = new LinkedHashMap<>();
        int copies = 1;
        String issuanceNumber;
        byte[] pdf;
        int fee;
        List<byte[]> preview = List.of();
        boolean completed;
        /** The message keys of the take-card screen, with the values put into the message. */
        String takeCardTitle;
        String takeCardMessage;
        Map<String, Object> takeCardParams = Map.of();
        /** A refusal by Kofu: its code, shown in the resident's language, and its own Japanese message. */
        String refusalCode;
        String refusalMessage;
        /** The language of this session's screens ({@link KioskLanguages}). */
        String language = KioskLanguages.DEFAULT;
        /** The 利用登録申請 form as typed (kept to fill it in again after 戻る), and what is wrong with it. */
        final Map<String, String> form = new LinkedHashMap<>();
        String formProblem;
        KosekiApplication application;
        /** The applications this card sent in this session, newest last, to offer on the status screen. */
        final List<String> registrationIds = new ArrayList<>();
        String checkedId;
        String checkedStatus;
        Instant lastTouch;

        Session(CardConnection card, Instant now) {
            this.card = card;
            this.lastTouch = now;
            options.put("includeHouseholder", true);
            options.put("includeRelationship", true);
            options.put("includeDomicile", false);
            options.put("includeIndividualNumber", false);
            options.put("includeResidentCode", false);
        }
    }

    private final CardReader reader;
    private final KofuConnection kofu;
    private final Printer printer;
    private final KioskSettings settings;
    private final Clock clock;
    private Session session;
    /** A card still on the reader after its session ended must be taken away before it starts a new one. */
    private boolean cardLeftBehind;
    /** Why that card is still there: its session ended, or it could not be read at all. */
    private boolean unreadable;
    /** The language chosen on the start screen for the next session, and when (it lapses like a session). */
    private String language = KioskLanguages.DEFAULT;
    private Instant languageChosenAt;
    /** The language of the session that left its card behind, to ask for the card in it. */
    private String leftBehindLanguage = KioskLanguages.DEFAULT;

    KioskFlow(CardReader reader, KofuConnection kofu, Printer printer, KioskSettings settings, Clock clock) {
        this.reader = reader;
        this.kofu = kofu;
        this.printer = printer;
        this.settings = settings;
        this.clock = clock;
    }

    /** Called a few times a second: notices a card put down or taken away, and the time-outs. */
    synchronized void tick() {
        boolean present = reader.isCardPresent();
        Instant now = clock.instant();
        if (session == null) {
            if (languageChosenAt != null && languageChosenAt.plus(settings.idleTimeout()).isBefore(now)) {
                // Chosen, and then no card: the next person finds the kiosk in 日本語 again.
                language = KioskLanguages.DEFAULT;
                languageChosenAt = null;
            }
            if (!present) {
                cardLeftBehind = false;
                leftBehindLanguage = KioskLanguages.DEFAULT;
            } else if (!cardLeftBehind) {
                begin(now);
            }
            return;
        }
        if (!present) {
            end("CARD_REMOVED");
            cardLeftBehind = false;
            return;
        }
        var limit = session.screen == Screen.TAKE_CARD || session.screen == Screen.LOCKED
                ? settings.takeCardTimeout() : settings.idleTimeout();
        if (session.lastTouch.plus(limit).isBefore(now)) {
            end("TIMEOUT");
        }
    }

    private void begin(Instant now) {
        cardLeftBehind = true;
        unreadable = false;
        CardConnection card;
        try {
            card = reader.connect();
            card.certificate();
        } catch (CardReaderException e) {
            LOG.warn("card could not be read: {} ({})", e.reason(), e.getMessage());
            unreadable = true;
            return;
        }
        session = new Session(card, now);
        session.language = language;
        language = KioskLanguages.DEFAULT;
        languageChosenAt = null;
        try {
            session.remainingTries = card.remainingTries();
        } catch (CardReaderException e) {
            cardTrouble();
            return;
        }
        if (session.remainingTries == 0) {
            locked(session);
        } else {
            session.screen = Screen.PIN;
        }
        LOG.info("session started");
    }

    /** Ends the session: voids an issuance not printed, closes the card session, forgets everything. */
    private void end(String why) {
        Session s = session;
        session = null;
        if (s == null) {
            return;
        }
        leftBehindLanguage = s.language;
        if (s.issuanceNumber != null && !s.completed) {
            kofu.complete(s.issuanceNumber, why.equals("TIMEOUT") ? "TIMEOUT" : "CANCELLED");
        }
        try {
            s.card.close();
        } catch (RuntimeException e) {
            LOG.debug("card session already gone");
        }
        LOG.info("session ended: {}", why);
    }

    /** Ends any session (the kiosk is shutting down). */
    synchronized void shutdown() {
        end("SHUTDOWN");
    }

    /**
     * The language of the screens: chosen on the start screen for the next session ({@code sessionId} empty), or
     * changed within the session on screen. False for an unknown language or another session.
     */
    synchronized boolean language(String sessionId, String lang) {
        if (!KioskLanguages.IDS.contains(lang)) {
            return false;
        }
        Session s = session;
        if (s == null) {
            if (!sessionId.isEmpty()) {
                return false;
            }
            language = lang;
            languageChosenAt = clock.instant();
            return true;
        }
        if (!s.id.equals(sessionId)) {
            return false;
        }
        s.language = lang;
        s.lastTouch = clock.instant();
        return true;
    }

    /** What the browser shows now. Personal data only inside a session, and only what the screen needs. */
    synchronized Map<String, Object> state() {
        Map<String, Object> state = new LinkedHashMap<>();
        if (session == null) {
            boolean leftBehind = cardLeftBehind && reader.isCardPresent();
            state.put("screen", Screen.START.name());
            state.put("lang", leftBehind && !unreadable ? leftBehindLanguage : language);
            state.put("cardLeftBehind", leftBehind);
            state.put("unreadable", unreadable);
            state.put("fees", types());
            return state;
        }
        Session s = session;
        state.put("screen", s.screen.name());
        state.put("lang", s.language);
        state.put("session", s.id);
        state.put("timeoutSeconds", (s.screen == Screen.TAKE_CARD || s.screen == Screen.LOCKED
                ? settings.takeCardTimeout() : settings.idleTimeout()).toSeconds());
        switch (s.screen) {
            case PIN -> {
                state.put("remainingTries", s.remainingTries);
                if (s.pinError != null) {
                    state.put("error", s.pinError);
                }
            }
            case TYPE -> {
                state.put("types", types());
                state.put("koseki", kosekiOffered());
            }
            case SCOPE -> state.put("type", s.type);
            case MEMBERS -> {
                List<Map<String, Object>> members = new ArrayList<>();
                for (int i = 0; i < s.members.size(); i++) {
                    members.add(Map.of("name", s.members.get(i).displayName(),
                            "relationship", s.members.get(i).relationship(), "chosen", s.chosen[i]));
                }
                state.put("members", members);
            }
            case OPTIONS -> {
                state.put("type", s.type);
                state.put("options", s.options);
                state.put("items", List.copyOf(s.items));
                state.put("copies", s.copies);
                state.put("feePerCopy", settings.fees().get(s.type));
            }
            case CONFIRM -> {
                state.put("type", s.type);
                state.put("title", title(s.type));
                state.put("typeKey", "type." + s.type);
                state.put("scope", s.scope);
                state.put("chosenNames", chosenNames(s));
                state.put("options", s.options);
                state.put("items", KISAI_ITEMS.stream().filter(s.items::contains).toList());
                state.put("copies", s.copies);
                state.put("fee", settings.fees().get(s.type) * s.copies);
            }
            case PREVIEW -> {
                state.put("pages", s.preview.size());
                state.put("previewKey", s.previewKey);
                state.put("copies", s.copies);
                state.put("fee", s.fee);
            }
            case TAKE_CARD, LOCKED -> {
                state.put("title", s.takeCardTitle);
                state.put("message", s.takeCardMessage);
                state.put("params", s.takeCardParams);
                if (s.refusalCode != null) {
                    state.put("code", s.refusalCode);
                    state.put("kofuMessage", s.refusalMessage);
                }
            }
            case REGISTER -> {
                state.put("form", s.form);
                if (s.formProblem != null) {
                    state.put("error", s.formProblem);
                }
            }
            case REGISTER_CONFIRM -> state.put("application", Map.of("honseki", s.application.honseki(),
                    "hittosha", s.application.hittosha(), "name", s.application.name(),
                    "birthDate", s.application.birthDate().toString()));
            case REGISTERED -> state.put("registrationId", s.registrationIds.get(s.registrationIds.size() - 1));
            case REGISTRATION_STATUS -> {
                state.put("registrationIds", s.registrationIds);
                if (s.checkedStatus != null) {
                    state.put("checkedId", s.checkedId);
                    state.put("status", s.checkedStatus);
                }
            }
            default -> { }
        }
        return state;
    }

    /** A preview page of the current session, only with the session's preview key. */
    synchronized Optional<byte[]> previewPage(String key, int page) {
        Session s = session;
        if (s == null || s.screen != Screen.PREVIEW || !s.previewKey.equals(key) || page < 0
                || page >= s.preview.size()) {
            return Optional.empty();
        }
        return Optional.of(s.preview.get(page));
    }

    /** What a touch asked for; refused (false) when it does not belong to the session on screen. */
    synchronized boolean act(String sessionId, String action, JsonNode args) {
        Session s = session;
        if (s == null || !s.id.equals(sessionId)) {
            return false;
        }
        s.lastTouch = clock.instant();
        if (action.equals("stay")) {
            return true;
        }
        if (action.equals("cancel")) {
            if (s.screen == Screen.TAKE_CARD || s.screen == Screen.LOCKED) {
                return true;
            }
            takeCard("take.cancelled.title", "take.cancelled.message");
            return true;
        }
        switch (s.screen) {
            case PIN -> pin(s, action, args);
            case TYPE -> type(s, action, args);
            case SCOPE -> scope(s, action, args);
            case MEMBERS -> members(s, action, args);
            case OPTIONS -> options(s, action, args);
            case CONFIRM -> {
                if (action.equals("back")) {
                    s.screen = Screen.OPTIONS;
                } else if (action.equals("issue")) {
                    issue(s);
                }
            }
            case PREVIEW -> {
                if (action.equals("print")) {
                    print(s);
                }
            }
            case REGISTER -> registerForm(s, action, args);
            case REGISTER_CONFIRM -> {
                if (action.equals("back")) {
                    s.screen = Screen.REGISTER;
                } else if (action.equals("send")) {
                    sendRegistration(s);
                }
            }
            case REGISTERED -> {
                if (action.equals("status")) {
                    s.checkedId = null;
                    s.checkedStatus = null;
                    s.screen = Screen.REGISTRATION_STATUS;
                } else if (action.equals("done")) {
                    takeCard("take.done.title", "take.done.message");
                }
            }
            case REGISTRATION_STATUS -> registrationStatus(s, action, args);
            default -> { }
        }
        return true;
    }

    private void type(Session s, String action, JsonNode args) {
        if (kosekiOffered() && action.equals("register")) {
            s.formProblem = null;
            s.screen = Screen.REGISTER;
            return;
        }
        if (kosekiOffered() && action.equals("registrationStatus")) {
            s.checkedId = null;
            s.checkedStatus = null;
            s.screen = Screen.REGISTRATION_STATUS;
            return;
        }
        String type = args.path("type").asText();
        if (!action.equals("type") || !settings.fees().containsKey(type)) {
            return;
        }
        s.type = type;
        s.members = List.of();
        s.chosen = new boolean[0];
        if (type.equals("INKAN") || type.equals("KOSEKI_ZENBU")) {
            // 印鑑登録証明書 is 本人 only; a 戸籍全部事項証明書 is of 本人's own 戸籍, which names everyone in it.
            s.scope = "SELF";
            s.screen = Screen.OPTIONS;
        } else {
            s.screen = Screen.SCOPE;
        }
    }

    /** The 利用登録申請 and its status are offered with the 戸籍 certificates, which need it. */
    private boolean kosekiOffered() {
        return settings.fees().keySet().stream().anyMatch(KOSEKI_TYPES::contains);
    }

    private void registerForm(Session s, String action, JsonNode args) {
        if (action.equals("back")) {
            s.screen = Screen.TYPE;
            return;
        }
        if (!action.equals("registerForm")) {
            return;
        }
        s.form.clear();
        for (String field : List.of("honseki", "hittosha", "name", "year", "month", "day")) {
            String value = args.path(field).asText("");
            s.form.put(field, value.length() > 200 ? value.substring(0, 200) : value);
        }
        KosekiApplication.Reading reading = KosekiApplication.read(s.form.get("honseki"), s.form.get("hittosha"),
                s.form.get("name"), s.form.get("year"), s.form.get("month"), s.form.get("day"),
                clock.instant().atZone(jp.kofu.contract.Tokyo.ZONE).toLocalDate());
        if (reading instanceof KosekiApplication.Valid v) {
            s.application = v.application();
            s.formProblem = null;
            s.screen = Screen.REGISTER_CONFIRM;
        } else if (reading instanceof KosekiApplication.Invalid i) {
            s.formProblem = "register.error." + i.problem().name();
        }
    }

    private void sendRegistration(Session s) {
        KofuConnection.Answer answer;
        try {
            answer = kofu.register(s.card, s.application);
        } catch (CardReaderException e) {
            cardTrouble();
            return;
        }
        String id = answer.body().path("registrationId").asText("");
        if (!answer.accepted() || id.isEmpty()) {
            refused(answer, "take.registrationRefused.title");
            return;
        }
        s.registrationIds.add(id);
        // Sent: what was typed is of no more use here.
        s.form.clear();
        s.application = null;
        s.screen = Screen.REGISTERED;
        LOG.info("koseki registration sent");
    }

    private void registrationStatus(Session s, String action, JsonNode args) {
        if (action.equals("back")) {
            s.screen = Screen.TYPE;
            return;
        }
        if (!action.equals("check")) {
            return;
        }
        String id = args.path("registrationId").asText("").strip();
        s.checkedId = id;
        if (!REGISTRATION_ID.matcher(id).matches()) {
            s.checkedStatus = "NOT_FOUND";
            return;
        }
        KofuConnection.Answer answer = kofu.registrationStatus(id);
        String status = answer.body().path("status").asText("");
        if (answer.ok() && List.of("PENDING", "APPROVED", "REJECTED").contains(status)) {
            s.checkedStatus = status;
        } else if (answer.status() == 404 || answer.status() == 403) {
            // Unknown, or sent from another terminal: the kiosk may only ask about its own (§9).
            s.checkedStatus = "NOT_FOUND";
        } else {
            LOG.info("registration status answered {} {}", answer.status(), answer.code());
            s.checkedStatus = "UNAVAILABLE";
        }
    }

    private void pin(Session s, String action, JsonNode args) {
        String pin = args.path("pin").asText("");
        if (!action.equals("pin") || !pin.matches("[0-9]{4}")) {
            s.pinError = "pin.error.format";
            return;
        }
        PinCheck check;
        try {
            check = s.card.verifyPin(pin);
        } catch (CardReaderException e) {
            cardTrouble();
            return;
        }
        if (check instanceof PinCheck.Accepted) {
            s.pinError = null;
            s.screen = Screen.TYPE;
        } else if (check instanceof PinCheck.Wrong w) {
            s.remainingTries = w.remainingTries();
            s.pinError = "pin.error.wrong";
        } else {
            locked(s);
        }
    }

    private void locked(Session s) {
        s.screen = Screen.LOCKED;
        s.takeCardTitle = "take.locked.title";
        s.takeCardMessage = "take.locked.message";
    }

    private void scope(Session s, String action, JsonNode args) {
        if (action.equals("back")) {
            s.screen = Screen.TYPE;
            return;
        }
        String scope = args.path("scope").asText();
        boolean koseki = KOSEKI_TYPES.contains(s.type);
        // 戸籍: 本人, or persons of the same 戸籍 chosen from its listing; a whole 戸籍 is the 全部事項証明書.
        List<String> scopes = koseki ? List.of("SELF", "SELECTED") : List.of("SELF", "HOUSEHOLD_ALL", "SELECTED");
        if (!action.equals("scope") || !scopes.contains(scope)) {
            return;
        }
        s.scope = scope;
        if (!scope.equals("SELECTED")) {
            s.screen = Screen.OPTIONS;
            return;
        }
        KofuConnection.Answer answer;
        try {
            answer = koseki ? kofu.listKoseki(s.card) : kofu.listHousehold(s.card);
        } catch (CardReaderException e) {
            cardTrouble();
            return;
        }
        if (!answer.ok()) {
            refused(answer);
            return;
        }
        s.members = KofuConnection.members(answer);
        s.chosen = new boolean[s.members.size()];
        s.screen = Screen.MEMBERS;
    }

    private void members(Session s, String action, JsonNode args) {
        if (action.equals("back")) {
            s.screen = Screen.SCOPE;
        } else if (action.equals("toggle")) {
            int i = args.path("index").asInt(-1);
            if (i >= 0 && i < s.chosen.length) {
                s.chosen[i] = !s.chosen[i];
            }
        } else if (action.equals("next") && chosenNames(s).size() > 0) {
            s.screen = Screen.OPTIONS;
        }
    }

    private void options(Session s, String action, JsonNode args) {
        switch (action) {
            case "back" -> s.screen = s.type.equals("INKAN") || s.type.equals("KOSEKI_ZENBU") ? Screen.TYPE
                    : s.scope.equals("SELECTED") ? Screen.MEMBERS : Screen.SCOPE;
            case "item" -> {
                String item = args.path("item").asText();
                // 氏名 is always certified: it says whom the certificate is of.
                if (s.type.equals("JUMINHYO_KISAI") && KISAI_ITEMS.contains(item) && !item.equals("NAME")) {
                    if (!s.items.remove(item)) {
                        s.items.add(item);
                    }
                }
            }
            case "toggle" -> {
                String name = args.path("option").asText();
                if (OPTIONS.stream().anyMatch(o -> o[0].equals(name))) {
                    boolean on = !s.options.get(name);
                    s.options.put(name, on);
                    if (name.equals("includeRelationship")) {
                        s.options.put("includeHouseholder", on);
                    }
                }
            }
            case "copies" -> s.copies = Math.max(1, Math.min(10, s.copies + args.path("delta").asInt(0)));
            case "next" -> s.screen = Screen.CONFIRM;
            default -> { }
        }
    }

    private void issue(Session s) {
        List<String> ids = new ArrayList<>();
        if (s.scope.equals("SELECTED")) {
            for (int i = 0; i < s.members.size(); i++) {
                if (s.chosen[i]) {
                    ids.add(s.members.get(i).memberId());
                }
            }
        }
        KofuConnection.Answer answer;
        try {
            answer = kofu.issue(s.card, s.type, s.scope, ids, switch (s.type) {
                case "JUMINHYO" -> KofuConnection.juminhyoOptions(s.options);
                case "JUMINHYO_KISAI" -> KofuConnection.kisaiItems(KISAI_ITEMS.stream().filter(s.items::contains).toList());
                default -> null;
            }, s.copies);
        } catch (CardReaderException e) {
            cardTrouble();
            return;
        }
        if (!answer.ok()) {
            refused(answer);
            return;
        }
        s.issuanceNumber = answer.body().path("issuanceNumber").asText();
        s.pdf = java.util.Base64.getDecoder().decode(answer.body().path("pdf").asText());
        s.fee = answer.body().path("fee").asInt();
        int pagesPerCopy = Math.max(1, answer.body().path("pageCount").asInt(1) / Math.max(1, s.copies));
        try {
            s.preview = PagePreview.render(s.pdf, pagesPerCopy);
        } catch (RuntimeException e) {
            LOG.error("preview of {} failed", s.issuanceNumber, e);
            takeCard("take.previewFailed.title", "take.previewFailed.message");
            return;
        }
        s.screen = Screen.PREVIEW;
        LOG.info("issued {} for preview", s.issuanceNumber);
    }

    private void print(Session s) {
        try {
            printer.print(s.issuanceNumber, s.pdf);
        } catch (Printer.PrintFailure e) {
            LOG.error("ALARM printing {} failed: {}", s.issuanceNumber, e.getMessage(), e);
            s.completed = true;
            kofu.complete(s.issuanceNumber, e.reason());
            takeCard("take.printFailed.title", "take.printFailed.message");
            return;
        }
        s.completed = true;
        KofuConnection.Answer done = kofu.complete(s.issuanceNumber, null);
        if (!done.ok()) {
            LOG.error("ALARM completion of printed {} answered {}", s.issuanceNumber, done.status());
        }
        s.pdf = null;
        s.preview = List.of();
        takeCard("take.printed.title", "take.printed.message");
        LOG.info("printed {}", s.issuanceNumber);
    }

    private void refused(KofuConnection.Answer answer) {
        refused(answer, "take.refused.title");
    }

    /** Kofu said no: the screen shows the code's message in the resident's language (Kofu's own in 日本語). */
    private void refused(KofuConnection.Answer answer, String title) {
        LOG.info("Kofu refused: {} {}", answer.status(), answer.code());
        takeCard(title, "take.refused.message");
        session.refusalCode = answer.code();
        session.refusalMessage = answer.message();
    }

    private void cardTrouble() {
        takeCard("take.unreadable.title", "take.unreadable.message");
    }

    /** The take-card screen with the message keys of its title and message. */
    private void takeCard(String title, String message) {
        Session s = session;
        s.screen = Screen.TAKE_CARD;
        s.takeCardTitle = title;
        s.takeCardMessage = message;
        s.takeCardParams = Map.of();
        s.refusalCode = null;
        s.refusalMessage = null;
        s.lastTouch = clock.instant();
    }

    /** The types offered here, in screen order, with their titles and fees per copy. */
    private List<Map<String, Object>> types() {
        List<Map<String, Object>> types = new ArrayList<>();
        settings.fees().forEach((type, fee) -> types.add(Map.of("type", type, "title", title(type), "fee", fee)));
        return types;
    }

    private static String title(String type) {
        return jp.kofu.contract.CertificateType.of(type).map(jp.kofu.contract.CertificateType::title).orElse(type);
    }

    private static List<String> chosenNames(Session s) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < s.members.size(); i++) {
            if (s.chosen[i]) {
                names.add(s.members.get(i).displayName());
            }
        }
        return names;
    }

    private static String token() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
