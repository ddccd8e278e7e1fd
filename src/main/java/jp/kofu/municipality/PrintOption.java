package jp.kofu.municipality;

/** The options of a 住民票 request (contract §2), by their JSON names. */
public enum PrintOption {
    INCLUDE_HOUSEHOLDER("includeHouseholder"),
    INCLUDE_RELATIONSHIP("includeRelationship"),
    INCLUDE_DOMICILE("includeDomicile"),
    INCLUDE_INDIVIDUAL_NUMBER("includeIndividualNumber"),
    INCLUDE_RESIDENT_CODE("includeResidentCode");

    private final String jsonName;

    PrintOption(String jsonName) {
        this.jsonName = jsonName;
    }

    public String jsonName() {
        return jsonName;
    }

    /** 個人番号 and 住民票コード are printed only when asked for; no municipality may default them on. */
    public boolean isOnlyOnRequest() {
        return this == INCLUDE_INDIVIDUAL_NUMBER || this == INCLUDE_RESIDENT_CODE;
    }

    public static PrintOption ofJsonName(String name) {
        for (PrintOption o : values()) {
            if (o.jsonName.equals(name)) {
                return o;
            }
        }
        throw new IllegalArgumentException("unknown option");
    }
}
