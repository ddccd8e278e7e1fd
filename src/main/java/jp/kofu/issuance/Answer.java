package jp.kofu.issuance;

/** The answer to a center request: HTTP status and JSON body. */
record Answer(int status, byte[] body) {}
