package jp.kofu.ops;

import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.http.server.netty.configuration.NettyHttpServerConfiguration;
import io.micronaut.http.server.netty.configuration.NettyHttpServerConfiguration.NettyListenerConfiguration;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Puts the mTLS listener before the management one. Micronaut names the first listener as the server's port and
 * address ({@code EmbeddedServer.getPort()}, the start-up line "Server Running: https://…"), and the order of the
 * listeners of application.yml is otherwise not defined: without this, a node announced its management port as
 * its https address.
 */
@Singleton
final class ListenerOrder implements BeanCreatedEventListener<NettyHttpServerConfiguration> {
    @Override
    public NettyHttpServerConfiguration onCreated(BeanCreatedEvent<NettyHttpServerConfiguration> event) {
        NettyHttpServerConfiguration server = event.getBean();
        if (server.getListeners() != null) {
            List<NettyListenerConfiguration> sorted = new ArrayList<>(server.getListeners());
            sorted.sort(Comparator.comparing(l -> !l.isSsl()));
            server.setListeners(sorted);
        }
        return server;
    }
}
