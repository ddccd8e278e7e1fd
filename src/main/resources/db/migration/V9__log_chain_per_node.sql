-- One chain per municipality and node (docs/issuance-log.md): a row of municipality 112038 written by node kofu-a
-- goes to the chain '112038/kofu-a', so that nodes of a multi-primary cluster (Galera) issuing for one municipality
-- no longer update one head row (which aborted one of them at commit). Chains keyed by the bare code, written
-- before, stay and are verified; they stop growing. 6-digit code + '/' + a node name of up to 40 characters.
ALTER TABLE issuance_log MODIFY chain_key VARCHAR(48) NULL;
ALTER TABLE log_chain_head MODIFY chain_key VARCHAR(48) NOT NULL;
ALTER TABLE log_checkpoint MODIFY chain_key VARCHAR(48) NOT NULL;

-- One signed checkpoint per municipality and day (Asia/Tokyo), from this migration on: the exact UTF-8 text
-- signed ('kofu-issuance-log-checkpoint/2', listing every chain of the municipality with its last sequence number
-- and hash at the end of the day) and its detached CMS signature, so that a script can check the signature over
-- the stored bytes and then read them. Append-only (jp.kofu.db.Grants), like the log.
CREATE TABLE log_day_checkpoint (
    municipality_code CHAR(6)     NOT NULL,
    log_day           DATE        NOT NULL,
    body              MEDIUMBLOB  NOT NULL,
    signed_at         DATETIME(3) NOT NULL,
    signature         MEDIUMBLOB  NOT NULL,
    PRIMARY KEY (municipality_code, log_day)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
