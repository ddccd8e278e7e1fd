package jp.kofu.console;

import jakarta.inject.Singleton;
import jp.kofu.db.Database;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * 精算: the PRINTED issuances of a period — only those count toward fees (contract §3) — by day of issue
 * (Asia/Tokyo, the date in the 発行番号), store chain and certificate type; and the issuance requests and
 * refusals by hour of the day, for the charts.
 */
@Singleton
final class Settlement {
    private final Database db;

    Settlement(Database db) {
        this.db = db;
    }

    record Line(LocalDate day, String chain, String certificateType, long issuances, long copies, long fees) {
        public String dayLabel() {
            return ConsoleDates.dayWithWeekday(day);
        }

        public String certificateLabel() {
            return Labels.certificate(certificateType);
        }
    }

    record Total(String label, long issuances, long copies, long fees) {}

    record Report(List<Line> lines, List<Total> byChain, Total total, long[] issuedByHour, long[] refusedByHour) {}

    Report report(String municipality, LocalDate from, LocalDate to) {
        record Key(LocalDate day, String chain, String type) {}
        Map<Key, long[]> sums = new TreeMap<>((a, b) -> {
            int c = a.day.compareTo(b.day);
            if (c == 0) {
                c = a.chain.compareTo(b.chain);
            }
            return c != 0 ? c : a.type.compareTo(b.type);
        });
        Map<String, long[]> chains = new TreeMap<>();
        long[] total = new long[3];
        long[] issued = new long[24];
        long[] refused = new long[24];
        db.withConnection(c -> {
            try (PreparedStatement s = c.prepareStatement("""
                    SELECT i.issued_at, i.certificate_type, i.copies, i.fee, l.channel, l.store_code, l.terminal_id
                    FROM issuance i
                    LEFT JOIN issuance_log l ON l.issuance_number = i.issuance_number AND l.result = 'ISSUED'
                        AND l.municipality_code = i.municipality_code
                    WHERE i.municipality_code = ? AND i.status = 'PRINTED' AND i.issued_at >= ? AND i.issued_at < ?""")) {
                s.setString(1, municipality);
                s.setTimestamp(2, IssuanceSearch.startOf(from));
                s.setTimestamp(3, IssuanceSearch.startOf(to.plusDays(1)));
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        LocalDate day = rs.getTimestamp(1).toInstant().atZone(ConsoleDates.TOKYO).toLocalDate();
                        String chain = StoreChains.of(rs.getString(5), rs.getString(6), rs.getString(7));
                        long[] add = {1, rs.getInt(3), rs.getInt(4)};
                        addTo(sums.computeIfAbsent(new Key(day, chain, rs.getString(2)), k -> new long[3]), add);
                        addTo(chains.computeIfAbsent(chain, k -> new long[3]), add);
                        addTo(total, add);
                    }
                }
            }
            try (PreparedStatement s = c.prepareStatement("""
                    SELECT logged_at, result FROM issuance_log
                    WHERE municipality_code = ? AND endpoint = 'ISSUANCE' AND result IN ('ISSUED', 'REFUSED')
                        AND logged_at >= ? AND logged_at < ?""")) {
                s.setString(1, municipality);
                s.setTimestamp(2, IssuanceSearch.startOf(from));
                s.setTimestamp(3, IssuanceSearch.startOf(to.plusDays(1)));
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        Instant at = rs.getTimestamp(1).toInstant();
                        int hour = at.atZone(ConsoleDates.TOKYO).getHour();
                        (rs.getString(2).equals("ISSUED") ? issued : refused)[hour]++;
                    }
                }
            }
            return null;
        });
        List<Line> lines = new ArrayList<>();
        sums.forEach((k, v) -> lines.add(new Line(k.day, k.chain, k.type, v[0], v[1], v[2])));
        List<Total> byChain = new ArrayList<>();
        chains.forEach((k, v) -> byChain.add(new Total(k, v[0], v[1], v[2])));
        return new Report(lines, byChain, new Total("合計", total[0], total[1], total[2]), issued, refused);
    }

    private static void addTo(long[] sum, long[] add) {
        for (int i = 0; i < sum.length; i++) {
            sum[i] += add[i];
        }
    }
}
