package jp.kofu.config;

import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Secondary;
import jakarta.inject.Singleton;

import java.time.Clock;

/** The one clock of the service; tests replace it to move time. */
@Factory
final class ClockFactory {
    @Singleton
    @Secondary
    Clock clock() {
        return Clock.systemUTC();
    }
}
