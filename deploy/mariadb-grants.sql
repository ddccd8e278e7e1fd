-- Run once as an administrator on the external MariaDB (10.6 or later).
CREATE DATABASE IF NOT EXISTS kofu CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
CREATE USER IF NOT EXISTS 'kofu'@'%' IDENTIFIED BY 'change-me';
-- Flyway migrates the schema at start-up, so the service user needs DDL on its own database.
GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, ALTER, INDEX, DROP, REFERENCES ON kofu.* TO 'kofu'@'%';
FLUSH PRIVILEGES;
