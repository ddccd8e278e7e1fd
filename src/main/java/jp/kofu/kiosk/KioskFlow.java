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
 * household listing, the PDF and its preview) lives in one {@link Session} object and nowhere else; ending the
 * session (printed, cancelled, timed out, card taken away) drops it whole and closes the card session.
 */
final class KioskFlow {
    private static final Logger LOG = LoggerFactory.getLogger("kofu.kiosk");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String CARD_TROUBLE =
            "カードを読み取れませんでした。カードを置き直して、もう一度はじめから操作してください。";

    enum Screen { START, PIN, LOCKED, TYPE, SCOPE, MEMBERS, OPTIONS, CONFIRM, PREVIEW, TAKE_CARD }

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
        String takeCardTitle;
        String takeCardMessage;
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
            if (!present) {
                cardLeftBehind = false;
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
        try {
            session.remainingTries = card.remainingTries();
        } catch (CardReaderException e) {
            takeCard("カードを読み取れませんでした", CARD_TROUBLE);
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

    /** What the browser shows now. Personal data only inside a session, and only what the screen needs. */
    synchronized Map<String, Object> state() {
        Map<String, Object> state = new LinkedHashMap<>();
        if (session == null) {
            state.put("screen", Screen.START.name());
            state.put("cardLeftBehind", cardLeftBehind && reader.isCardPresent());
            state.put("unreadable", unreadable);
            state.put("fees", types());
            return state;
        }
        Session s = session;
        state.put("screen", s.screen.name());
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
            case TYPE -> state.put("types", types());
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
            takeCard("操作を中止しました", "マイナンバーカードをお取りください。");
            return true;
        }
        switch (s.screen) {
            case PIN -> pin(s, action, args);
            case TYPE -> {
                String type = args.path("type").asText();
                if (action.equals("type") && settings.fees().containsKey(type)) {
                    s.type = type;
                    if (type.equals("INKAN")) {
                        s.scope = "SELF"; // 印鑑登録証明書 is 本人 only
                        s.screen = Screen.OPTIONS;
                    } else {
                        s.screen = Screen.SCOPE;
                    }
                }
            }
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
            default -> { }
        }
        return true;
    }

    private void pin(Session s, String action, JsonNode args) {
        String pin = args.path("pin").asText("");
        if (!action.equals("pin") || !pin.matches("[0-9]{4}")) {
            s.pinError = "暗証番号は数字4桁です。";
            return;
        }
        PinCheck check;
        try {
            check = s.card.verifyPin(pin);
        } catch (CardReaderException e) {
            takeCard("カードを読み取れませんでした", CARD_TROUBLE);
            return;
        }
        if (check instanceof PinCheck.Accepted) {
            s.pinError = null;
            s.screen = Screen.TYPE;
        } else if (check instanceof PinCheck.Wrong w) {
            s.remainingTries = w.remainingTries();
            s.pinError = "暗証番号が違います。あと" + w.remainingTries() + "回間違えると、カードがロックされます。";
        } else {
            locked(s);
        }
    }

    private void locked(Session s) {
        s.screen = Screen.LOCKED;
        s.takeCardTitle = "カードがロックされています";
        s.takeCardMessage = "暗証番号を3回続けて間違えたため、カードがロックされました。"
                + "市役所の窓口で暗証番号の再設定をしてください。マイナンバーカードをお取りください。";
    }

    private void scope(Session s, String action, JsonNode args) {
        if (action.equals("back")) {
            s.screen = Screen.TYPE;
            return;
        }
        String scope = args.path("scope").asText();
        if (!action.equals("scope") || !List.of("SELF", "HOUSEHOLD_ALL", "SELECTED").contains(scope)) {
            return;
        }
        s.scope = scope;
        if (!scope.equals("SELECTED")) {
            s.screen = Screen.OPTIONS;
            return;
        }
        KofuConnection.Answer answer;
        try {
            answer = kofu.listHousehold(s.card);
        } catch (CardReaderException e) {
            takeCard("カードを読み取れませんでした", CARD_TROUBLE);
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
            case "back" -> s.screen = s.type.equals("INKAN") ? Screen.TYPE
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
            takeCard("カードを読み取れませんでした", CARD_TROUBLE);
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
            takeCard("ただいま発行できません", "証明書を表示できませんでした。手数料はかかりません。係員にお知らせください。"
                    + "マイナンバーカードをお取りください。");
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
            takeCard("印刷できませんでした", "印刷できなかったため、手数料はかかりません。係員にお知らせください。"
                    + "マイナンバーカードをお取りください。");
            return;
        }
        s.completed = true;
        KofuConnection.Answer done = kofu.complete(s.issuanceNumber, null);
        if (!done.ok()) {
            LOG.error("ALARM completion of printed {} answered {}", s.issuanceNumber, done.status());
        }
        s.pdf = null;
        s.preview = List.of();
        takeCard("証明書を印刷しました", "印刷した証明書と、マイナンバーカードを必ずお取りください。");
        LOG.info("printed {}", s.issuanceNumber);
    }

    private void refused(KofuConnection.Answer answer) {
        LOG.info("Kofu refused: {} {}", answer.status(), answer.code());
        takeCard("証明書を発行できませんでした", answer.message() + " マイナンバーカードをお取りください。");
    }

    private void takeCard(String title, String message) {
        Session s = session;
        s.screen = Screen.TAKE_CARD;
        s.takeCardTitle = title;
        s.takeCardMessage = message;
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
