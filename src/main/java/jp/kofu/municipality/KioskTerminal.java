package jp.kofu.municipality;

import javax.security.auth.x500.X500Principal;
import java.time.LocalTime;

/**
 * One city-hall kiosk registered for a municipality.
 *
 * @param terminalId   the {@code terminalId} the kiosk puts in every card-signed request
 * @param place        where it stands, for the operators (e.g. 本庁舎 1階 市民課前)
 * @param enabled      false takes it out of service: its requests are refused {@code TERMINAL_DISABLED}
 * @param from         start of its own hours (Asia/Tokyo), within the city's service hours
 * @param until        end of its own hours, exclusive; {@code null} means midnight ("24:00")
 * @param clientSubject the subject of the kiosk's own client certificate: only it may send this terminal id
 */
public record KioskTerminal(String municipalityCode, String terminalId, String place, boolean enabled,
                            LocalTime from, LocalTime until, X500Principal clientSubject) {

    public boolean isOpenAt(LocalTime time) {
        return !time.isBefore(from) && (until == null || time.isBefore(until));
    }
}
