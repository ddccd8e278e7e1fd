package jp.kofu.demo;

import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.context.event.StartupEvent;
import jakarta.inject.Singleton;
import jp.kofu.config.KeyFiles;
import jp.kofu.http.Caller;
import jp.kofu.municipality.Municipality;
import jp.kofu.municipality.MunicipalityRegistry;
import jp.kofu.replica.ReplicaStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.security.auth.x500.X500Principal;
import java.io.ByteArrayInputStream;
import java.util.Map;

/**
 * On a start without a municipalities file: loads the demo residents into the demo municipality's replica once
 * (through the same snapshot path the sync feed uses) and says how to get a certificate.
 */
@Singleton
final class DemoLoader implements ApplicationEventListener<StartupEvent> {
    private static final Logger LOG = LoggerFactory.getLogger(DemoLoader.class);

    private final MunicipalityRegistry municipalities;
    private final ReplicaStore replica;
    private final KeyFiles keys;

    DemoLoader(MunicipalityRegistry municipalities, ReplicaStore replica, KeyFiles keys) {
        this.municipalities = municipalities;
        this.replica = replica;
        this.keys = keys;
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
    }
}
