package jp.kofu.koseki.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import jp.kofu.contract.Json;
import jp.kofu.pki.Credential;
import jp.kofu.pki.DevPki;
import jp.kofu.pki.Pem;
import jp.kofu.pki.Pkcs12;
import jp.kofu.pki.TlsContexts;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * A 戸籍システム for development and demos ({@code java -jar kofu.jar koseki-sim [--port N] [--data-dir DIR]}):
 * {@code POST /koseki/v1/certificate-data} and {@code /koseki/v1/person-lookup} of contract §9 over mutual TLS, with
 * the development PKI's 戸籍 server certificate (localhost, 127.0.0.1), accepting only client certificates of the
 * development 戸籍 client CA. It answers from the fixture 戸籍 of 川口市 (docs/koseki.md). Loopback only.
 */
public final class KosekiSimulator implements AutoCloseable {
    /** The default port: beside the node's 8443. */
    public static final int DEFAULT_PORT = 8444;
    private static final int MAX_BODY = 64 * 1024;

    private final HttpsServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(8);

    private KosekiSimulator(HttpsServer server) {
        this.server = server;
    }

    /** Starts the simulator on a loopback port (0: any free one) with the development PKI's 戸籍 credentials. */
    public static KosekiSimulator start(DevPki pki, int port) throws IOException {
        SSLContext tls = tls(Pkcs12.read(pki.kosekiServerKeystore(), pki.password()),
                Pem.readCertificates(pki.kosekiClientCa()));
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        server.setHttpsConfigurator(new HttpsConfigurator(tls) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters p = tls.getDefaultSSLParameters();
                p.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
                p.setNeedClientAuth(true);
                params.setSSLParameters(p);
            }
        });
        SimulatedKoseki koseki = SimulatedKoseki.fixture();
        KosekiSimulator simulator = new KosekiSimulator(server);
        server.createContext("/koseki/v1/certificate-data", exchange -> answer(exchange, koseki::certificateData));
        server.createContext("/koseki/v1/person-lookup", exchange -> answer(exchange, koseki::personLookup));
        server.setExecutor(simulator.threads);
        server.start();
        return simulator;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The {@code koseki:} value a municipalities file gives to reach this simulator with the development PKI. */
    public String kosekiSetting() {
        return "{ url: \"https://127.0.0.1:" + port() + "/\" }";
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }

    /** The {@code koseki-sim} command. */
    public static int run(String[] args) throws Exception {
        int port = DEFAULT_PORT;
        Path dataDir = Path.of("data");
        for (int i = 1; i < args.length; i++) {
            if (args[i].equals("--port") && i + 1 < args.length) {
                port = Integer.parseInt(args[++i]);
            } else if (args[i].equals("--data-dir") && i + 1 < args.length) {
                dataDir = Path.of(args[++i]);
            } else {
                System.err.println("usage: java -jar kofu.jar koseki-sim [--port N] [--data-dir DIR]"
                        + "  (DIR: the node's kofu.data-dir, whose dev-pki it shares; default ./data)");
                return 2;
            }
        }
        DevPki pki = DevPki.open(dataDir.resolve("dev-pki"), Clock.systemUTC());
        KosekiSimulator simulator = start(pki, port);
        System.out.println("戸籍システム SIMULATOR (development only) on https://127.0.0.1:" + simulator.port()
                + "/koseki/v1/ — fixture 戸籍 of 川口市 112038, " + SimulatedKoseki.fixture().size() + " 戸籍");
        System.out.println("  server certificate " + pki.kosekiServerKeystore() + "; client CA " + pki.kosekiClientCa());
        System.out.println("  in the municipalities file (with kofu.dev-pki: true and kofu.data-dir " + dataDir
                + "):  koseki: " + simulator.kosekiSetting());
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            simulator.close();
            stop.countDown();
        }));
        stop.await();
        return 0;
    }

    private static void answer(HttpExchange exchange, Function<JsonNode, SimulatedKoseki.Answer> handler)
            throws IOException {
        try (exchange) {
            SimulatedKoseki.Answer answer;
            byte[] body = exchange.getRequestBody().readNBytes(MAX_BODY + 1);
            if (!"POST".equals(exchange.getRequestMethod())) {
                answer = new SimulatedKoseki.Answer(405, Json.MAPPER.createObjectNode().put("code", "METHOD_NOT_ALLOWED"));
            } else if (body.length > MAX_BODY) {
                answer = new SimulatedKoseki.Answer(400, Json.MAPPER.createObjectNode().put("code", "MALFORMED_REQUEST"));
            } else {
                JsonNode request;
                try {
                    request = Json.MAPPER.readTree(body);
                } catch (IOException e) {
                    request = null;
                }
                answer = request == null || !request.isObject()
                        ? new SimulatedKoseki.Answer(400, Json.MAPPER.createObjectNode().put("code", "MALFORMED_REQUEST"))
                        : handler.apply(request);
            }
            byte[] bytes = Json.bytes(answer.body());
            exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
            exchange.sendResponseHeaders(answer.status(), bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private static SSLContext tls(Credential server, List<X509Certificate> clientCas) {
        return TlsContexts.of(server, clientCas);
    }
}
