package jp.kofu.demo;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.context.event.StartupEvent;
import jakarta.inject.Singleton;
import jp.kofu.config.KofuSettings;
import jp.kofu.console.account.Passwords;
import jp.kofu.console.account.StaffAccounts;
import jp.kofu.console.account.StaffRole;
import jp.kofu.municipality.MunicipalityRegistry;
import jp.kofu.pki.SecureFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * On a demo start: a 管理者 of the demo municipality for the staff console, login {@code demo}. Its password is
 * made at the first start, printed once on the console (standard output, never through the log) and kept in
 * {@code <data-dir>/console-demo-password.txt}, readable by its owner only.
 */
@Singleton
@Requires(notEnv = "staff-cli")
final class DemoStaffAccount implements ApplicationEventListener<StartupEvent> {
    static final String LOGIN = "demo";
    private static final Logger LOG = LoggerFactory.getLogger(DemoStaffAccount.class);

    private final MunicipalityRegistry municipalities;
    private final StaffAccounts accounts;
    private final KofuSettings settings;

    DemoStaffAccount(MunicipalityRegistry municipalities, StaffAccounts accounts, KofuSettings settings) {
        this.municipalities = municipalities;
        this.accounts = accounts;
        this.settings = settings;
    }

    @Override
    public void onApplicationEvent(StartupEvent event) {
        if (!municipalities.isDemo()) {
            return;
        }
        String url = "https://localhost:" + settings.httpsPort() + "/console/";
        Path file = settings.dataDir().resolve("console-demo-password.txt");
        if (accounts.find(MunicipalityRegistry.demoMunicipality().code(), LOGIN).isPresent()) {
            LOG.info("DEMO: staff console {}  login {}, password in {}", url, LOGIN, file);
            return;
        }
        String password = Passwords.generate();
        var demo = MunicipalityRegistry.demoMunicipality();
        accounts.add(demo.code(), LOGIN, "見本 職員", StaffRole.ADMIN, password, false);
        SecureFile.write(file, ("login: " + LOGIN + "\npassword: " + password + "\n").getBytes(StandardCharsets.UTF_8),
                true);
        System.out.println("""

                ====================================================================================
                 Staff console (demo): %s
                   団体コード: %s (already filled in on the login page)
                   login:    %s
                   password: %s   (管理者 of %s %s)
                 This password is printed only this once. It is kept in %s (owner only).
                ====================================================================================
                """.formatted(url, demo.code(), LOGIN, password, demo.code(), demo.name(), file));
    }
}
