package jp.kofu.console.account;

import jp.kofu.TestDatabase;
import jp.kofu.TestFiles;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code java -jar kofu.jar staff …} against a real database: how a city makes its first 管理者. */
final class StaffCommandTest {
    @Test
    void addsAnAdministratorWhoseFirstPasswordMustBeChanged() throws Exception {
        Path data = Files.createDirectories(Path.of("target", "staff-cli-" + System.nanoTime()));
        Map<String, Object> props = Map.of("kofu.db.url", TestDatabase.newDatabase(),
                "kofu.db.user", TestDatabase.app().user(), "kofu.db.password", TestDatabase.app().password(),
                "kofu.db.admin-user", TestDatabase.admin().user(),
                "kofu.db.admin-password", TestDatabase.admin().password(), "kofu.data-dir", data.toString());
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code = StaffCommand.run(new String[] {"staff", "add", "--municipality", "112038", "--login", "yamada",
                    "--name", "山田 花子", "--role", "管理者"}, new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8), props);
            String printed = out.toString(StandardCharsets.UTF_8);
            assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
            Matcher m = Pattern.compile("First password .*: (\\S+)").matcher(printed);
            assertTrue(m.find(), printed);
            int again = StaffCommand.run(new String[] {"staff", "add", "--municipality", "112038", "--login", "yamada",
                    "--name", "山田 花子", "--role", "閲覧者"}, new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8), props);
            assertEquals(1, again);
            assertTrue(err.toString(StandardCharsets.UTF_8).contains("既に使われています"));
            assertEquals(2, StaffCommand.run(new String[] {"staff", "unlock", "--login", "yamada"},
                    new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                    props), "a login id names nobody without its municipality");
            assertEquals(1, StaffCommand.run(new String[] {"staff", "unlock", "--municipality", "131016", "--login",
                    "yamada"}, new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8), props), "no yamada in 千代田区");
            assertEquals(0, StaffCommand.run(new String[] {"staff", "unlock", "--municipality", "112038", "--login",
                    "yamada"}, new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8), props));
            try (var context = io.micronaut.context.ApplicationContext.builder().environments("staff-cli")
                    .properties(props).start()) {
                StaffAccounts accounts = context.getBean(StaffAccounts.class);
                var outcome = accounts.checkPassword("112038", "yamada", m.group(1), "127.0.0.1");
                var accepted = assertInstanceOf(LoginOutcome.Accepted.class, outcome);
                assertEquals(StaffRole.ADMIN, accepted.staff().role());
                assertTrue(accepted.staff().mustChangePassword());
            }
        } finally {
            TestFiles.deleteRecursively(data);
        }
    }

    /** The ASP 管理者 permission is given and taken only here, on the server; the account list shows it. */
    @Test
    void grantsAndRevokesTheAspAdministratorPermission() throws Exception {
        Path data = Files.createDirectories(Path.of("target", "staff-cli-" + System.nanoTime()));
        Map<String, Object> props = Map.of("kofu.db.url", TestDatabase.newDatabase(),
                "kofu.db.user", TestDatabase.app().user(), "kofu.db.password", TestDatabase.app().password(),
                "kofu.db.admin-user", TestDatabase.admin().user(),
                "kofu.db.admin-password", TestDatabase.admin().password(), "kofu.data-dir", data.toString());
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
            PrintStream e = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
            assertEquals(0, StaffCommand.run(new String[] {"staff", "add", "--municipality", "112038", "--login",
                    "asp", "--name", "ASP 担当", "--role", "管理者"}, o, e, props));
            assertEquals(0, StaffCommand.run(new String[] {"staff", "grant-asp-admin", "--municipality", "112038",
                    "--login", "asp"}, o, e, props));
            out.reset();
            assertEquals(0, StaffCommand.run(new String[] {"staff", "list", "--municipality", "112038"}, o, e, props));
            assertTrue(out.toString(StandardCharsets.UTF_8).contains("asp\tASP 担当\t管理者\tASP管理者"), out.toString());
            assertEquals(0, StaffCommand.run(new String[] {"staff", "revoke-asp-admin", "--municipality", "112038",
                    "--login", "asp"}, o, e, props));
            out.reset();
            StaffCommand.run(new String[] {"staff", "list", "--municipality", "112038"}, o, e, props);
            assertFalse(out.toString(StandardCharsets.UTF_8).contains("ASP管理者"), out.toString());
        } finally {
            TestFiles.deleteRecursively(data);
        }
    }
}
