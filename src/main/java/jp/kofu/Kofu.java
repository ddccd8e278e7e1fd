package jp.kofu;

import io.micronaut.runtime.Micronaut;

/** Entry point: without arguments starts the service; {@code demo-issue} acts as the center with a demo card. */
public final class Kofu {
    private Kofu() {}

    public static void main(String[] args) throws Exception {
        Micronaut.run(Kofu.class, args);
    }
}
