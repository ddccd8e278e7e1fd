package jp.kofu.console.account;

import io.micronaut.context.ApplicationContext;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code java -jar kofu.jar staff …}: staff accounts from the command line, on the service's database (the same
 * settings as the service). How a city makes its first 管理者; the others are best made on the console's 職員
 * アカウント page. With the embedded database, run it while the service is stopped. A login id is unique within its
 * municipality only, so every command names the municipality.
 *
 * <pre>
 * staff add --municipality 112038 --login yamada --name "山田 花子" --role 管理者
 * staff list --municipality 112038
 * staff unlock --municipality 112038 --login yamada
 * staff reset-password --municipality 112038 --login yamada
 * staff disable --municipality 112038 --login yamada | staff enable --municipality 112038 --login yamada
 * staff grant-asp-admin --municipality 112038 --login yamada | staff revoke-asp-admin …
 * </pre>
 */
public final class StaffCommand {
    private StaffCommand() {}

    public static int run(String[] args) {
        return run(args, System.out, System.err, Map.of());
    }

    static int run(String[] args, PrintStream out, PrintStream err, Map<String, Object> properties) {
        if (args.length < 2) {
            return usage(err, null);
        }
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 2; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                return usage(err, "unexpected argument " + args[i]);
            }
            opts.put(args[i].substring(2), args[++i]);
        }
        try (ApplicationContext context = ApplicationContext.builder().environments("staff-cli")
                .properties(properties).start()) {
            StaffAccounts accounts = context.getBean(StaffAccounts.class);
            StaffActionLog log = context.getBean(StaffActionLog.class);
            String actor = "cli:" + System.getProperty("user.name", "?");
            switch (args[1]) {
                case "add" -> {
                    Optional<StaffRole> role = StaffRole.parse(opts.get("role"));
                    if (role.isEmpty() || !opts.containsKey("municipality") || !opts.containsKey("login")
                            || !opts.containsKey("name")) {
                        return usage(err, "add needs --municipality, --login, --name and --role (閲覧者, 監査者 or 管理者)");
                    }
                    String password = Passwords.generate();
                    StaffAccount a = accounts.add(opts.get("municipality"), opts.get("login"), opts.get("name"),
                            role.get(), password, true);
                    log.write(new StaffAction(a.municipalityCode(), actor, StaffAction.Kind.STAFF_ADD,
                            StaffAction.Outcome.OK, a.login(), "role=" + a.role().name(), null, null, null));
                    out.println("Added " + a.login() + " (" + a.displayName() + ", " + a.role().label() + ", "
                            + a.municipalityCode() + ").");
                    out.println("First password (shown only now; to be changed at the first login): " + password);
                }
                case "list" -> {
                    String municipality = opts.get("municipality");
                    if (municipality == null) {
                        return usage(err, "list needs --municipality");
                    }
                    for (StaffAccount a : accounts.list(municipality)) {
                        out.println(a.login() + "\t" + a.displayName() + "\t" + a.role().label()
                                + (a.aspAdmin() ? "\tASP管理者" : "")
                                + (a.disabled() ? "\t停止中" : "") + (a.lockedUntil() != null ? "\tロック" : ""));
                    }
                }
                case "unlock", "reset-password", "disable", "enable", "grant-asp-admin", "revoke-asp-admin" -> {
                    if (!opts.containsKey("municipality") || !opts.containsKey("login")) {
                        return usage(err, args[1] + " needs --municipality and --login");
                    }
                    StaffAccount a = accounts.find(opts.get("municipality"), opts.get("login")).orElse(null);
                    if (a == null) {
                        err.println("No staff account " + opts.get("login") + " in " + opts.get("municipality") + ".");
                        return 1;
                    }
                    StaffAction.Kind kind;
                    switch (args[1]) {
                        case "unlock" -> {
                            accounts.unlock(a.id());
                            kind = StaffAction.Kind.STAFF_UNLOCK;
                        }
                        case "reset-password" -> {
                            out.println("New password (to be changed at the next login): "
                                    + accounts.resetPassword(a.id()));
                            context.getBean(StaffSessions.class).endAll(a.id());
                            kind = StaffAction.Kind.STAFF_RESET_PASSWORD;
                        }
                        case "grant-asp-admin", "revoke-asp-admin" -> {
                            // The ASP's permission is the server operator's to give: never from the console.
                            boolean grant = args[1].startsWith("grant");
                            accounts.setAspAdmin(a.id(), grant);
                            kind = grant ? StaffAction.Kind.STAFF_GRANT_ASP_ADMIN
                                    : StaffAction.Kind.STAFF_REVOKE_ASP_ADMIN;
                        }
                        default -> {
                            boolean disable = args[1].equals("disable");
                            accounts.setDisabled(a.id(), disable);
                            if (disable) {
                                context.getBean(StaffSessions.class).endAll(a.id());
                            }
                            kind = disable ? StaffAction.Kind.STAFF_DISABLE : StaffAction.Kind.STAFF_ENABLE;
                        }
                    }
                    log.write(new StaffAction(a.municipalityCode(), actor, kind, StaffAction.Outcome.OK, a.login(),
                            null, null, null, null));
                    out.println("Done: " + args[1] + " " + a.login() + ".");
                }
                default -> {
                    return usage(err, "unknown command " + args[1]);
                }
            }
            return 0;
        } catch (StaffAccountException e) {
            err.println(e.getMessage());
            return 1;
        }
    }

    private static int usage(PrintStream err, String problem) {
        if (problem != null) {
            err.println(problem);
        }
        err.println("""
                usage: java -jar kofu.jar staff add --municipality 112038 --login yamada --name "山田 花子" --role 管理者
                       java -jar kofu.jar staff list --municipality 112038
                       java -jar kofu.jar staff unlock|reset-password|disable|enable --municipality 112038 --login yamada
                       java -jar kofu.jar staff grant-asp-admin|revoke-asp-admin --municipality 112038 --login yamada
                grant-asp-admin: the ASP 管理者 permission (reload the municipalities file everywhere; docs/settings.md).
                roles: 閲覧者 (VIEWER), 監査者 (AUDITOR), 管理者 (ADMIN). Settings as for the service (KOFU_DB_URL ...);
                with the embedded database, stop the service first.""");
        return 2;
    }
}
