-- 0003 (PostgreSQL): the audit head of 0003_audit_head.sqlite.sql. The audit
-- chain knows its own length and head, so that deleting its last entries or
-- emptying it is detected by `audit verify` (docs/benchmarks.md, "What audit
-- verify detects"). One row, kept in the same transaction as each appended
-- entry (under the audit-chain advisory lock); filled here from a chain that
-- already exists.
CREATE TABLE audit_head (
  id         integer PRIMARY KEY CHECK (id = 1),
  entries    bigint NOT NULL,               -- seq of the last entry
  head_hash  text COLLATE "C" NOT NULL      -- hash of the last entry
);
INSERT INTO audit_head(id, entries, head_hash)
  SELECT 1, seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1;
