-- The current-only replica of the 住民基本台帳 (contract §6). Rows belong to a generation: a snapshot is loaded
-- beside the live generation and made live by one update of municipality_replica. No history is kept: an
-- upsert overwrites, a removal deletes.
CREATE TABLE municipality_replica (
    municipality_code CHAR(6)     NOT NULL PRIMARY KEY,
    applied_through   BIGINT      NOT NULL DEFAULT 0,
    generation        BIGINT      NOT NULL DEFAULT 1,
    updated_at        DATETIME(3) NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE resident (
    municipality_code CHAR(6)     NOT NULL,
    generation        BIGINT      NOT NULL,
    resident_id       VARCHAR(32) NOT NULL,
    household_id      VARCHAR(32) NOT NULL,
    record            MEDIUMTEXT  NOT NULL, -- the whole current record, JSON
    PRIMARY KEY (municipality_code, generation, resident_id),
    KEY resident_household (municipality_code, generation, household_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE card_binding (
    municipality_code CHAR(6)      NOT NULL,
    generation        BIGINT       NOT NULL,
    issuer_key        CHAR(64)     NOT NULL, -- SHA-256 of the canonical issuer DN
    serial_hex        VARCHAR(64)  NOT NULL, -- lower-case hex, no leading zeros
    issuer            VARCHAR(1024) NOT NULL,
    resident_id       VARCHAR(32)  NOT NULL,
    PRIMARY KEY (municipality_code, generation, issuer_key, serial_hex),
    KEY card_binding_resident (municipality_code, generation, resident_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Cards revoked or suspended through the feed (CARD_REVOKE). Not personal data; survives snapshots.
CREATE TABLE card_revocation (
    issuer_key        CHAR(64)    NOT NULL,
    serial_hex        VARCHAR(64) NOT NULL,
    municipality_code CHAR(6)     NOT NULL,
    revoked_at        DATETIME(3) NOT NULL,
    PRIMARY KEY (issuer_key, serial_hex)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE issuance_block (
    municipality_code CHAR(6)     NOT NULL,
    generation        BIGINT      NOT NULL,
    resident_id       VARCHAR(32) NOT NULL,
    reason            VARCHAR(32) NOT NULL,
    PRIMARY KEY (municipality_code, generation, resident_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Issuances (contract §3). The PDF itself is not kept here.
CREATE TABLE issuance (
    issuance_number       VARCHAR(32)  NOT NULL PRIMARY KEY,
    municipality_code     CHAR(6)      NOT NULL,
    center_transaction_id VARCHAR(64)  NOT NULL,
    status                VARCHAR(8)   NOT NULL, -- ISSUED, PRINTED, VOIDED
    issued_at             DATETIME(3)  NOT NULL,
    completed_at          DATETIME(3)  NULL,
    completion_reason     VARCHAR(64)  NULL,
    caller                VARCHAR(512) NOT NULL,
    certificate_type      VARCHAR(32)  NOT NULL,
    copies                INT          NOT NULL,
    page_count            INT          NOT NULL,
    fee                   INT          NOT NULL,
    pdf_sha256            CHAR(64)     NOT NULL,
    KEY issuance_status (status, issued_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE issuance_counter (
    municipality_code CHAR(6) NOT NULL,
    issue_date        DATE    NOT NULL,
    last_value        INT     NOT NULL,
    PRIMARY KEY (municipality_code, issue_date)
) ENGINE = InnoDB;

-- Answers kept for 10 minutes so that a retried centerTransactionId gets the same answer (contract §3).
CREATE TABLE center_transaction (
    center_transaction_id VARCHAR(64)  NOT NULL PRIMARY KEY,
    body_sha256           CHAR(64)     NOT NULL,
    http_status           INT          NOT NULL,
    answer                LONGBLOB     NOT NULL,
    municipality_code     CHAR(6)      NULL,
    resident_ids          VARCHAR(2048) NOT NULL DEFAULT '', -- ",R1,R2," of the printed residents
    created_at            DATETIME(3)  NOT NULL,
    KEY center_transaction_created (created_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Nonces of card-signed requests seen within the acceptance window (replay guard shared by all nodes).
CREATE TABLE card_nonce (
    nonce   VARCHAR(128) NOT NULL PRIMARY KEY,
    seen_at DATETIME(3)  NOT NULL,
    KEY card_nonce_seen (seen_at)
) ENGINE = InnoDB DEFAULT CHARSET = ascii COLLATE = ascii_bin;

-- One row per request to /center/** (issued, refused with its code, or failed). Never a 個人番号, never the PDF.
CREATE TABLE issuance_log (
    id                    BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    logged_at             DATETIME(3)  NOT NULL,
    endpoint              VARCHAR(32)  NOT NULL,
    result                VARCHAR(8)   NOT NULL, -- ISSUED, REFUSED, FAILED, PRINTED, VOIDED
    code                  VARCHAR(32)  NULL,
    municipality_code     CHAR(6)      NULL,
    channel               VARCHAR(20)  NULL,
    store_code            VARCHAR(64)  NULL,
    terminal_id           VARCHAR(64)  NULL,
    center_transaction_id VARCHAR(64)  NULL,
    caller                VARCHAR(512) NULL,
    card_issuer           VARCHAR(1024) NULL,
    card_serial           VARCHAR(64)  NULL,
    requester_id          VARCHAR(32)  NULL,
    printed_ids           VARCHAR(2048) NULL,
    certificate_type      VARCHAR(32)  NULL,
    scope                 VARCHAR(16)  NULL,
    options               VARCHAR(256) NULL,
    copies                INT          NULL,
    page_count            INT          NULL,
    fee                   INT          NULL,
    issuance_number       VARCHAR(32)  NULL,
    pdf_sha256            CHAR(64)     NULL,
    KEY issuance_log_time (logged_at),
    KEY issuance_log_number (issuance_number)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
