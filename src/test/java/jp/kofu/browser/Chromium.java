package jp.kofu.browser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import jp.kofu.TestFiles;
import jp.kofu.TestPackages;

/**
 * Debian's headless Chromium, driven through Debian's ChromeDriver. Nothing is downloaded: a missing browser is
 * installed from the Debian mirror by {@code .ci/install-test-packages}. Each instance has its own empty profile and
 * download folder, removed on close.
 */
public final class Chromium implements AutoCloseable {
    private static final Path BROWSER = Path.of("/usr/bin/chromium");
    private static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    private final ChromeDriver driver;
    private final Path profile;
    private final Path downloads;

    private Chromium(int width, int height) throws IOException {
        installIfMissing();
        profile = Files.createTempDirectory("kofu-chromium");
        downloads = Files.createDirectories(profile.resolve("downloads"));
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BROWSER.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--lang=ja-JP", "--force-device-scale-factor=1",
                "--user-data-dir=" + profile.resolve("profile"), "--window-size=" + width + "," + height);
        // The dev TLS certificate chains to a CA generated at start, which this browser profile does not know.
        options.setAcceptInsecureCerts(true);
        options.setExperimentalOption("prefs", Map.of(
                "download.default_directory", downloads.toString(),
                "download.prompt_for_download", false,
                "intl.accept_languages", "ja-JP"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort()
                .build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().implicitlyWait(Duration.ZERO);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    }

    /** A browser with a desktop window of 1366×900. */
    public static Chromium start() {
        return start(1366, 900);
    }

    public static Chromium start(int width, int height) {
        try {
            return new Chromium(width, height);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public ChromeDriver driver() {
        return driver;
    }

    /** Where files the page downloads arrive. */
    public Path downloads() {
        return downloads;
    }

    /** Writes a PNG of the visible page to {@code target}, creating its folder. */
    /** A wait of up to 20 s that looks again when the page redrew the element meanwhile. */
    public org.openqa.selenium.support.ui.FluentWait<org.openqa.selenium.WebDriver> waiting() {
        return new org.openqa.selenium.support.ui.WebDriverWait(driver(), Duration.ofSeconds(20), Duration.ofMillis(100))
                .ignoring(org.openqa.selenium.StaleElementReferenceException.class);
    }

    /** Waits until the element is shown. */
    public void waitFor(org.openqa.selenium.By by) {
        waiting().until(org.openqa.selenium.support.ui.ExpectedConditions.visibilityOfElementLocated(by));
    }

    /** Clicks the element once it is shown and enabled (a stale element was never clicked: it is found again). */
    public void click(org.openqa.selenium.By by) {
        waiting().until(d -> {
            org.openqa.selenium.WebElement e = d.findElement(by);
            if (!e.isDisplayed() || !e.isEnabled()) {
                return false;
            }
            e.click();
            return true;
        });
    }

    public void screenshot(Path target) {
        try {
            Files.createDirectories(target.toAbsolutePath().getParent());
            Files.write(target, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            TestFiles.deleteRecursively(profile);
        }
    }

    private static void installIfMissing() throws IOException {
        TestPackages.install(); // also the Japanese font the screenshots need; quick when all is there
    }
}
