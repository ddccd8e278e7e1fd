package jp.kofu.koseki;

import jp.kofu.replica.ResidentRecord;

import java.time.LocalDate;
import java.util.List;

/**
 * What a 戸籍システム answers to one {@code certificate-data} call (contract §9): the data of exactly one certificate,
 * rendered and signed by Kofu and then dropped — never stored, logged or cached.
 *
 * @param requestId    the id of the call this answers (must be the one asked: 川崎市 2023)
 * @param personKey    the requester's key in the 戸籍システム (must be the one asked)
 * @param kind         which certificate the data is for
 * @param honseki      本籍
 * @param hittosha     筆頭者氏名
 * @param kosekiEvents 戸籍事項 (戸籍編製, 改製, 転籍 …)
 * @param persons      the persons to print, in the 戸籍's order; {@code removed} marks a 除籍 person
 */
public record KosekiAnswer(String requestId, String personKey, Kind kind, String honseki, String hittosha,
                           List<KosekiEvent> kosekiEvents, List<Person> persons) {

    public KosekiAnswer {
        kosekiEvents = List.copyOf(kosekiEvents);
        persons = List.copyOf(persons);
    }

    /** The certificate a call asks data for. */
    public enum Kind {
        /** 戸籍全部事項証明書 */
        ZENBU,
        /** 戸籍個人事項証明書 */
        KOJIN,
        /** 戸籍の附票の写し */
        FUHYO
    }

    /** An entry of 戸籍事項: e.g. 戸籍編製 on a date. */
    public record KosekiEvent(String label, LocalDate date) {}

    /** One item of a 身分事項 entry: e.g. 出生日 → 1980-04-01 (a value is text as the 戸籍システム gives it). */
    public record Item(String name, String value) {}

    /** A 身分事項 entry (出生, 婚姻, 養子縁組 …) with its items, in the standard's tabular form. */
    public record Event(String label, List<Item> items) {
        public Event {
            items = List.copyOf(items);
        }
    }

    /** One 附票 line: an address and the day it was set. */
    public record Address(String address, LocalDate setOn) {}

    /** A person of the 戸籍 (全部/個人事項) or of the 附票. */
    public record Person(String personKey, String name, LocalDate birthDate, ResidentRecord.Sex sex, String father,
                         String mother, String relationship, boolean removed, List<Event> events,
                         List<Address> addresses) {
        public Person {
            events = List.copyOf(events);
            addresses = List.copyOf(addresses);
        }
    }
}
