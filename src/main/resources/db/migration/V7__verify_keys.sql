-- The /verify codes get one key per municipality (node_secret 'verify-key:<code>', made by the first node that
-- serves it). When each key was made tells which numbers the one deployment-wide key of before ('verify-key')
-- may still vouch for: only those issued before then (docs/verify.md).
ALTER TABLE node_secret ADD COLUMN created_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6);
