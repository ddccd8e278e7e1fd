package jp.kofu.http;

import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.http.ssl.ServerSslConfiguration;
import jakarta.inject.Singleton;
import jp.kofu.config.KeyFiles;
import jp.kofu.config.KofuSettings;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/**
 * Points Micronaut's TLS listener at Kofu's PEM files: the server chain and key, and as trusted client CAs the
 * union of the center and sync CAs (which of them a path accepts is decided by {@link CallerFilter}).
 */
@Singleton
final class TlsFiles implements BeanCreatedEventListener<ServerSslConfiguration> {
    private final KeyFiles keys;
    private final KofuSettings settings;
    private final ClientTrust centerTrust;
    private final ClientTrust syncTrust;

    TlsFiles(KeyFiles keys, KofuSettings settings, Clock clock) {
        this.keys = keys;
        this.settings = settings;
        this.centerTrust = new ClientTrust(keys.centerClientCa(), clock);
        this.syncTrust = new ClientTrust(keys.syncClientCa(), clock);
    }

    ClientTrust centerTrust() {
        return centerTrust;
    }

    ClientTrust syncTrust() {
        return syncTrust;
    }

    @Override
    public ServerSslConfiguration onCreated(BeanCreatedEvent<ServerSslConfiguration> event) {
        ServerSslConfiguration ssl = event.getBean();
        var keyStore = ssl.getKeyStore();
        keyStore.setCertificatePath("file:" + keys.tlsCertificate().toAbsolutePath());
        keyStore.setKeyPath("file:" + keys.tlsPrivateKey().toAbsolutePath());
        ssl.getTrustStore().setPath("file:" + combinedClientCas().toAbsolutePath());
        return ssl;
    }

    /** Netty takes one trust store; it holds both CA files, and the filter tells them apart per path. */
    private Path combinedClientCas() {
        try {
            Path dir = Files.createDirectories(settings.dataDir().resolve("run"));
            Path combined = dir.resolve("client-cas.pem");
            String pem = Files.readString(keys.centerClientCa(), StandardCharsets.US_ASCII).strip() + "\n"
                    + Files.readString(keys.syncClientCa(), StandardCharsets.US_ASCII).strip() + "\n";
            Files.writeString(combined, pem, StandardCharsets.US_ASCII);
            return combined;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the client CA bundle", e);
        }
    }
}
