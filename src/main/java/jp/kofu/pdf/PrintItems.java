package jp.kofu.pdf;

/** STUB until the pdf branch lands. */
public record PrintItems(boolean householderAndRelationship, boolean domicile, boolean individualNumber,
                         boolean residentCode) {}
