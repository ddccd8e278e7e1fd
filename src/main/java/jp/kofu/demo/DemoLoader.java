package jp.kofu.demo;

import io.micronaut.context.env.Environment;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.context.event.StartupEvent;
import jakarta.inject.Singleton;
import jp.kofu.config.KeyFiles;
import jakarta.annotation.PreDestroy;
import jp.kofu.http.Caller;
import jp.kofu.koseki.sim.KosekiSimulator;
import jp.kofu.municipality.Municipality;
import jp.kofu.municipality.MunicipalityRegistry;
import jp.kofu.replica.ReplicaStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.security.auth.x500.X500Principal;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Map;

/**
 * On a start without a municipalities file: loads the demo residents into the demo municipality's replica once
 * (through the same snapshot path the sync feed uses), starts the 戸籍 simulator in this process when the demo's
 * 戸籍 link (127.0.0.1:8444) finds nothing listening (not in tests, nor with {@code kofu.demo.koseki-simulator:
 * false}), and says how to get a certificate.
 */
@Singleton
final class DemoLoader implements ApplicationEventListener<StartupEvent> {
    private static final Logger LOG = LoggerFactory.getLogger(DemoLoader.class);

    private final MunicipalityRegistry municipalities;
    private final ReplicaStore replica;
    private final KeyFiles keys;
    private final Environment environment;
    private KosekiSimulator simulator;

    DemoLoader(MunicipalityRegistry municipalities, ReplicaStore replica, KeyFiles keys, Environment environment) {
        this.municipalities = municipalities;
        this.replica = replica;
        this.keys = keys;
        this.environment = environment;
    }

    @Override
    public void onApplicationEvent(StartupEvent event) {
        if (!municipalities.isDemo()) {
            return;
        }
        Municipality demo = MunicipalityRegistry.demoMunicipality();
        // Loaded as the development feed, the demo municipality's one sync client, would load it.
        Caller feed = Caller.acting(new X500Principal(MunicipalityRegistry.DEMO_SYNC_CLIENT));
        Map<String, Object> status = replica.status(feed, demo.code());
        boolean empty = ((Number) status.get("residents")).longValue() == 0
                && ((Number) status.get("appliedThrough")).longValue() == 0;
        if (empty) {
            int count = replica.loadSnapshot(feed, demo.code(), 0,
                    new ByteArrayInputStream(DemoResidents.snapshot(demo.code(), keys.devPki())));
            LOG.info("Loaded {} demo residents into {} {} and bound their demo cards", count, demo.code(), demo.name());
        }
        LOG.info("DEMO: try  java -jar target/kofu.jar demo-issue --resident {} --out juminhyo.pdf"
                + "   (demo residents: {})", DemoResidents.FAMILY_HEAD, DemoResidents.CARD_HOLDERS);
        municipalities.find(demo.code()).flatMap(Municipality::koseki).ifPresent(link -> {
            startSimulatorIfAbsent(link.url());
            LOG.info("DEMO: 戸籍  java -jar target/kofu.jar demo-issue --type KOSEKI_ZENBU --out koseki.pdf"
                    + "   (戸籍システム simulator at {})", link.url());
        });
    }

    /**
     * The demo's 戸籍 link points at the simulator's port on this machine: when nothing listens there (no
     * {@code koseki-sim} started beside), run the simulator in this process, on this node's development PKI.
     */
    private void startSimulatorIfAbsent(java.net.URI url) {
        boolean test = environment.getActiveNames().contains(Environment.TEST);
        if (test || !environment.getProperty("kofu.demo.koseki-simulator", Boolean.class, true)
                || !"127.0.0.1".equals(url.getHost()) || url.getPort() != KosekiSimulator.DEFAULT_PORT) {
            return;
        }
        try (Socket probe = new Socket()) {
            probe.connect(new InetSocketAddress("127.0.0.1", url.getPort()), 300);
            LOG.info("DEMO: something listens on 127.0.0.1:{}; taking it for the 戸籍 simulator (koseki-sim)",
                    url.getPort());
            return;
        } catch (IOException nothing) {
            // free: start it here
        }
        try {
            simulator = KosekiSimulator.start(keys.devPki(), url.getPort());
            LOG.warn("DEMO: started the 戸籍システム SIMULATOR (development only, invented 戸籍) in this process on"
                    + " https://127.0.0.1:{}/", simulator.port());
        } catch (IOException | RuntimeException e) {
            LOG.warn("DEMO: could not start the 戸籍 simulator on 127.0.0.1:{} ({}): 戸籍 certificates answer"
                    + " SERVICE_UNAVAILABLE until `java -jar target/kofu.jar koseki-sim` runs", url.getPort(),
                    e.toString());
        }
    }

    @PreDestroy
    void stopSimulator() {
        if (simulator != null) {
            simulator.close();
        }
    }
}
