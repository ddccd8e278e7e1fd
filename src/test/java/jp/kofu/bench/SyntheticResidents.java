package jp.kofu.bench;

import jp.kofu.replica.CheckDigits;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * A generated municipality for load tests: {@code count} residents in households of one to four, as snapshot
 * lines, produced on the fly so that no test or benchmark holds the whole body.
 */
public final class SyntheticResidents {
    private static final String[] FAMILY = {"佐藤", "鈴木", "髙橋", "田中", "伊藤", "渡邊", "山本", "中村", "小林", "加藤"};
    private static final String[] GIVEN = {"太郎", "花子", "一郎", "美咲", "翔太", "陽菜", "蓮", "結衣", "大翔", "𠮷子"};

    private SyntheticResidents() {}

    /** The snapshot body for {@code count} residents of {@code municipality}. */
    public static InputStream snapshot(String municipality, int count) {
        return new InputStream() {
            private int next;
            private byte[] line = new byte[0];
            private int pos;

            @Override
            public int read() {
                if (pos == line.length && !advance()) {
                    return -1;
                }
                return line[pos++] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (pos == line.length && !advance()) {
                    return -1;
                }
                int n = Math.min(len, line.length - pos);
                System.arraycopy(line, pos, b, off, n);
                pos += n;
                return n;
            }

            private boolean advance() {
                if (next >= count) {
                    return false;
                }
                line = residentLine(municipality, next++).getBytes(StandardCharsets.UTF_8);
                pos = 0;
                return true;
            }
        };
    }

    public static String residentLine(String municipality, int i) {
        int household = i / 3;
        boolean head = i % 3 == 0;
        String family = FAMILY[household % FAMILY.length];
        String given = GIVEN[i % GIVEN.length];
        String code = String.format("%010d", 2_000_000_000L + i);
        String number = String.format("%011d", 50_000_000_000L + i * 13L);
        return "{\"type\":\"RESIDENT_UPSERT\",\"municipalityCode\":\"" + municipality + "\",\"resident\":{"
                + "\"residentId\":\"S" + i + "\",\"householdId\":\"HH" + household + "\","
                + "\"juminhyoCode\":\"" + code + CheckDigits.checkDigit(code) + "\","
                + "\"individualNumber\":\"" + number + CheckDigits.checkDigit(number) + "\","
                + "\"familyName\":\"" + family + "\",\"givenName\":\"" + given + "\","
                + "\"familyNameKana\":\"さとう\",\"givenNameKana\":\"たろう\","
                + "\"sex\":\"" + (i % 2 == 0 ? "MALE" : "FEMALE") + "\","
                + "\"birthDate\":\"" + (1940 + i % 70) + "-0" + (1 + i % 9) + "-1" + (i % 9) + "\","
                + "\"relationship\":\"" + (head ? "世帯主" : "子") + "\","
                + "\"householderName\":\"" + family + "　太郎\","
                + "\"address\":\"埼玉県川口市青木" + (1 + household % 5) + "丁目" + (1 + household % 40) + "番"
                + (1 + household % 20) + "号\","
                + "\"becameResidentOn\":\"2001-04-01\",\"becameResidentReason\":\"転入\","
                + "\"addressSetOn\":\"2001-03-30\",\"addressNotifiedOn\":\"2001-04-01\","
                + "\"previousAddress\":\"東京都北区赤羽一丁目2番3号\"}}\n";
    }
}
