package jp.kofu.koseki;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A municipality with a configured 戸籍 link on the management listener (docs/operations.md): the link's breaker is
 * listed by /health/ready without deciding it, and its client certificate's expiry is a gauge.
 */
final class KosekiOperationsTest {
    private static final Pattern EXPIRY = Pattern.compile(
            "kofu_certificate_expiry_seconds\\{municipality=\"112038\",purpose=\"koseki_client\"} (\\S+)");

    private static String get(URI base, String path) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(base.resolve(path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return r.body();
    }

    @Test
    void listsTheLinksBreakerAndShowsItsClientCertificatesExpiry() throws Exception {
        try (KosekiCity city = new KosekiCity(1500, 8)) {
            String ready = get(city.node.managementUri(), "/health/ready");
            assertTrue(ready.contains("\"koseki\":{\"112038\":\"CLOSED\"}"), ready);
            Matcher expiry = EXPIRY.matcher(get(city.node.managementUri(), "/metrics"));
            assertTrue(expiry.find(), "no koseki_client expiry gauge");
            assertTrue(Double.parseDouble(expiry.group(1)) > 86400, expiry.group());
        }
    }
}
