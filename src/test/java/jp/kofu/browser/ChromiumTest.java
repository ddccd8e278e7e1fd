package jp.kofu.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

final class ChromiumTest {
    @Test
    void startsDebiansChromium() {
        try (Chromium chromium = Chromium.start()) {
            chromium.driver().get("data:text/html;charset=utf-8,<title>交付</title><p>x");
            assertEquals("交付", chromium.driver().getTitle());
        }
    }
}
