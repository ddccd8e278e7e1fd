-- The staff console, hardened (docs/console.md).

-- A login id names a staff member within their municipality only: the login form asks for the 団体コード as well,
-- so a 管理者 of one municipality cannot learn (by an "already used" answer) nor lock the logins of another.
ALTER TABLE staff_account
    DROP INDEX staff_account_login,
    ADD UNIQUE KEY staff_account_municipality_login (municipality_code, login);

-- TOTP secrets are stored sealed with AES-GCM ("gcm1:" + Base64url of IV, ciphertext and tag, about 90 characters);
-- plain secrets of an older version are sealed by the service at its next start (TotpSecretMigration).
ALTER TABLE staff_account MODIFY totp_secret VARCHAR(128) NULL;
