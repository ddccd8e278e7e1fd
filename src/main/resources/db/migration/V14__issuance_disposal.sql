-- 交付履歴 処分情報 (住民記録システム標準仕様書 1.3.8; docs/console.md "処分情報"): staff record that a paper of an
-- issuance was recovered and destroyed (or could not be). One record per issuance, kept append-only: revision 1 is
-- the record, each correction is a new row with the next revision that replaces it on every page and in the CSV.
-- Nothing is deleted; the (issuance_number, revision) key makes two staff members' simultaneous records conflict.
CREATE TABLE issuance_disposal_log (
    issuance_number   VARCHAR(32)  NOT NULL, -- issuance.issuance_number (its first 発行番号): all its copies
    revision          INT          NOT NULL, -- 1 the record; 2, 3 … each correction
    municipality_code CHAR(6)      NOT NULL,
    disposition       VARCHAR(24)  NOT NULL, -- RECOVERED_DESTROYED, DESTROYED_BY_RECIPIENT, NOT_RECOVERED
    disposed_on       DATE         NOT NULL, -- the day it was recovered and destroyed (or found unrecoverable)
    reason            VARCHAR(24)  NOT NULL, -- WRONG_PERSON, WRONG_CONTENT, PRINT_DEFECT, DUPLICATE, OTHER
    note              VARCHAR(100) NULL,     -- a short note of the staff, never personal data
    recorded_at       DATETIME(3)  NOT NULL,
    recorded_by       VARCHAR(64)  NOT NULL, -- the staff member's login id
    PRIMARY KEY (issuance_number, revision),
    KEY disposal_time (municipality_code, recorded_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
