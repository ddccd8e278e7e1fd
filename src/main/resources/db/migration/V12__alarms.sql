-- Alarms (障害・アラーム, docs/alarms.md): what an operator or a city's staff must look at, shown on the console page
-- /console/alarms and acknowledged there. No personal data: kinds, ids (a center transaction id, a 戸籍 request
-- id), certificate serials, CA names and times only.
--
-- A state alarm (a condition that holds, then clears) has one open row per (municipality, kind, subject) across
-- every Kofu node of the database: open_key is the SHA-256 of scope, kind and subject while the row is open and
-- NULL once it has ended, so the unique key admits one open row and any number of ended ones (NULLs never clash).
-- Nodes raise by INSERT IGNORE then touch (last_seen_at); a race of two nodes ends in one row (a duplicate key on
-- one server, a certification conflict on Galera, run again by jp.kofu.db.Database). An event alarm (a crossed
-- 戸籍 answer, a failed transaction) counts its occurrences in its open row until it is acknowledged, which ends it.
CREATE TABLE alarm (
    alarm_id          BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    municipality_code CHAR(6)      CHARACTER SET ascii NULL, -- NULL: ASP-wide (CRL, time-stamp authority …)
    kind              VARCHAR(32)  CHARACTER SET ascii NOT NULL,
    subject           VARCHAR(128) NOT NULL,                 -- what the alarm is about, e.g. a CA name, a serial
    detail            VARCHAR(512) NOT NULL,                 -- the latest occurrence, in words
    open_key          CHAR(64)     CHARACTER SET ascii NULL, -- while open; NULL once ended
    started_at        DATETIME(3)  NOT NULL,
    last_seen_at      DATETIME(3)  NOT NULL,
    ended_at          DATETIME(3)  NULL,
    occurrences       INT          NOT NULL DEFAULT 1,
    raised_by         VARCHAR(64)  NOT NULL,                 -- the node that opened the row (kofu.node.name)
    acknowledged_at   DATETIME(3)  NULL,
    acknowledged_by   VARCHAR(64)  NULL,                     -- the staff login id (of the row's municipality)
    UNIQUE KEY alarm_open (open_key),
    KEY alarm_by_municipality (municipality_code, started_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
