package jp.kofu.kiosk;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How one kiosk is set up.
 *
 * @param server           the Kofu node's address, e.g. {@code https://kofu.example.lg.jp/}
 * @param clientKeystore   the kiosk's mTLS client certificate and key (PKCS#12), of a {@code kofu.center.client-ca}
 * @param serverCa         the CA that signed the Kofu node's TLS certificate, PEM
 * @param terminalId       this kiosk's id in the city's terminal registry
 * @param municipalityCode the city whose certificates it issues
 * @param feePerCopy       the fee shown before issuing (yen per copy); the answer's fee is what is charged
 * @param port             the local port of the touch UI (always on 127.0.0.1; 0 picks a free one)
 * @param idleTimeout      no touch on a screen for this long ends the session
 * @param takeCardTimeout  the "take your card" screen returns to the start after this long
 */
public record KioskSettings(URI server, Path clientKeystore, char[] keystorePassword, Path serverCa, String terminalId,
                           String municipalityCode, int feePerCopy, int port, Duration idleTimeout,
                           Duration takeCardTimeout) {
    public static final Duration IDLE = Duration.ofSeconds(60);
    public static final Duration TAKE_CARD = Duration.ofSeconds(20);
}
