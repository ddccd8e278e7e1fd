-- Kofu on a Galera cluster (docs/cluster.md): no row that every node writes for every issuance, no named lock.

-- Every block of 発行番号 a node reserved from issuance_counter (docs/issuance-numbers.md): first_value to
-- last_value of the day, both included. Append-only (its name ends in _log: the service may only INSERT and SELECT).
-- The numbers of a block that no issuance or issuance log row names were never issued: the rest of a block abandoned
-- for a new one, or left when its node stopped.
CREATE TABLE number_block_log (
    municipality_code CHAR(6)     NOT NULL,
    issue_date        DATE        NOT NULL,
    first_value       INT         NOT NULL,
    last_value        INT         NOT NULL,
    node_name         VARCHAR(40) NOT NULL, -- kofu.node.name of the node that reserved it
    reserved_at       DATETIME(3) NOT NULL,
    PRIMARY KEY (municipality_code, issue_date, first_value)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- The snapshot load running for a municipality (docs/replica.md): inserted in its own transaction when a load starts
-- (a second load finds the row: 409 TRANSACTION_CONFLICT), heartbeat_at renewed with every chunk the load commits,
-- deleted when it ends. A row whose heartbeat is older than 10 minutes is of a load whose node died: the next load
-- takes it over. load_id tells the load that holds the row from one that took it over.
CREATE TABLE snapshot_load (
    municipality_code CHAR(6)     NOT NULL PRIMARY KEY,
    load_id           CHAR(32)    NOT NULL,
    node_name         VARCHAR(40) NOT NULL,
    started_at        DATETIME(3) NOT NULL,
    heartbeat_at      DATETIME(3) NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
