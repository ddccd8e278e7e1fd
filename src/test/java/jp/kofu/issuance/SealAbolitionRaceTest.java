package jp.kofu.issuance;

import com.fasterxml.jackson.databind.node.ObjectNode;
import jp.kofu.TestNode;
import jp.kofu.card.SoftwareCard;
import jp.kofu.client.CenterClient;
import jp.kofu.client.CenterRequests;
import org.junit.jupiter.api.Test;

import javax.security.auth.x500.X500Principal;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The 2023 misissues of さいたま・新潟・熊本 printed 印鑑登録証明書 after the registration had been 抹消. Here issuers on two
 * nodes ask for 印鑑登録証明書 of residents from many threads while the feed abolishes their registrations one by one
 * through either node: no request sent after an abolition's {@code 200} may ever get a certificate of that seal.
 */
final class SealAbolitionRaceTest {
    private static final int RESIDENTS = 8;

    /** One answer: whose certificate was asked for, when the request left, and what came back. */
    private record Attempt(String resident, long sentNanos, int status) {}

    @Test
    void noSealCertificateIsIssuedAfterTheAbolitionWasAnswered() throws Exception {
        try (TestNode one = TestNode.start(); TestNode two = one.sibling(Map.of(), null)) {
            List<String> residents = new ArrayList<>();
            Map<String, SoftwareCard> cards = new ConcurrentHashMap<>();
            StringBuilder setup = new StringBuilder();
            long seq = 0;
            for (int i = 1; i <= RESIDENTS; i++) {
                String id = "RS" + String.format("%02d", i);
                residents.add(id);
                SoftwareCard card = SoftwareCard.load(one.pki().issueCard(id), one.pki().password());
                cards.put(id, card);
                setup.append(line(++seq, "\"type\":\"RESIDENT_UPSERT\",\"resident\":{\"residentId\":\"" + id
                        + "\",\"householdId\":\"HS" + i + "\",\"familyName\":\"印鑑\",\"givenName\":\"試験" + i + "\","
                        + "\"sex\":\"FEMALE\",\"birthDate\":\"1970-03-0" + (i % 9 + 1) + "\",\"relationship\":\"世帯主\","
                        + "\"address\":\"埼玉県川口市本町一丁目" + i + "番\",\"becameResidentOn\":\"2000-01-01\"}"));
                var cert = card.certificate();
                setup.append(line(++seq, "\"type\":\"CARD_BIND\",\"residentId\":\"" + id + "\",\"issuer\":\""
                        + cert.getIssuerX500Principal().getName(X500Principal.RFC2253) + "\",\"serialNumber\":\""
                        + cert.getSerialNumber().toString(16) + "\""));
                setup.append(line(++seq, "\"type\":\"SEAL_REGISTER\",\"residentId\":\"" + id
                        + "\",\"registrationNumber\":\"I-9" + i + "\",\"registeredName\":\"印鑑　試験" + i + "\","
                        + "\"registeredOn\":\"2010-01-01\",\"sealSizeMm\":15.0,\"sealImage\":\""
                        + Base64.getEncoder().encodeToString(png()) + "\""));
            }
            send(one.sync(), setup.toString());

            Map<String, Long> abolishedAt = new ConcurrentHashMap<>();
            List<Attempt> attempts = Collections.synchronizedList(new ArrayList<>());
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong issued = new AtomicLong();
            ExecutorService pool = Executors.newFixedThreadPool(5);
            List<Future<?>> issuers = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                CenterClient center = (t % 2 == 0 ? one : two).center();
                issuers.add(pool.submit(() -> {
                    while (!stop.get()) {
                        String id = residents.get(ThreadLocalRandom.current().nextInt(residents.size()));
                        long sent = System.nanoTime();
                        int status = issue(center, cards.get(id), id).status();
                        attempts.add(new Attempt(id, sent, status));
                        if (status == 200) {
                            issued.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            long next = seq;
            List<String> order = new ArrayList<>(residents);
            Collections.shuffle(order);
            Thread.sleep(500);
            for (int i = 0; i < order.size(); i++) {
                String id = order.get(i);
                send((i % 2 == 0 ? one : two).sync(), line(++next, "\"type\":\"SEAL_ABOLISH\",\"residentId\":\"" + id + "\""));
                abolishedAt.put(id, System.nanoTime());
                Thread.sleep(150);
            }
            Thread.sleep(500);
            stop.set(true);
            for (Future<?> f : issuers) {
                f.get(60, TimeUnit.SECONDS);
            }
            pool.shutdown();

            List<Attempt> late = attempts.stream()
                    .filter(a -> a.status() == 200 && a.sentNanos() > abolishedAt.get(a.resident())).toList();
            assertEquals(List.of(), late, "certificates of abolished seals, asked for after the abolition's 200");
            assertTrue(issued.get() > 0, "certificates were issued while the seals were registered");
            long refusedAfter = attempts.stream().filter(a -> a.sentNanos() > abolishedAt.get(a.resident())).count();
            assertTrue(refusedAfter > 0, "requests after the abolitions were made (and refused)");
            assertTrue(attempts.stream().allMatch(a -> a.status() == 200 || a.status() == 422),
                    "only issued or NOT_ISSUABLE, never a failure: " + attempts.stream().map(Attempt::status).distinct().toList());
        }
    }

    private static String line(long seq, String fields) {
        return "{\"seq\":" + seq + ",\"municipalityCode\":\"112038\"," + fields + "}\n";
    }

    private static void send(CenterClient feed, String lines) throws Exception {
        CenterClient.Response r = feed.post("/sync/v1/changes", lines.getBytes(StandardCharsets.UTF_8),
                "application/x-ndjson");
        assertEquals(200, r.status(), r.text());
    }

    private static CenterClient.Response issue(CenterClient center, SoftwareCard card, String resident) {
        ObjectNode p = CenterRequests.payload("112038", "SELF", OffsetDateTime.now());
        p.put("certificateType", "INKAN");
        try {
            return center.post("/center/v1/issuances", CenterRequests.issuanceBody("R-" + resident + "-" + System.nanoTime()
                    + "-" + ThreadLocalRandom.current().nextInt(1_000_000), "SEJ-0012345",
                    CenterRequests.sign(card, p)), "application/json");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A small red square 印影 on a transparent background. */
    private static byte[] png() throws Exception {
        var image = new java.awt.image.BufferedImage(64, 64, java.awt.image.BufferedImage.TYPE_INT_ARGB);
        var g = image.createGraphics();
        g.setColor(new java.awt.Color(0xC8, 0x2A, 0x22));
        g.setStroke(new java.awt.BasicStroke(6));
        g.drawRect(4, 4, 56, 56);
        g.dispose();
        var out = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(image, "png", out);
        return out.toByteArray();
    }
}
