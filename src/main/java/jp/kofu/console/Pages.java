package jp.kofu.console;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.views.thymeleaf.ThymeleafViewsRenderer;
import jakarta.inject.Singleton;
import jp.kofu.alarm.AlarmBook;
import jp.kofu.console.account.StaffAccount;
import jp.kofu.console.account.StaffRole;
import jp.kofu.console.account.StaffSession;
import jp.kofu.municipality.MunicipalityRegistry;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Renders the console's Thymeleaf templates ({@code src/main/resources/views/console/}) to HTML, with what the
 * layout needs: the staff member, their municipality, the menu their role opens, the CSRF token for forms.
 */
@Singleton
final class Pages {
    static final String HTML = MediaType.TEXT_HTML + ";charset=utf-8";
    private final ThymeleafViewsRenderer<Map<String, Object>> renderer;
    private final MunicipalityRegistry municipalities;
    private final AlarmBook alarms;

    Pages(ThymeleafViewsRenderer<Map<String, Object>> renderer, MunicipalityRegistry municipalities,
          AlarmBook alarms) {
        this.renderer = renderer;
        this.municipalities = municipalities;
        this.alarms = alarms;
    }

    /**
     * A page; {@code active} is the menu item to highlight. The body is bytes, which the service's JSON error
     * shaping (jp.kofu.http.ErrorBodies) leaves alone.
     */
    MutableHttpResponse<byte[]> page(HttpRequest<?> request, String view, String title, String active,
                                     Map<String, Object> model) {
        return page(request, HttpStatus.OK, view, title, active, model);
    }

    MutableHttpResponse<byte[]> page(HttpRequest<?> request, HttpStatus status, String view, String title,
                                     String active, Map<String, Object> model) {
        Map<String, Object> all = new HashMap<>(model);
        request.getAttribute(Console.SESSION, StaffSession.class).ifPresent(s -> {
            all.put("me", me(s));
            all.put("csrf", s.csrfToken());
        });
        all.put("title", title);
        all.put("active", active);
        return HttpResponse.<byte[]>status(status).contentType(HTML)
                .body(render(request, view, all).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    String municipalityName(String code) {
        return municipalities.find(code).map(m -> m.name()).orElse(code);
    }

    private Map<String, Object> me(StaffSession s) {
        StaffAccount a = s.staff();
        Map<String, Object> me = new LinkedHashMap<>();
        me.put("name", a.displayName());
        me.put("login", a.login());
        me.put("municipality", municipalityName(a.municipalityCode()));
        me.put("municipalityCode", a.municipalityCode());
        me.put("signedIn", !s.totpPending() && !a.mustChangePassword());
        me.put("audit", a.role().includes(StaffRole.AUDITOR));
        me.put("admin", a.role().includes(StaffRole.ADMIN));
        me.put("kosekiReviewer", a.kosekiReviewer());
        me.put("openAlarms", !s.totpPending() && !a.mustChangePassword() && a.role().includes(StaffRole.AUDITOR)
                ? openAlarms(a.municipalityCode()) : null);
        me.put("aspAdmin", a.aspAdmin());
        me.put("role", a.aspAdmin() ? a.role().label() + "・ASP管理者" : a.role().label());
        return me;
    }

    /** The menu's count of open, unacknowledged alarms; none when it cannot be read (the page still renders). */
    private Long openAlarms(String municipalityCode) {
        try {
            return alarms.openCount(municipalityCode);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private String render(HttpRequest<?> request, String view, Map<String, Object> model) {
        StringWriter out = new StringWriter();
        try {
            renderer.render("console/" + view, model, request).writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
