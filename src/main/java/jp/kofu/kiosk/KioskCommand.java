package jp.kofu.kiosk;

import jp.kofu.municipality.KioskTerminals;
import jp.kofu.kiosk.reader.CardReader;
import jp.kofu.kiosk.reader.PcscCardReader;
import jp.kofu.kiosk.reader.SoftwareCardReader;
import jp.kofu.municipality.MunicipalityRegistry;
import jp.kofu.pki.DevPki;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar kofu.jar kiosk …}: runs this machine as a city-hall kiosk (see docs/kiosk.md). Without
 * options it is the demo kiosk of a demo node on this machine: software cards, the dev PKI's kiosk certificate,
 * and a "printer" that writes PDFs to {@code ./data/kiosk/printed}.
 */
public final class KioskCommand {
    /** What the demo municipality offers (MunicipalityRegistry.demoMunicipality()). */
    static final String DEMO_FEES = "JUMINHYO=200,JUMINHYO_KISAI=200,INKAN=200";

    private KioskCommand() {}

    public static int run(String[] args) throws InterruptedException {
        Map<String, String> o = new LinkedHashMap<>();
        for (int i = 1; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                return usage("unexpected or incomplete argument " + args[i]);
            }
            o.put(args[i].substring(2), args[++i]);
        }
        Path dataDir = Path.of(o.getOrDefault("data-dir", "./data"));
        String terminal = o.getOrDefault("terminal-id", KioskTerminals.DEMO_TERMINAL);
        Optional<DevPki> dev = Optional.empty();
        if (!o.containsKey("client-keystore") || !o.containsKey("server-ca")
                || !"pcsc".equals(o.get("reader"))) {
            Path pkiDir = dataDir.resolve("dev-pki");
            if (!Files.isDirectory(pkiDir)) {
                return usage("no development PKI in " + pkiDir + ": start the demo node first (java -jar target/kofu.jar),"
                        + " or give --client-keystore, --keystore-password-file, --server-ca and --reader pcsc");
            }
            dev = Optional.of(DevPki.open(pkiDir, Clock.systemUTC()));
        }
        char[] password;
        try {
            password = o.containsKey("keystore-password-file")
                    ? Files.readString(Path.of(o.get("keystore-password-file"))).strip().toCharArray()
                    : dev.orElseThrow().password();
        } catch (IOException e) {
            return usage("cannot read --keystore-password-file: " + e.getMessage());
        }
        Path keystore = o.containsKey("client-keystore") ? Path.of(o.get("client-keystore"))
                : dev.orElseThrow().kioskClientKeystore(terminal);
        Path serverCa = o.containsKey("server-ca") ? Path.of(o.get("server-ca")) : dev.orElseThrow().tlsCa();
        KioskSettings settings;
        try {
            settings = new KioskSettings(URI.create(o.getOrDefault("server", "https://localhost:8443/")), keystore,
                    password, serverCa, terminal,
                    o.getOrDefault("municipality", MunicipalityRegistry.demoMunicipality().code()),
                    KioskSettings.fees(o.getOrDefault("fees", DEMO_FEES)), Integer.parseInt(o.getOrDefault("port", "8480")),
                    Duration.ofSeconds(Long.parseLong(o.getOrDefault("idle-seconds", "60"))),
                    Duration.ofSeconds(Long.parseLong(o.getOrDefault("take-card-seconds", "20"))));
        } catch (IllegalArgumentException e) {
            return usage("bad value: " + e.getMessage());
        }
        CardReader reader = switch (o.getOrDefault("reader", "software")) {
            case "pcsc" -> PcscCardReader.open(Optional.ofNullable(o.get("pcsc-reader")));
            case "software" -> new SoftwareCardReader(dev.orElseThrow().directory().resolve("cards"),
                    dev.orElseThrow().password(), dataDir.resolve("kiosk/card-state"));
            default -> null;
        };
        if (reader == null) {
            return usage("--reader is software or pcsc");
        }
        String printerSpec = o.getOrDefault("printer", "folder:" + dataDir.resolve("kiosk/printed"));
        Printer printer = printerSpec.startsWith("folder:") ? new FolderPrinter(Path.of(printerSpec.substring(7)))
                : printerSpec.equals("system") ? SystemPrinter.open(Optional.empty())
                : printerSpec.startsWith("system:") ? SystemPrinter.open(Optional.of(printerSpec.substring(7)))
                : null;
        if (printer == null) {
            return usage("--printer is folder:<dir>, system or system:<queue name>");
        }
        KioskServer server = KioskServer.start(settings, reader, printer, Clock.systemUTC());
        System.out.println("Kiosk " + terminal + " for " + settings.municipalityCode() + " → " + settings.server()
                + "; open " + server.uri() + " in the kiosk's browser (e.g. chromium --kiosk " + server.uri() + ")");
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stop.countDown();
        }));
        stop.await();
        return 0;
    }

    private static int usage(String problem) {
        System.err.println(problem);
        System.err.println("usage: java -jar target/kofu.jar kiosk [--server https://localhost:8443/]"
                + " [--terminal-id KIOSK-112038-01] [--municipality 112038] [--fees JUMINHYO=200,INKAN=200] [--port 8480]"
                + " [--reader software|pcsc] [--pcsc-reader <name part>] [--printer folder:<dir>|system|system:<queue>]"
                + " [--client-keystore kiosk.p12 --keystore-password-file <file>] [--server-ca ca.pem]"
                + " [--idle-seconds 60] [--take-card-seconds 20] [--data-dir ./data]");
        return 2;
    }
}
