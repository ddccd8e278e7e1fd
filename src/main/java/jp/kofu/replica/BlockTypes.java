package jp.kofu.replica;

import jp.kofu.contract.CertificateType;

import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/** The certificate types of an issuance block as {@code issuance_block.certificate_types} keeps them. */
final class BlockTypes {
    private BlockTypes() {}

    /** ",INKAN,JUMINHYO," for the types named, {@code null} for a block of every type. */
    static String column(Set<CertificateType> types) {
        if (types.isEmpty()) {
            return null;
        }
        return EnumSet.copyOf(types).stream().map(Enum::name).collect(Collectors.joining(",", ",", ","));
    }

    /** True when a block stored with this column applies to the type. */
    static boolean names(String column, CertificateType type) {
        return column == null || column.contains("," + type.name() + ",");
    }
}
