package jp.kofu.demo;

import jp.kofu.TestNode;
import jp.kofu.console.account.LoginOutcome;
import jp.kofu.console.account.StaffAccounts;
import jp.kofu.console.account.StaffRole;
import jp.kofu.config.KofuSettings;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/** The demo start makes a 管理者 for the console; its password is in an owner-only file of the data folder. */
final class DemoStaffAccountTest {
    @Test
    void makesADemoAdministratorWhosePasswordIsKeptForItsOwnerOnly() throws Exception {
        try (TestNode node = TestNode.start()) {
            Path file = node.context().getBean(KofuSettings.class).dataDir().resolve("console-demo-password.txt");
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
            String password = Files.readAllLines(file).get(1).replace("password: ", "");
            var outcome = node.context().getBean(StaffAccounts.class).checkPassword("112038", "demo", password, "127.0.0.1");
            var accepted = assertInstanceOf(LoginOutcome.Accepted.class, outcome);
            assertEquals(StaffRole.ADMIN, accepted.staff().role());
            assertEquals("112038", accepted.staff().municipalityCode());
        }
    }
}
