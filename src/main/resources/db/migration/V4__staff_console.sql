-- The staff console (jp.kofu.console): staff accounts, their sessions, and the log of every staff action.

-- One account per staff member, limited to one municipality. login is unique across the deployment, so the login
-- form asks for nothing else. password_hash is an Argon2id PHC string; totp_secret is set once TOTP is turned on.
CREATE TABLE staff_account (
    id                   BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    municipality_code    CHAR(6)      NOT NULL,
    login                VARCHAR(64)  NOT NULL,
    display_name         VARCHAR(100) NOT NULL,
    role                 VARCHAR(16)  NOT NULL, -- VIEWER 閲覧者, AUDITOR 監査者, ADMIN 管理者
    password_hash        VARCHAR(255) NOT NULL,
    must_change_password BOOLEAN      NOT NULL DEFAULT FALSE,
    totp_secret          VARCHAR(64)  NULL,
    totp_last_step       BIGINT       NULL, -- the last 30-second step whose code was accepted (no code twice)
    failed_logins        INT          NOT NULL DEFAULT 0,
    locked_until         DATETIME(3)  NULL,
    disabled             BOOLEAN      NOT NULL DEFAULT FALSE,
    created_at           DATETIME(3)  NOT NULL,
    UNIQUE KEY staff_account_login (login),
    KEY staff_account_municipality (municipality_code)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Signed-in browsers. The cookie holds a random token; only its SHA-256 is kept here, so a copy of this table
-- signs nobody in. Rows of ended sessions are deleted (a session is state, not history: the history is below).
CREATE TABLE staff_session (
    token_sha256  CHAR(64)    NOT NULL PRIMARY KEY,
    staff_id      BIGINT      NOT NULL,
    csrf_token    CHAR(43)    NOT NULL,
    totp_pending  BOOLEAN     NOT NULL DEFAULT FALSE,
    created_at    DATETIME(3) NOT NULL,
    last_seen_at  DATETIME(3) NOT NULL,
    KEY staff_session_staff (staff_id),
    KEY staff_session_seen (last_seen_at)
) ENGINE = InnoDB DEFAULT CHARSET = ascii COLLATE = ascii_bin;

-- 操作者ログ: one row per staff action (login, logout, each search with its filters, each view, each export ...).
-- Append-only: the application inserts and selects, never updates or deletes. No personal data except the
-- resident ids (宛名番号) staff searched for.
CREATE TABLE staff_action_log (
    id                BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
    logged_at         DATETIME(3)   NOT NULL,
    municipality_code CHAR(6)       NULL, -- NULL for a failed login with an unknown login id
    staff_login       VARCHAR(64)   NULL,
    action            VARCHAR(32)   NOT NULL,
    outcome           VARCHAR(16)   NOT NULL, -- OK, DENIED, FAILED
    target            VARCHAR(64)   NULL,     -- the log row, issuance number or account acted on
    filters           VARCHAR(1024) NULL,     -- the search filters, as key=value pairs
    resident_id       VARCHAR(32)   NULL,     -- a resident id searched for
    result_count      INT           NULL,
    client_address    VARCHAR(64)   NULL,
    KEY staff_action_time (municipality_code, logged_at),
    KEY staff_action_login (staff_login, logged_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
