package jp.kofu.kiosk;

import java.util.List;

/**
 * The languages of the kiosk's screens, in the order of the start screen's buttons. Each has one message catalogue,
 * {@code /kiosk/i18n/<id>.json}, holding every key of the others ({@code KioskLanguagesTest}); its
 * {@code language.name} is the button's label, written in that language, and {@code language.tag} the BCP 47 tag
 * the page puts on {@code <html lang>} for screen readers and font choice. The certificate itself stays Japanese.
 */
final class KioskLanguages {
    /** 日本語: every session starts in it, and the kiosk returns to it when a session ends. */
    static final String DEFAULT = "ja";

    /** 日本語, やさしい日本語, English, 中文（简体）, 한국어, Português, Tiếng Việt. */
    static final List<String> IDS = List.of(DEFAULT, "ja-easy", "en", "zh-Hans", "ko", "pt", "vi");

    private KioskLanguages() {
    }
}
