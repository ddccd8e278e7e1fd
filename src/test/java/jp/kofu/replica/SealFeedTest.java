package jp.kofu.replica;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import jp.kofu.TestNode;
import jp.kofu.card.SoftwareCard;
import jp.kofu.db.Database;
import jp.kofu.client.CenterClient;
import jp.kofu.client.CenterRequests;
import jp.kofu.contract.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import javax.imageio.ImageIO;
import javax.security.auth.x500.X500Principal;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.ResultSet;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** 印鑑登録 through the feed (contract §6 SEAL_REGISTER, SEAL_ABOLISH): kept per person, and gone without a trace. */
final class SealFeedTest {
    private static final String CITY = "112038";
    private TestNode node;
    private CenterClient sync;
    private SoftwareCard card;
    private ReplicaStore store;
    private Database db;

    @BeforeEach
    void start() throws Exception {
        node = TestNode.start();
        sync = node.sync();
        store = node.context().getBean(ReplicaStore.class);
        db = node.context().getBean(Database.class);
        card = SoftwareCard.load(node.pki().issueCard("seal-test"), node.pki().password());
        CenterClient.Response r = sync.put("/sync/v1/snapshot?municipalityCode=" + CITY + "&asOfSeq=100",
                (resident(0, "X1", "XH1") + bind("X1")).getBytes(StandardCharsets.UTF_8), "application/x-ndjson");
        assertEquals(200, r.status(), r.text());
    }

    @AfterEach
    void stop() {
        node.close();
    }

    static String resident(long seq, String id, String household) {
        return "{" + (seq == 0 ? "" : "\"seq\":" + seq + ",") + "\"type\":\"RESIDENT_UPSERT\",\"municipalityCode\":\""
                + CITY + "\",\"resident\":{\"residentId\":\"" + id + "\",\"householdId\":\"" + household
                + "\",\"familyName\":\"印鑑\",\"givenName\":\"一\",\"sex\":\"MALE\",\"birthDate\":\"1970-01-01\","
                + "\"relationship\":\"世帯主\",\"address\":\"埼玉県川口市青木一丁目1番1号\"}}\n";
    }

    private String bind(String residentId) {
        return "{\"type\":\"CARD_BIND\",\"municipalityCode\":\"" + CITY + "\",\"residentId\":\"" + residentId
                + "\",\"issuer\":\"" + card.certificate().getIssuerX500Principal().getName(X500Principal.RFC2253)
                + "\",\"serialNumber\":\"" + card.certificate().getSerialNumber().toString(16) + "\"}\n";
    }

    /** A 印影 of random red strokes, so that its bytes are found nowhere by chance. */
    static byte[] png(int side) throws Exception {
        BufferedImage image = new BufferedImage(side, side, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(200, 0, 0));
        g.drawOval(2, 2, side - 5, side - 5);
        Random random = new Random();
        for (int i = 0; i < 20; i++) {
            g.drawLine(random.nextInt(side), random.nextInt(side), random.nextInt(side), random.nextInt(side));
        }
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    static String seal(long seq, String residentId, String number, double sizeMm, String base64) {
        return "{" + (seq == 0 ? "" : "\"seq\":" + seq + ",") + "\"type\":\"SEAL_REGISTER\",\"municipalityCode\":\""
                + CITY + "\",\"residentId\":\"" + residentId + "\",\"registrationNumber\":\"" + number
                + "\",\"registeredName\":\"川口 太郎\",\"registeredOn\":\"2020-04-01\",\"sealSizeMm\":" + sizeMm
                + ",\"sealImage\":\"" + base64 + "\"}\n";
    }

    private static String abolish(long seq, String residentId) {
        return "{\"seq\":" + seq + ",\"type\":\"SEAL_ABOLISH\",\"municipalityCode\":\"" + CITY + "\",\"residentId\":\""
                + residentId + "\"}\n";
    }

    private CenterClient.Response changes(String body) throws Exception {
        return sync.post("/sync/v1/changes", body.getBytes(StandardCharsets.UTF_8), "application/x-ndjson");
    }

    private Optional<SealRegistration> registration(String residentId) {
        return db.inTransaction(c -> store.sealRegistration(c, store.lockForRead(c, CITY), residentId));
    }

    private long appliedThrough() {
        return db.inTransaction(c -> store.lockForRead(c, CITY)).appliedThrough();
    }

    @Test
    void registersASealAndReadsItBackForIssuance() throws Exception {
        byte[] image = png(120);
        CenterClient.Response r = changes(seal(101, "X1", "I-000123", 15.0, Base64.getEncoder().encodeToString(image)));
        assertEquals(200, r.status(), r.text());
        SealRegistration s = registration("X1").orElseThrow();
        assertEquals("I-000123", s.registrationNumber());
        assertEquals("川口 太郎", s.registeredName());
        assertEquals(LocalDate.of(2020, 4, 1), s.registeredOn());
        assertEquals(15.0, s.sealSizeMm());
        assertArrayEquals(image, s.png());
        assertEquals(Optional.empty(), registration("NOBODY"));
    }

    @Test
    void aReRegistrationReplacesTheOldOne() throws Exception {
        byte[] second = png(90);
        assertEquals(200, changes(seal(101, "X1", "I-000001", 12.5, Base64.getEncoder().encodeToString(png(100)))).status());
        assertEquals(200, changes(seal(102, "X1", "I-000002", 24.0, Base64.getEncoder().encodeToString(second))).status());
        SealRegistration s = registration("X1").orElseThrow();
        assertEquals("I-000002", s.registrationNumber());
        assertEquals(24.0, s.sealSizeMm());
        assertArrayEquals(second, s.png());
        assertEquals(1, node.count("SELECT COUNT(*) FROM seal_registration"));
    }

    @Test
    void keepsFeedOrderOfRegistrationsAndAbolitionsWithinABatch() throws Exception {
        // A newcomer registered in the batch that brings them, an abolition between two registrations.
        String b64 = Base64.getEncoder().encodeToString(png(64));
        CenterClient.Response r = changes(resident(101, "X2", "XH2") + seal(102, "X2", "I-2", 10, b64)
                + seal(103, "X1", "I-A", 10, b64) + abolish(104, "X1") + seal(105, "X1", "I-B", 11, b64)
                + abolish(106, "X2"));
        assertEquals(200, r.status(), r.text());
        assertEquals("I-B", registration("X1").orElseThrow().registrationNumber());
        assertEquals(Optional.empty(), registration("X2"));
    }

    @Test
    void refusesARegistrationOfAResidentNotInTheReplica() throws Exception {
        CenterClient.Response r = changes(seal(101, "X1", "I-1", 15, Base64.getEncoder().encodeToString(png(64)))
                + seal(102, "NOBODY", "I-2", 15, Base64.getEncoder().encodeToString(png(64))));
        assertEquals(400, r.status(), r.text());
        JsonNode body = Json.MAPPER.readTree(r.body());
        assertEquals("MALFORMED_REQUEST", body.get("code").asText());
        assertEquals(2, body.get("line").asInt());
        assertEquals(Optional.empty(), registration("X1"), "nothing of the batch applied");
        assertEquals(100, appliedThrough());
    }

    @Test
    void refusesEveryBadSealLineNamingItAndNeverEchoingTheImage() throws Exception {
        byte[] good = png(64);
        String b64 = Base64.getEncoder().encodeToString(good);
        byte[] jpeg = Arrays.copyOf(good, good.length);
        jpeg[0] = (byte) 0xFF;
        jpeg[1] = (byte) 0xD8;
        byte[] brokenPng = Arrays.copyOf(good, 40);
        Arrays.fill(brokenPng, 12, 40, (byte) 0);
        byte[] huge = new byte[256 * 1024 + 1];
        System.arraycopy(good, 0, huge, 0, good.length);
        List<String> bad = List.of(
                seal(101, "X1", "I-1", 15, b64.replace('A', '*')),                  // not base64
                seal(101, "X1", "I-1", 15, Base64.getUrlEncoder().encodeToString(good).replace('+', '-') + "_-"), // URL-safe
                seal(101, "X1", "I-1", 15, Base64.getEncoder().encodeToString(jpeg)),      // not PNG magic
                seal(101, "X1", "I-1", 15, Base64.getEncoder().encodeToString(brokenPng)), // magic, no readable header
                seal(101, "X1", "I-1", 15, Base64.getEncoder().encodeToString(huge)),      // over 256 KiB
                seal(101, "X1", "I-1", 15, ""),
                seal(101, "X1", "I-1", 7.9, b64),
                seal(101, "X1", "I-1", 25.1, b64),
                seal(101, "X1", "I-1", 15, b64).replace("15.0", "\"15\""),
                seal(101, "X1", "I 1", 15, b64),
                seal(101, "X1", "I-1", 15, b64).replace("\"2020-04-01\"", "\"2020-02-30\""),
                seal(101, "X1", "I-1", 15, b64).replace("\"registeredName\":\"川口 太郎\",", ""),
                seal(101, "X1", "I-1", 15, b64).replace(",\"sealImage\":\"" + b64 + "\"", ""));
        for (String line : bad) {
            CenterClient.Response r = changes(resident(101, "X1", "XH1").replace("\"seq\":101", "\"seq\":101")
                    .replace("101", "101") + line.replace("\"seq\":101", "\"seq\":102"));
            assertEquals(400, r.status(), r.text());
            JsonNode body = Json.MAPPER.readTree(r.body());
            assertEquals("MALFORMED_REQUEST", body.get("code").asText(), r.text());
            assertEquals(2, body.get("line").asInt(), r.text());
            assertTrue(r.text().length() < 400, "the refusal never echoes the image: " + r.text().length());
        }
        assertEquals(100, appliedThrough());
        assertEquals(0, node.count("SELECT COUNT(*) FROM seal_registration"));
        assertEquals(200, changes(seal(101, "X1", "I-1", 8, b64) + seal(102, "X1", "I-1", 25, b64)).status(),
                "8 and 25 mm are allowed");
    }

    @Test
    void abolitionDeletesTheRegistrationFromEveryTableAndNothingLogsTheImage() throws Exception {
        assertNoTraceAfter(seq -> abolish(seq, "X1"));
    }

    @Test
    void removalOfTheResidentDeletesTheRegistrationFromEveryTable() throws Exception {
        assertNoTraceAfter(seq -> "{\"seq\":" + seq + ",\"type\":\"RESIDENT_REMOVE\",\"municipalityCode\":\"" + CITY
                + "\",\"residentId\":\"X1\"}\n");
    }

    private void assertNoTraceAfter(java.util.function.LongFunction<String> removal) throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        root.addAppender(logged);
        try {
            byte[] image = png(128);
            String b64 = Base64.getEncoder().encodeToString(image);
            String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(image));
            String number = "I-" + System.nanoTime();
            assertEquals(200, changes(seal(101, "X1", number, 15, b64)).status());
            assertEquals("ISSUED", issue(), "a kept answer that prints X1");
            assertEquals(1, node.count("SELECT COUNT(*) FROM center_transaction WHERE resident_ids LIKE '%,X1,%'"));
            assertTrue(!grep(image, List.of(b64, sha, number)).isEmpty(), "the grep finds the registration while it is there");
            CenterClient.Response r = changes(removal.apply(102));
            assertEquals(200, r.status(), r.text());
            assertEquals(Optional.empty(), registration("X1"));
            List<String> found = grep(image, List.of(b64, sha, number));
            assertTrue(found.isEmpty(), "traces left in " + found);
            assertEquals(0, node.count("SELECT COUNT(*) FROM center_transaction WHERE resident_ids LIKE '%,X1,%'"),
                    "kept answers that print the person went in the same commit");
            for (ILoggingEvent e : logged.list) {
                String text = e.getFormattedMessage() + (e.getThrowableProxy() == null ? "" : e.getThrowableProxy().getMessage());
                assertTrue(!text.contains(b64.substring(100, 140)) && !text.contains(sha) && !text.contains(number),
                        "logged: " + e.getLoggerName());
            }
        } finally {
            root.detachAppender(logged);
        }
    }

    private String issue() throws Exception {
        CenterClient.Response r = node.center().post("/center/v1/issuances", CenterRequests.issuanceBody(
                "S-" + System.nanoTime(), "S1", CenterRequests.sign(card,
                        CenterRequests.payload(CITY, "SELF", OffsetDateTime.now()))), "application/json");
        return r.status() == 200 ? "ISSUED" : Json.MAPPER.readTree(r.body()).get("code").asText();
    }

    /** Every text and binary column of every table of the schema: where does any needle (or the bytes) appear? */
    private List<String> grep(byte[] bytes, List<String> needles) {
        return db.withConnection(c -> {
            List<String[]> columns = new ArrayList<>();
            try (var s = c.prepareStatement("SELECT TABLE_NAME, COLUMN_NAME FROM information_schema.COLUMNS"
                    + " WHERE TABLE_SCHEMA = DATABASE() AND DATA_TYPE IN ('char', 'varchar', 'tinytext', 'text',"
                    + " 'mediumtext', 'longtext', 'binary', 'varbinary', 'tinyblob', 'blob', 'mediumblob', 'longblob',"
                    + " 'json', 'enum', 'set')"); ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    columns.add(new String[] {rs.getString(1), rs.getString(2)});
                }
            }
            assertTrue(columns.size() > 20, "the schema's columns were listed");
            List<String> hits = new ArrayList<>();
            for (String[] col : columns) {
                try (var s = c.createStatement(); ResultSet rs = s.executeQuery(
                        "SELECT `" + col[1] + "` FROM `" + col[0] + "`")) {
                    while (rs.next()) {
                        byte[] value = rs.getBytes(1);
                        if (value == null) {
                            continue;
                        }
                        if (contains(value, bytes)) {
                            hits.add(col[0] + "." + col[1] + " (image bytes)");
                        }
                        for (String needle : needles) {
                            if (contains(value, needle.getBytes(StandardCharsets.UTF_8))) {
                                hits.add(col[0] + "." + col[1]);
                            }
                        }
                    }
                }
            }
            return hits;
        });
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    @Test
    void aSnapshotMayCarryRegistrationsAndDropsThoseItDoesNotName() throws Exception {
        byte[] image = png(80);
        assertEquals(200, changes(seal(101, "X1", "I-OLD", 15, Base64.getEncoder().encodeToString(png(70)))).status());
        CenterClient.Response r = sync.put("/sync/v1/snapshot?municipalityCode=" + CITY + "&asOfSeq=200",
                (seal(0, "X2", "I-SNAP", 20, Base64.getEncoder().encodeToString(image)) + resident(0, "X1", "XH1")
                        + seal(0, "X9", "I-NOBODY", 20, Base64.getEncoder().encodeToString(png(60)))
                        + resident(0, "X2", "XH2")).getBytes(StandardCharsets.UTF_8), "application/x-ndjson");
        assertEquals(200, r.status(), r.text());
        assertEquals(Optional.empty(), registration("X1"), "the old generation's registration went with the swap");
        assertArrayEquals(image, registration("X2").orElseThrow().png());
        assertEquals(1, node.count("SELECT COUNT(*) FROM seal_registration"),
                "no row of the old generation is left, nor one of a person the snapshot does not name (X9)");
    }

    @Test
    void aSnapshotRefusesAbolitionsAndHeartbeats() throws Exception {
        for (String line : List.of("{\"type\":\"SEAL_ABOLISH\",\"municipalityCode\":\"" + CITY + "\",\"residentId\":\"X1\"}\n",
                "{\"type\":\"HEARTBEAT\",\"municipalityCode\":\"" + CITY + "\",\"asOf\":\"2026-11-22T10:15:00+09:00\"}\n")) {
            CenterClient.Response r = sync.put("/sync/v1/snapshot?municipalityCode=" + CITY + "&asOfSeq=200",
                    (resident(0, "X1", "XH1") + line).getBytes(StandardCharsets.UTF_8), "application/x-ndjson");
            assertEquals(400, r.status(), r.text());
            assertEquals(2, Json.MAPPER.readTree(r.body()).get("line").asInt());
        }
        assertEquals(100, appliedThrough());
    }
}
