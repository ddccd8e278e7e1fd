-- Secrets shared by every node: the key that seals household-listing member ids (contract §4).
CREATE TABLE node_secret (
    name  VARCHAR(32)   NOT NULL PRIMARY KEY,
    value VARBINARY(64) NOT NULL
) ENGINE = InnoDB;
