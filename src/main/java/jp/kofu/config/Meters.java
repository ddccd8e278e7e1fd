package jp.kofu.config;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

/**
 * Where Kofu's meters are kept: Micronaut's composite {@code MeterRegistry} (the one to inject) adds every registry
 * bean, and without one it would drop every count. This in-memory registry holds them until a {@code /metrics}
 * listener (contract §10) adds its Prometheus registry beside it.
 */
@Factory
final class Meters {
    @Singleton
    SimpleMeterRegistry inMemory() {
        return new SimpleMeterRegistry();
    }
}
