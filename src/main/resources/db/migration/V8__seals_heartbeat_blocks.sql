-- Contract §6: 印鑑登録 (SEAL_REGISTER / SEAL_ABOLISH), the feed's last sign of life (HEARTBEAT and every batch),
-- and issuance blocks that name certificate types or cover a household.

-- One registration per person and generation, as issuance_block: a snapshot loads its own generation. SEAL_ABOLISH and
-- RESIDENT_REMOVE delete the row, image and all, in the batch's transaction; nothing of it is kept anywhere else.
CREATE TABLE seal_registration (
    municipality_code   CHAR(6)      NOT NULL,
    generation          BIGINT       NOT NULL,
    resident_id         VARCHAR(32)  NOT NULL,
    registration_number VARCHAR(32)  NOT NULL,
    registered_name     VARCHAR(128) NOT NULL,
    registered_on       DATE         NOT NULL,
    seal_size_mm        DOUBLE       NOT NULL, -- the side of the 印影's square, 8–25 mm
    seal_image          MEDIUMBLOB   NOT NULL, -- PNG, at most 256 KiB
    PRIMARY KEY (municipality_code, generation, resident_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- When this node last accepted a batch (heartbeats included) or a snapshot of the municipality; NULL = never.
ALTER TABLE municipality_replica ADD COLUMN last_heard_at DATETIME(3) NULL;

-- certificate_types: the types the block names, comma-separated (",INKAN,"); NULL = every type.
-- household_wide: the block covers every member of the holder's current household.
ALTER TABLE issuance_block
    ADD COLUMN certificate_types VARCHAR(200) CHARACTER SET ascii NULL,
    ADD COLUMN household_wide    BOOLEAN      NOT NULL DEFAULT FALSE;
