-- Tamper evidence for the issuance log (docs/issuance-log.md): every row is a link of a SHA-256 chain of its
-- municipality ('-' for rows without one), numbered 1, 2, 3 … per chain. Rows written before this migration are
-- linked by the start that applies it (jp.kofu.audit.LegacyLogRows).
ALTER TABLE issuance_log
    ADD COLUMN chain_key  VARCHAR(6) NULL AFTER id,
    ADD COLUMN chain_seq  BIGINT     NULL AFTER chain_key,
    ADD COLUMN prev_hash  CHAR(64)   NULL AFTER chain_seq,
    ADD COLUMN entry_hash CHAR(64)   NULL AFTER prev_hash,
    ADD UNIQUE KEY issuance_log_chain (chain_key, chain_seq),
    ADD KEY issuance_log_chain_time (chain_key, logged_at);

-- The head of each chain: the last sequence number and hash. Appending locks it FOR UPDATE, which serialises the
-- appends of one chain across every node of a cluster for the few statements before the commit.
CREATE TABLE log_chain_head (
    chain_key  VARCHAR(6)  NOT NULL PRIMARY KEY,
    last_seq   BIGINT      NOT NULL,
    last_hash  CHAR(64)    NOT NULL,
    updated_at DATETIME(3) NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- One signed checkpoint per municipality and day (Asia/Tokyo): the chain's last sequence number and hash at the
-- end of that day, signed (CMS, SHA-256 with RSA) with the municipality's key. Append-only, like the log.
CREATE TABLE log_checkpoint (
    chain_key VARCHAR(6)  NOT NULL,
    log_day   DATE        NOT NULL,
    last_seq  BIGINT      NOT NULL,
    head_hash CHAR(64)    NOT NULL,
    signed_at DATETIME(3) NOT NULL,
    signature MEDIUMBLOB  NOT NULL,
    PRIMARY KEY (chain_key, log_day)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
