-- 0002: benchmark frameworks (every imported version kept), stakeholder
-- sign-offs, saved assessments with their results, and the append-only
-- audit log (each entry hashed with the previous one; see docs/benchmarks.md).

CREATE TABLE audit_log (
  seq        INTEGER PRIMARY KEY,   -- 1, 2, 3 ... without gaps
  at         TEXT NOT NULL,         -- UTC ISO 8601
  kind       TEXT NOT NULL,         -- framework_import | signoff | assessment
  subject    TEXT NOT NULL,
  payload    TEXT NOT NULL,         -- JSON details
  prev_hash  TEXT NOT NULL,
  hash       TEXT NOT NULL          -- SHA-256(prev_hash, seq, at, kind, subject, payload)
);
-- Append-only: the program never updates or deletes entries; `audit verify`
-- detects changes made around these triggers.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

CREATE TABLE benchmark_frameworks (
  version      INTEGER PRIMARY KEY,  -- stored version number, 1, 2, ...
  framework_id TEXT NOT NULL,
  label        TEXT NOT NULL,        -- the file's own version label
  name         TEXT NOT NULL,
  area_level   TEXT NOT NULL,
  file         TEXT NOT NULL,
  sha256       TEXT NOT NULL,        -- of the YAML text; what stakeholders sign
  yaml         TEXT NOT NULL,
  imported_at  TEXT NOT NULL,
  audit_seq    INTEGER NOT NULL
);

CREATE TABLE benchmark_signoffs (
  id                INTEGER PRIMARY KEY,
  framework_version INTEGER REFERENCES benchmark_frameworks(version),
  stakeholder       TEXT NOT NULL,
  signed_by         TEXT NOT NULL,
  signed_at         TEXT NOT NULL,
  version_sha256    TEXT NOT NULL,
  audit_seq         INTEGER NOT NULL
);

CREATE TABLE benchmark_assessments (
  id                INTEGER PRIMARY KEY,
  framework_version INTEGER NOT NULL REFERENCES benchmark_frameworks(version),
  month             INTEGER NOT NULL,   -- year*12 + month-1
  level             TEXT NOT NULL,
  data_fingerprint  TEXT NOT NULL,      -- SHA-256 of the inputs used
  created_at        TEXT NOT NULL,
  audit_seq         INTEGER NOT NULL
);
CREATE INDEX benchmark_assessments_month ON benchmark_assessments(month);

CREATE TABLE benchmark_results (
  assessment_id INTEGER NOT NULL REFERENCES benchmark_assessments(id) ON DELETE CASCADE,
  area_id       TEXT NOT NULL,
  stakeholder   TEXT NOT NULL,          -- '' for indicator values
  item_kind     TEXT NOT NULL,          -- indicator | benchmark | readiness
  item_id       TEXT NOT NULL,          -- indicator or benchmark id; '' for readiness
  value         REAL,                   -- indicator value, or contextual share for readiness
  status        TEXT NOT NULL,          -- met | not_met | no_data | ready | not_ready
  PRIMARY KEY (assessment_id, area_id, stakeholder, item_kind, item_id)
) WITHOUT ROWID;
CREATE INDEX benchmark_results_area ON benchmark_results(area_id);
