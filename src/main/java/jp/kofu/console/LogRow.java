package jp.kofu.console;

import jp.kofu.contract.IssuanceNumber;

import java.time.Instant;
import java.time.LocalDate;

/** One row of the issuance log as the console shows it, with the Japanese words for its codes. */
record LogRow(long id, Instant loggedAt, String endpoint, String result, String code, String municipalityCode,
              String channel, String storeCode, String terminalId, String centerTransactionId, String caller,
              String cardIssuer, String cardSerial, String requesterId, String printedIds, String certificateType,
              String scope, String options, Integer copies, Integer pageCount, Integer fee, String issuanceNumber,
              String pdfSha256) {

    /** The 発行番号 of every copy (consecutive from the first, which the row holds), as a range. */
    public String issuanceNumbersLabel() {
        return numbersLabel(issuanceNumber, copies == null ? 1 : copies);
    }

    static String numbersLabel(String first, int copies) {
        if (first == null || copies <= 1) {
            return first == null ? "" : first;
        }
        return IssuanceNumber.parse(first).map(n -> first + " 〜 " + n.plus(copies - 1)).orElse(first);
    }

    public String when() {
        return ConsoleDates.dateTime(loggedAt);
    }

    public String whenLong() {
        return ConsoleDates.longDateTime(loggedAt);
    }

    public LocalDate day() {
        return loggedAt.atZone(ConsoleDates.TOKYO).toLocalDate();
    }

    public String resultLabel() {
        // A registration's accepted application and an answered status query are logged LISTED (answered, nothing
        // issued), as the household listing is.
        if ("LISTED".equals(result) && endpoint != null && endpoint.startsWith("KOSEKI_REGISTRATION")) {
            return "受付・応答";
        }
        return Labels.result(result);
    }

    public String codeLabel() {
        return Labels.code(code);
    }

    public String certificateLabel() {
        return Labels.certificate(certificateType);
    }

    public String endpointLabel() {
        return endpoint == null ? "" : Labels.ENDPOINTS.getOrDefault(endpoint, endpoint);
    }

    /** A short word for the table: 発行, 一覧, 印刷報告. */
    public String endpointShort() {
        return endpoint == null ? "" : switch (endpoint) {
            case "ISSUANCE" -> "発行の要求";
            case "HOUSEHOLD_LISTING" -> "世帯員の一覧";
            case "KOSEKI_LISTING" -> "戸籍の一覧";
            case "COMPLETION" -> "印刷の報告";
            case "KOSEKI_REGISTRATION" -> "利用登録申請";
            case "KOSEKI_REGISTRATION_STATUS" -> "利用登録の状況";
            default -> endpoint;
        };
    }

    public String certificateShort() {
        if (certificateType == null) {
            return "";
        }
        return switch (certificateType) {
            case "JUMINHYO" -> "住民票";
            case "JUMINHYO_KISAI" -> "記載事項証明";
            case "INKAN" -> "印鑑証明";
            case "KOSEKI_ZENBU", "KOSEKI_KOJIN" -> "戸籍";
            case "KOSEKI_FUHYO" -> "附票";
            default -> certificateLabel();
        };
    }

    /** The print options that were on, in Japanese. */
    public String optionsLabel() {
        if (options == null || options.isEmpty()) {
            return "";
        }
        StringBuilder s = new StringBuilder();
        for (String o : options.split(",")) {
            String label = switch (o) {
                case "includeHouseholder" -> "世帯主の氏名";
                case "includeRelationship" -> "続柄";
                case "includeDomicile" -> "本籍・筆頭者";
                case "includeIndividualNumber" -> "個人番号";
                case "includeResidentCode" -> "住民票コード";
                case "NAME" -> "氏名";
                case "BIRTH_DATE" -> "生年月日";
                case "SEX" -> "性別";
                case "ADDRESS" -> "住所";
                case "HOUSEHOLDER" -> "世帯主";
                case "RELATIONSHIP" -> "続柄";
                case "BECAME_RESIDENT_ON" -> "住民となった年月日";
                case "ADDRESS_SET_ON" -> "住所を定めた年月日";
                case "DOMICILE" -> "本籍";
                default -> o;
            };
            s.append(s.isEmpty() ? "" : "、").append(label);
        }
        return s.toString();
    }

    public String channelLabel() {
        return channel == null ? "" : Labels.CHANNELS.getOrDefault(channel, channel);
    }

    public String scopeLabel() {
        return scope == null ? "" : Labels.SCOPES.getOrDefault(scope, scope);
    }

    public String chain() {
        return storeCode == null && terminalId == null && channel == null ? "" : StoreChains.of(channel, storeCode, terminalId);
    }

    /** A CSS class for the result: ok, warn or bad. */
    public String tone() {
        if (result == null) {
            return "";
        }
        return switch (result) {
            case "ISSUED", "PRINTED", "LISTED" -> "ok";
            case "REFUSED", "VOIDED", "REPEATED" -> "warn";
            default -> "bad";
        };
    }
}
