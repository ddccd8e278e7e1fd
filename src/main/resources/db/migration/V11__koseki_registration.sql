-- 本籍地 利用登録申請 (contract §9, docs/koseki-registration.md): a card certificate applies once to be bound to a
-- person of this municipality's 戸籍; staff approve (with the 戸籍システム's person lookup) or reject it.

-- One row per application. The applied fields (本籍, 筆頭者, 氏名, 生年月日) are personal data needed only while the
-- application waits for a decision: approval and rejection set them to NULL in the deciding transaction, so that a
-- decided row keeps only what the binding needs (municipality, card, status, person key, who decided, dates).
-- The card is keyed as card_binding keys cards: SHA-256 of the issuer's canonical DN, and the serial in lower-case
-- hex without leading zeros. caller_key is SHA-256 of the center caller certificate's canonical subject.
CREATE TABLE koseki_registration (
    registration_id       VARCHAR(40)  CHARACTER SET ascii NOT NULL PRIMARY KEY,
    municipality_code     CHAR(6)      NOT NULL,
    card_issuer_key       CHAR(64)     CHARACTER SET ascii NOT NULL,
    card_serial           VARCHAR(64)  CHARACTER SET ascii NOT NULL,
    caller_key            CHAR(64)     CHARACTER SET ascii NOT NULL,
    center_transaction_id VARCHAR(64)  NOT NULL,
    status                VARCHAR(8)   NOT NULL, -- PENDING, APPROVED, REJECTED
    honseki               VARCHAR(512) NULL,     -- applied 本籍 (while PENDING only)
    hittosha              VARCHAR(256) NULL,     -- applied 筆頭者 (while PENDING only)
    name                  VARCHAR(256) NULL,     -- applied 氏名 (while PENDING only)
    birth_date            DATE         NULL,     -- applied 生年月日 (while PENDING only)
    person_key            VARCHAR(64)  NULL,     -- the 戸籍システム's key of the person (APPROVED only)
    reject_reason         VARCHAR(32)  NULL,     -- a fixed code (REJECTED only), never free text: NOT_IN_KOSEKI,
                                                 -- IDENTITY_UNCONFIRMED, DUPLICATE, OTHER; SUPERSEDED, EXPIRED
    applied_at            DATETIME(3)  NOT NULL,
    decided_at            DATETIME(3)  NULL,
    decided_by            VARCHAR(64)  NULL,     -- the staff login id; NULL when Kofu decided (SUPERSEDED, EXPIRED)
    KEY koseki_registration_queue (municipality_code, status, applied_at),
    KEY koseki_registration_card (municipality_code, card_issuer_key, card_serial, status)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- The console permission to review applications (戸籍 staff). Orthogonal to the linear roles (閲覧者 < 監査者 <
-- 管理者): a 管理者 grants it to an account of any role; the review queue shows personal data to its holders only.
ALTER TABLE staff_account ADD COLUMN koseki_reviewer BOOLEAN NOT NULL DEFAULT FALSE;
