-- Tenancy (contract §7): every caller acts for its own municipalities only.

-- Card revocations act only for the municipality of their feed line: a revocation sent by one municipality's feed
-- never refuses a card in another.
ALTER TABLE card_revocation DROP PRIMARY KEY, ADD PRIMARY KEY (municipality_code, issuer_key, serial_hex);

-- A centerTransactionId is its caller's own: the same id from two callers names two transactions, and a kept answer
-- is replayed only to the caller that got it. caller_key is SHA-256 of the caller certificate's canonical subject.
-- Kept answers live 10 minutes; those of before this change are dropped (a retry of one is answered afresh).
-- card_issuer/card_serial name the card that asked, so that its revocation drops the answer.
DELETE FROM center_transaction;
ALTER TABLE center_transaction
    ADD COLUMN caller_key  CHAR(64)      CHARACTER SET ascii NOT NULL FIRST,
    ADD COLUMN card_issuer VARCHAR(1024) NULL AFTER municipality_code,
    ADD COLUMN card_serial VARCHAR(64)   NULL AFTER card_issuer,
    DROP PRIMARY KEY,
    ADD PRIMARY KEY (caller_key, center_transaction_id),
    ADD KEY center_transaction_municipality (municipality_code);

-- A completion is accepted only from the caller that received the issuance. Issuances of before this change have
-- no caller key: nobody can complete them, and they are voided 10 minutes after issue as any uncompleted one.
ALTER TABLE issuance ADD COLUMN caller_key CHAR(64) CHARACTER SET ascii NOT NULL DEFAULT '';
