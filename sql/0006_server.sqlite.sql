-- 0006: the HTTP server's users, their login tokens and its jobs
-- (docs/server.md). Passwords are stored as Argon2id hashes and tokens as
-- SHA-256 hashes only; adding and revoking users is also written into the
-- audit log (audit_log, 0002) with the administrator who did it.

CREATE TABLE users (
  id            INTEGER PRIMARY KEY,
  name          TEXT NOT NULL UNIQUE,
  role          TEXT NOT NULL,          -- public | analyst | planner | signatory:<stakeholder> | admin
  password_hash TEXT NOT NULL,          -- Argon2id in libsodium's crypto_pwhash_str encoding
  created_at    TEXT NOT NULL,          -- UTC ISO 8601
  created_by    TEXT NOT NULL,
  revoked_at    TEXT                    -- set once: no more logins, every token refused
);

CREATE TABLE user_tokens (
  token_hash  TEXT PRIMARY KEY,         -- SHA-256 hex of the bearer token (the token is never stored)
  user_id     INTEGER NOT NULL REFERENCES users(id),
  created_at  TEXT NOT NULL,
  expires_at  TEXT NOT NULL,
  revoked_at  TEXT                      -- logout or user revoked
) WITHOUT ROWID;
CREATE INDEX user_tokens_user ON user_tokens(user_id);

CREATE TABLE jobs (
  id           INTEGER PRIMARY KEY,
  kind         TEXT NOT NULL,           -- the route's operation id: threat_hotspots, forecast_backtest, ...
  user_name    TEXT NOT NULL,
  params       TEXT NOT NULL,           -- JSON of the request parameters, as validated
  state        TEXT NOT NULL,           -- queued | running | done | failed | cancelled
  created_at   TEXT NOT NULL,
  started_at   TEXT,
  finished_at  TEXT,
  stage        TEXT NOT NULL DEFAULT '',  -- progress: stage name, done of total (0 = unknown)
  done         INTEGER NOT NULL DEFAULT 0,
  total        INTEGER NOT NULL DEFAULT 0,
  warnings     TEXT NOT NULL DEFAULT '[]',  -- JSON array of the engine's warnings
  content_type TEXT NOT NULL DEFAULT '',
  result       BLOB,                    -- the document the route writes (JSON, GeoJSON or CSV)
  problem      TEXT                     -- RFC 9457 problem document (JSON) when failed or cancelled
);
CREATE INDEX jobs_user ON jobs(user_name, id);
