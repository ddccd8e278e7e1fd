-- Accounts of Kofu on an external MariaDB (10.6 or later). Run as a MariaDB administrator.
-- Two accounts (docs/issuance-log.md):
--   kofu_admin  migrates the schema (Flyway) and sets kofu's privileges: give it to Kofu as
--               KOFU_DB_ADMIN_USER / KOFU_DB_ADMIN_PASSWORD.
--   kofu        the service's connection pool (KOFU_DB_USER / KOFU_DB_PASSWORD): INSERT and SELECT only on the
--               log tables, the DML it needs on the others; never a privilege on the whole database, which would
--               reach the log tables too.
--
-- Anonymous accounts: a fresh Debian/Ubuntu MariaDB (mysql_install_db) may hold ''@'localhost' and
-- ''@'<this host's name>'. MariaDB picks the account with the most specific host first, so a connection from this
-- machine matches ''@'localhost' before 'kofu_admin'@'%' and fails with "Access denied for user 'kofu_admin'".
-- The next two statements drop every anonymous account, whatever its host (the host name is not known in SQL, so
-- they are listed from mysql.user; DROP USER takes a list). Nothing of Kofu uses them. To keep them instead, create
-- each Kofu account also @'localhost' (and @'<host name>') with the same password and grants.
SET @kofu_anonymous = (SELECT GROUP_CONCAT(CONCAT('''''@', QUOTE(Host))) FROM mysql.user WHERE User = '');
EXECUTE IMMEDIATE IFNULL(CONCAT('DROP USER ', @kofu_anonymous), 'DO 0');

CREATE DATABASE IF NOT EXISTS kofu CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;

-- A. Recommended: Kofu sets kofu's privileges itself at every start, as kofu_admin, per table.
CREATE USER IF NOT EXISTS 'kofu_admin'@'%' IDENTIFIED BY 'change-me-too';
GRANT ALL PRIVILEGES ON kofu.* TO 'kofu_admin'@'%' WITH GRANT OPTION;
CREATE USER IF NOT EXISTS 'kofu'@'%' IDENTIFIED BY 'change-me';
-- (kofu needs no privilege before the first start; Kofu grants it per table after migrating.)

-- B. Without KOFU_DB_ADMIN_USER, Flyway runs as kofu and the privileges are yours to keep right. Start one node
--    once with kofu holding the DDL of the old script (so that Flyway creates the tables):
--      GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, ALTER, INDEX, DROP, REFERENCES ON kofu.* TO 'kofu'@'%';
--    then stop it, run the statements below, and re-grant the DDL only while an upgrade migrates the schema.
--    Repeat the matching line for every table a later migration adds: SELECT, INSERT for a log table
--    (any table named *_log, log_checkpoint and log_day_checkpoint), SELECT, INSERT, UPDATE, DELETE for any other.
-- REVOKE ALL PRIVILEGES ON kofu.* FROM 'kofu'@'%';
-- GRANT SELECT, INSERT ON kofu.issuance_disposal_log TO 'kofu'@'%';
-- GRANT SELECT, INSERT ON kofu.issuance_log TO 'kofu'@'%';
-- GRANT SELECT, INSERT ON kofu.log_checkpoint TO 'kofu'@'%';
-- GRANT SELECT, INSERT ON kofu.log_day_checkpoint TO 'kofu'@'%';
-- GRANT SELECT, INSERT ON kofu.number_block_log TO 'kofu'@'%';
-- GRANT SELECT, INSERT ON kofu.staff_action_log TO 'kofu'@'%';
-- GRANT SELECT ON kofu.flyway_schema_history TO 'kofu'@'%';
-- GRANT SELECT, INSERT, UPDATE, DELETE ON kofu.alarm TO 'kofu'@'%';
-- GRANT SELECT, INSERT, UPDATE, DELETE ON kofu.card_binding TO 'kofu'@'%';
-- GRANT SELECT, INSERT, UPDATE, DELETE ON kofu.card_nonce TO 'kofu'@'%';
-- GRANT SELECT, INSERT, UPDATE, DELETE ON kofu.card_revocation TO 'kofu'@'%';
-- GRANT SELECT, INSERT, UPDATE, DELETE ON kofu.center_transaction TO 'kofu'@'%';
-- GRANT SELECT, INSERT, UPDATE, DELETE ON kofu.issuance TO 'kofu'@'%';
-- GRANT SELECT, INSERT, UPDATE, DELETE ON kofu.issuance_block TO 'kofu'@'%';
-- GRANT SELECT, INSERT, UPDATE, DELETE ON kofu.issuance_counter TO 'kofu'@'%';
-- GRANT SELECT, INSERT, UPDATE, DELETE ON kofu.koseki_registration TO 'kofu'@'%';
-- GRANT SELECT, INSERT, UPDATE, DELETE ON kofu.log_chain_head TO 'kofu'@'%';
-- GRANT SELECT, INSERT, UPDATE, DELETE ON kofu.municipality_replica TO 'kofu'@'%';
-- GRANT SELECT, INSERT, UPDATE, DELETE ON kofu.node_secret TO 'kofu'@'%';
-- GRANT SELECT, INSERT, UPDATE, DELETE ON kofu.resident TO 'kofu'@'%';
-- GRANT SELECT, INSERT, UPDATE, DELETE ON kofu.seal_registration TO 'kofu'@'%';
-- GRANT SELECT, INSERT, UPDATE, DELETE ON kofu.settings_reload TO 'kofu'@'%';
-- GRANT SELECT, INSERT, UPDATE, DELETE ON kofu.settings_reload_result TO 'kofu'@'%';
-- GRANT SELECT, INSERT, UPDATE, DELETE ON kofu.snapshot_load TO 'kofu'@'%';
-- GRANT SELECT, INSERT, UPDATE, DELETE ON kofu.staff_account TO 'kofu'@'%';
-- GRANT SELECT, INSERT, UPDATE, DELETE ON kofu.staff_session TO 'kofu'@'%';
-- GRANT SELECT, INSERT, UPDATE, DELETE ON kofu.type_stop TO 'kofu'@'%';
