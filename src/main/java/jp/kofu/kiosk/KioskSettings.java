package jp.kofu.kiosk;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * How one kiosk is set up.
 *
 * @param server           the Kofu node's address, e.g. {@code https://kofu.example.lg.jp/}
 * @param clientKeystore   the kiosk's mTLS client certificate and key (PKCS#12), of a {@code kofu.center.client-ca}
 * @param serverCa         the CA that signed the Kofu node's TLS certificate, PEM
 * @param terminalId       this kiosk's id in the city's terminal registry
 * @param municipalityCode the city whose certificates it issues
 * @param fees             the certificate types offered here (contract §8 names, in screen order) with the fee shown
 *                         before issuing, yen per copy; the answer's fee is what is charged
 * @param port             the local port of the touch UI (always on 127.0.0.1; 0 picks a free one)
 * @param idleTimeout      no touch on a screen for this long ends the session
 * @param takeCardTimeout  the "take your card" screen returns to the start after this long
 */
public record KioskSettings(URI server, Path clientKeystore, char[] keystorePassword, Path serverCa, String terminalId,
                           String municipalityCode, Map<String, Integer> fees, int port, Duration idleTimeout,
                           Duration takeCardTimeout) {
    public static final Duration IDLE = Duration.ofSeconds(60);
    public static final Duration TAKE_CARD = Duration.ofSeconds(20);

    public KioskSettings {
        if (fees.isEmpty()) {
            throw new IllegalArgumentException("a kiosk offers at least one certificate type");
        }
        fees = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(fees));
    }

    /**
     * Fees as {@code kiosk --fees} writes them: {@code JUMINHYO=200,INKAN=200} (types of contract §8 in screen order).
     */
    public static Map<String, Integer> fees(String text) {
        Map<String, Integer> fees = new java.util.LinkedHashMap<>();
        for (String part : text.split(",")) {
            String[] kv = part.strip().split("=");
            if (kv.length != 2 || jp.kofu.contract.CertificateType.of(kv[0].strip()).isEmpty()) {
                throw new IllegalArgumentException("--fees: expected TYPE=yen,… with types of contract §8, got " + part);
            }
            int yen = Integer.parseInt(kv[1].strip());
            if (yen < 0) {
                throw new IllegalArgumentException("--fees: a fee is not negative");
            }
            fees.put(kv[0].strip(), yen);
        }
        return fees;
    }
}
