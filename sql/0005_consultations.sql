-- 0005: the consultation log (docs/report.md, "Consultation log"): community
-- feedback per locality, imported from CSV. A row is keyed on the SHA-256 of
-- what identifies it (locality, date, channel, who, summary), so importing the
-- same file again adds nothing. `who` describes a group ("women's association,
-- 30 people"), not a person: the importer refuses phone numbers and e-mail
-- addresses unless asked to keep personal data.
CREATE TABLE consultations (
  id          TEXT PRIMARY KEY,
  locality    TEXT NOT NULL,
  territory   TEXT NOT NULL DEFAULT '',
  held_on     TEXT NOT NULL,
  channel     TEXT NOT NULL,
  who         TEXT NOT NULL,
  summary     TEXT NOT NULL,
  concerns    TEXT NOT NULL DEFAULT '',
  personal    INTEGER NOT NULL DEFAULT 0,
  import_id   INTEGER NOT NULL REFERENCES import_log(id)
);
CREATE INDEX consultations_by_locality ON consultations(locality, held_on);
