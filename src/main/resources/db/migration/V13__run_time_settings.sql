-- Settings at run time (docs/settings.md).

-- A certificate type a 管理者 stopped from the console (contract §8 stoppedTypes, 422 OUTSIDE_SERVICE_HOURS): one row
-- while the stop lasts, deleted on resume. Every node reads the whole table every few seconds and adds it to the
-- municipalities file's stoppedTypes. Who stopped and when is in staff_action_log (TYPE_STOP / TYPE_RESUME).
CREATE TABLE type_stop (
    municipality_code CHAR(6)     CHARACTER SET ascii NOT NULL,
    certificate_type  VARCHAR(16) CHARACTER SET ascii NOT NULL,
    stopped_at        DATETIME(3) NOT NULL,
    stopped_by        VARCHAR(64) NOT NULL,
    PRIMARY KEY (municipality_code, certificate_type)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- A reload of the municipalities file asked for from the console by an ASP 管理者: one row (id = 1) whose generation
-- goes up by one per request. Every node polls it and reloads its own file when the generation passes the last one
-- it acted on.
CREATE TABLE settings_reload (
    id           TINYINT     NOT NULL PRIMARY KEY,
    generation   BIGINT      NOT NULL,
    requested_at DATETIME(3) NOT NULL,
    requested_by VARCHAR(64) NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
INSERT INTO settings_reload (id, generation, requested_at, requested_by) VALUES (1, 0, CURRENT_TIMESTAMP(3), '-');

-- What each node made of its last reload (console, SIGHUP or start): the console shows it per node. The message is
-- the refusal's key and problem, never a password or a resident's data.
CREATE TABLE settings_reload_result (
    node_name   VARCHAR(64)   NOT NULL PRIMARY KEY,
    generation  BIGINT        NOT NULL,
    trigger_by  VARCHAR(8)    CHARACTER SET ascii NOT NULL, -- CONSOLE, SIGNAL
    finished_at DATETIME(3)   NOT NULL,
    ok          BOOLEAN       NOT NULL,
    message     VARCHAR(1000) NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- The ASP 管理者 (the company that runs Kofu, not a municipality): set only with `staff grant-asp-admin` on the
-- server. It opens the ASP's reload page and nothing else; it shows no other municipality's logs, staff or residents.
ALTER TABLE staff_account ADD COLUMN asp_admin BOOLEAN NOT NULL DEFAULT FALSE;
