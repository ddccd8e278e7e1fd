package jp.kofu.pdf;

/** The form a municipality prints on: its layout and its 公印. */
public record CertificateForm(FormLayout layout, SealImage seal) {}
