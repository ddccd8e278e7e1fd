package jp.kofu.pdf;

import jp.kofu.replica.ResidentRecord;

import java.util.List;

/** A certificate of residents' records (住民票の写し, 住民票記載事項証明書, 印鑑登録証明書): one box per person. */
public sealed interface ResidentContent extends CertificateContent permits JuminhyoContent, KisaiContent, InkanContent {
    /** The persons printed, in print order. */
    List<ResidentRecord> persons();
}
