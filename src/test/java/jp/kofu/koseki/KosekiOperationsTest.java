package jp.kofu.koseki;

import jp.kofu.client.CenterClient;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
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

            // The 戸籍システム fails until the breaker opens: 戸籍 requests stop, the node stays ready (every node
            // shares the link; docs/contract-notes.md, Operations).
            List<Integer> numbers = java.util.stream.IntStream.rangeClosed(1, 14).boxed().toList();
            city.residents(numbers, true, true);
            city.fake.behave = request -> new FakeKosekiSystem.Behaviour(FakeKosekiSystem.Mode.SERVER_ERROR, 0);
            CenterClient center = city.node.center();
            for (int n : numbers) {
                assertEquals(503, KosekiCity.issue(center, city.card(KosekiCity.id(n)), "KOSEKI_ZENBU", List.of())
                        .status());
            }
            String open = get(city.node.managementUri(), "/health/ready");
            assertTrue(open.contains("\"koseki\":{\"112038\":\"OPEN\"}"), open);
            assertTrue(open.startsWith("{\"status\":\"UP\""), open);
            assertTrue(get(city.node.managementUri(), "/metrics")
                    .contains("kofu_koseki_breaker_open{municipality=\"112038\"} 1"));
        }
    }
}
