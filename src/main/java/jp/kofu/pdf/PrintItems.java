package jp.kofu.pdf;

/** The optional items of a 住民票 (contract §2 options); an item that is off is not printed at all, not even its label. */
public record PrintItems(boolean householderAndRelationship, boolean domicile, boolean individualNumber,
                         boolean residentCode) {}
