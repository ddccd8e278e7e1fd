package jp.kofu.console;

import jp.kofu.TestNode;
import jp.kofu.browser.Chromium;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The console in a real Chromium: sign in, open pages, fill forms, take screenshots. Screenshots go to
 * {@code target/console-screenshots/}, or to the folder named by {@code -Dconsole.screenshots=docs/console}
 * (how the pictures of docs/console are refreshed).
 */
final class ConsolePages implements AutoCloseable {
    private static final Path SHOTS = Path.of(System.getProperty("console.screenshots", "target/console-screenshots"));

    private final Chromium chromium;
    private final String base;

    ConsolePages(TestNode node) {
        this.chromium = Chromium.start(1280, 1100);
        this.base = node.uri().toString().replaceAll("/$", "");
    }

    ChromeDriver driver() {
        return chromium.driver();
    }

    Path downloads() {
        return chromium.downloads();
    }

    void open(String path) {
        driver().get(base + path);
    }

    /** Forgets the session cookie (as a closed browser would), without logging out. */
    void signOut() {
        open("/console/login");
        driver().manage().deleteAllCookies();
    }

    /** Signs out whoever is signed in, then signs in {@code login} of 川口市; answers the page's heading. */
    String login(String login, String password) {
        return login(ConsoleFixtures.CITY, login, password);
    }

    /** Signs out whoever is signed in, then signs in {@code login} of {@code municipality}; answers the heading. */
    String login(String municipality, String login, String password) {
        signOut();
        open("/console/login");
        new WebDriverWait(driver(), Duration.ofSeconds(15))
                .until(d -> "complete".equals(driver().executeScript("return document.readyState;")));
        type("municipality", municipality);
        type("login", login);
        type("password", password);
        return submit();
    }

    void type(String id, String text) {
        for (int attempt = 1; ; attempt++) {
            try {
                WebElement e = new WebDriverWait(driver(), Duration.ofSeconds(15))
                        .until(ExpectedConditions.elementToBeClickable(By.id(id)));
                e.clear();
                e.sendKeys(text);
                return;
            } catch (org.openqa.selenium.WebDriverException e) {
                // Chromium may still be settling the page (after a resize for a screenshot): find the field again.
                if (attempt == 3) {
                    throw e;
                }
            }
        }
    }

    void select(String id, String value) {
        new org.openqa.selenium.support.ui.Select(driver().findElement(By.id(id))).selectByValue(value);
    }

    /** Presses the main button of the page's form in {@code main}; answers the next page's heading. */
    String submit() {
        return click(By.cssSelector("main form button[type=submit]"));
    }

    String click(By by) {
        WebDriverWait wait = new WebDriverWait(driver(), Duration.ofSeconds(15));
        WebElement old = driver().findElement(By.tagName("html"));
        for (int attempt = 1; ; attempt++) {
            try {
                wait.until(ExpectedConditions.elementToBeClickable(by)).click();
            } catch (org.openqa.selenium.TimeoutException e) {
                throw e;
            } catch (org.openqa.selenium.WebDriverException e) {
                // Chromium may still be settling the page, or the click did land and the page is already going:
                // the wait below tells which.
            }
            try {
                wait.until(ExpectedConditions.stalenessOf(old));
                break;
            } catch (org.openqa.selenium.TimeoutException e) {
                // The click was lost (seen on a loaded CI machine): the same page is still there, press again.
                // Only ever on that same page: pressing a button of the next page would do something else.
                if (attempt == 3) {
                    throw e;
                }
            } catch (org.openqa.selenium.WebDriverException e) {
                // "Node … does not belong to the document": the old page is being taken down, so it has changed.
                break;
            }
        }
        wait.until(d -> "complete".equals(driver().executeScript("return document.readyState;")));
        return heading();
    }

    String heading() {
        return driver().findElement(By.tagName("h1")).getText();
    }

    String text() {
        return driver().findElement(By.tagName("body")).getText();
    }

    List<WebElement> rows() {
        return driver().findElements(By.cssSelector("main table tbody tr"));
    }

    /** A picture of the whole page: the window is stretched to the page's height for the shot. */
    void screenshot(String name) {
        Dimension before = driver().manage().window().getSize();
        long height = (Long) driver().executeScript("return document.documentElement.scrollHeight;");
        long chrome = before.getHeight() - (Long) driver().executeScript("return window.innerHeight;");
        driver().manage().window().setSize(new Dimension(before.getWidth(), (int) Math.min(4000, height + chrome)));
        try {
            chromium.screenshot(SHOTS.resolve(name + ".png"));
        } finally {
            driver().manage().window().setSize(before);
        }
    }

    @Override
    public void close() {
        chromium.close();
    }
}
