package jp.kofu.kiosk;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import jp.kofu.kiosk.reader.CardReader;
import jp.kofu.kiosk.reader.CardReaderException;
import jp.kofu.kiosk.reader.SoftwareCardReader;
import jp.kofu.contract.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kiosk mode: the touch UI on {@code http://127.0.0.1:<port>/} for the kiosk's own browser, a JDK HTTP server
 * and nothing of the Kofu node (no Micronaut, no database). Every answer is {@code Cache-Control: no-store}; the
 * browser keeps the session id in page memory only, and reloads the page when a session ends.
 */
public final class KioskServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("kofu.kiosk");
    private static final Pattern PREVIEW = Pattern.compile("/api/preview/([0-9a-f]{32})/([0-9]{1,2})\\.png");
    private static final Pattern CATALOGUE = Pattern.compile("/i18n/([A-Za-z-]{2,10})\\.json");
    private static final int MAX_BODY = 4096;
    private static final String FONT_PATH = "/fonts/ipamjm.ttf";
    private static final Map<String, String> STATIC = Map.of(
            "/", "index.html", "/index.html", "index.html", "/kiosk.css", "kiosk.css", "/kiosk.js", "kiosk.js");

    private final HttpServer http;
    private final KioskFlow flow;
    private final CardReader reader;
    private final ScheduledExecutorService ticker;

    private KioskServer(KioskSettings settings, CardReader reader, Printer printer, Clock clock, KofuConnection kofu)
            throws IOException {
        this.reader = reader;
        this.flow = new KioskFlow(reader, kofu, printer, settings, clock);
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), settings.port()), 16);
        http.createContext("/", this::handle);
        http.setExecutor(Executors.newFixedThreadPool(4, r -> daemon(r, "kiosk-http")));
        ticker = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "kiosk-card-watch"));
    }

    /** Starts the kiosk UI on 127.0.0.1 and the watch of the card reader. */
    public static KioskServer start(KioskSettings settings, CardReader reader, Printer printer, Clock clock) {
        return start(settings, reader, printer, clock, new KofuConnection(settings, clock));
    }

    /** The same, reaching the node through {@code transport} (a test's fake of endpoints not built yet). */
    static KioskServer start(KioskSettings settings, CardReader reader, Printer printer, Clock clock,
                             KofuConnection.Transport transport) {
        return start(settings, reader, printer, clock, new KofuConnection(settings, clock, transport));
    }

    private static KioskServer start(KioskSettings settings, CardReader reader, Printer printer, Clock clock,
                                     KofuConnection kofu) {
        try {
            KioskServer server = new KioskServer(settings, reader, printer, clock, kofu);
            server.http.start();
            server.ticker.scheduleWithFixedDelay(server::tick, 0, 250, TimeUnit.MILLISECONDS);
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the kiosk UI port " + settings.port(), e);
        }
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + http.getAddress().getPort() + "/");
    }

    private void tick() {
        try {
            flow.tick();
        } catch (RuntimeException e) {
            LOG.error("ALARM kiosk card watch failed", e);
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String host = Optional.ofNullable(ex.getRequestHeaders().getFirst("Host")).orElse("");
            int port = http.getAddress().getPort();
            if (!host.equals("127.0.0.1:" + port) && !host.equals("localhost:" + port)) {
                // Only the kiosk's own browser, never a page that rebinds a name to 127.0.0.1.
                send(ex, 403, "text/plain", new byte[0]);
                return;
            }
            String path = ex.getRequestURI().getPath();
            String method = ex.getRequestMethod();
            if (method.equals("GET") && STATIC.containsKey(path)) {
                resource(ex, STATIC.get(path));
            } else if (method.equals("GET") && path.equals(FONT_PATH)) {
                font(ex);
            } else if (method.equals("GET") && path.equals("/api/languages")) {
                json(ex, 200, Map.of("languages", KioskLanguages.IDS));
            } else if (method.equals("GET") && CATALOGUE.matcher(path).matches()) {
                Matcher m = CATALOGUE.matcher(path);
                m.matches();
                if (KioskLanguages.IDS.contains(m.group(1))) {
                    resource(ex, "i18n/" + m.group(1) + ".json");
                } else {
                    send(ex, 404, "text/plain", new byte[0]);
                }
            } else if (method.equals("POST") && path.equals("/api/language")) {
                JsonNode body = body(ex);
                if (body == null) {
                    return;
                }
                boolean done = flow.language(body.path("session").asText(""), body.path("lang").asText(""));
                json(ex, done ? 200 : 409, flow.state());
            } else if (method.equals("GET") && path.equals("/api/state")) {
                json(ex, 200, flow.state());
            } else if (method.equals("GET") && PREVIEW.matcher(path).matches()) {
                Matcher m = PREVIEW.matcher(path);
                m.matches();
                Optional<byte[]> png = flow.previewPage(m.group(1), Integer.parseInt(m.group(2)));
                if (png.isPresent()) {
                    send(ex, 200, "image/png", png.get());
                } else {
                    send(ex, 404, "text/plain", new byte[0]);
                }
            } else if (method.equals("POST") && path.equals("/api/action")) {
                JsonNode body = body(ex);
                if (body == null) {
                    return;
                }
                boolean done = flow.act(body.path("session").asText(""), body.path("action").asText(""), body);
                json(ex, done ? 200 : 409, flow.state());
            } else if (reader instanceof SoftwareCardReader soft && path.startsWith("/api/demo/")) {
                demo(ex, soft, path, method);
            } else {
                send(ex, 404, "text/plain", new byte[0]);
            }
        } catch (RuntimeException e) {
            LOG.error("kiosk request failed", e);
            send(ex, 500, "text/plain", new byte[0]);
        }
    }

    /** The software reader's demo controls: which cards can be put down, put one down, take it away. */
    private void demo(HttpExchange ex, SoftwareCardReader soft, String path, String method) throws IOException {
        if (method.equals("GET") && path.equals("/api/demo/cards")) {
            json(ex, 200, Map.of("cards", soft.cards(), "inserted", soft.inserted().orElse("")));
        } else if (method.equals("POST") && path.equals("/api/demo/insert")) {
            JsonNode body = body(ex);
            if (body == null) {
                return;
            }
            try {
                soft.insert(body.path("card").asText());
                json(ex, 200, Map.of("inserted", body.path("card").asText()));
            } catch (CardReaderException e) {
                json(ex, 404, Map.of("error", "no such card"));
            }
        } else if (method.equals("POST") && path.equals("/api/demo/remove")) {
            if (body(ex) == null) {
                return;
            }
            soft.remove();
            json(ex, 200, Map.of("inserted", ""));
        } else {
            send(ex, 404, "text/plain", new byte[0]);
        }
    }

    /** A JSON body (the content type keeps other pages' plain form posts out), or null once refused. */
    private static JsonNode body(HttpExchange ex) throws IOException {
        String type = Optional.ofNullable(ex.getRequestHeaders().getFirst("Content-Type")).orElse("");
        byte[] bytes;
        try (InputStream in = ex.getRequestBody()) {
            bytes = in.readNBytes(MAX_BODY + 1);
        }
        if (!type.startsWith("application/json") || bytes.length > MAX_BODY) {
            send(ex, 400, "text/plain", new byte[0]);
            return null;
        }
        try {
            JsonNode node = Json.MAPPER.readTree(bytes);
            return node == null ? Json.MAPPER.createObjectNode() : node;
        } catch (IOException e) {
            send(ex, 400, "text/plain", new byte[0]);
            return null;
        }
    }

    private static void resource(HttpExchange ex, String name) throws IOException {
        try (InputStream in = KioskServer.class.getResourceAsStream("/kiosk/" + name)) {
            if (in == null) {
                send(ex, 404, "text/plain", new byte[0]);
                return;
            }
            String type = name.endsWith(".html") ? "text/html; charset=utf-8"
                    : name.endsWith(".css") ? "text/css; charset=utf-8"
                    : name.endsWith(".json") ? "application/json; charset=utf-8" : "text/javascript; charset=utf-8";
            send(ex, 200, type, in.readAllBytes());
        }
    }

    /** The forms' font, for the rare characters of names; not personal, so the browser may keep it. */
    private static void font(HttpExchange ex) throws IOException {
        try (InputStream in = KioskServer.class.getResourceAsStream("/pdf-templates/fonts/ipamjm.ttf")) {
            if (in == null) {
                send(ex, 404, "text/plain", new byte[0]);
                return;
            }
            ex.getResponseHeaders().set("Content-Type", "font/ttf");
            ex.getResponseHeaders().set("Cache-Control", "public, max-age=86400, immutable");
            ex.sendResponseHeaders(200, 0);
            in.transferTo(ex.getResponseBody());
        }
    }

    private static void json(HttpExchange ex, int status, Object body) throws IOException {
        send(ex, status, "application/json; charset=utf-8", Json.bytes(body));
    }

    private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        var h = ex.getResponseHeaders();
        h.set("Content-Type", type);
        h.set("Cache-Control", "no-store");
        h.set("Pragma", "no-cache");
        h.set("X-Content-Type-Options", "nosniff");
        h.set("Referrer-Policy", "no-referrer");
        h.set("Content-Security-Policy",
                "default-src 'self'; img-src 'self'; style-src 'self'; script-src 'self'; frame-ancestors 'none'");
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            ex.getResponseBody().write(body);
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        http.stop(0);
        flow.shutdown();
    }
}
