package jp.kofu.contract;

import java.time.ZoneId;

/**
 * The time zone of every local time and date of the contract: service hours, 発行日, 転入当日, the 発行番号's day,
 * the day of the year-end closure (Asia/Tokyo).
 */
public final class Tokyo {
    public static final ZoneId ZONE = ZoneId.of("Asia/Tokyo");

    private Tokyo() {}
}
