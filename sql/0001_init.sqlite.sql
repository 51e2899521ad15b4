-- 0001: areas, events, sites, deployments, indicators, observations, import log.
-- Dates are ISO text (YYYY-MM-DD) plus integer day/month numbers for range queries.

CREATE TABLE areas (
  id            TEXT PRIMARY KEY,
  name          TEXT NOT NULL,
  level         TEXT NOT NULL,
  parent_id     TEXT REFERENCES areas(id) DEFERRABLE INITIALLY DEFERRED,
  population    REAL,
  area_km2      REAL NOT NULL,
  centroid_lat  REAL NOT NULL,
  centroid_lon  REAL NOT NULL,
  min_lon REAL NOT NULL, min_lat REAL NOT NULL, max_lon REAL NOT NULL, max_lat REAL NOT NULL,
  priogrid_gid  INTEGER,
  share_inside  REAL,
  geometry_wkb  BLOB NOT NULL,
  import_id     INTEGER REFERENCES import_log(id)
);
CREATE INDEX areas_level ON areas(level);
CREATE INDEX areas_parent ON areas(parent_id);

CREATE TABLE import_log (
  id            INTEGER PRIMARY KEY,
  kind          TEXT NOT NULL,           -- areas | events | sites | observations
  file          TEXT NOT NULL,
  sha256        TEXT NOT NULL,
  source        TEXT NOT NULL,
  imported_at   TEXT NOT NULL,           -- UTC ISO 8601
  read          INTEGER NOT NULL,
  imported      INTEGER NOT NULL,
  duplicates    INTEGER NOT NULL,
  rejected      INTEGER NOT NULL,
  outside_areas INTEGER NOT NULL
);

CREATE TABLE events (
  id                 INTEGER PRIMARY KEY,
  source             TEXT NOT NULL,
  source_id          TEXT NOT NULL,
  date_start         TEXT NOT NULL,
  date_end           TEXT NOT NULL,
  day_start          INTEGER NOT NULL,     -- days since 1970-01-01
  month              INTEGER NOT NULL,     -- year*12 + month-1 of date_start
  date_precision     INTEGER NOT NULL,
  lat                REAL NOT NULL,
  lon                REAL NOT NULL,
  location_precision INTEGER NOT NULL,
  violence_type      TEXT NOT NULL,        -- normalised (state_based, non_state, one_sided, ...)
  violence_original  TEXT NOT NULL,        -- the source's own value
  actor1             TEXT NOT NULL,
  actor2             TEXT NOT NULL,
  fatalities_best    INTEGER NOT NULL CHECK (fatalities_best >= 0),
  fatalities_low     INTEGER NOT NULL CHECK (fatalities_low >= 0),
  fatalities_high    INTEGER NOT NULL CHECK (fatalities_high >= 0),
  civilian_deaths    INTEGER,
  country            TEXT NOT NULL,
  admin1             TEXT NOT NULL,
  location           TEXT NOT NULL,
  priogrid_gid       INTEGER,
  import_id          INTEGER NOT NULL REFERENCES import_log(id),
  UNIQUE (source, source_id)
);
CREATE INDEX events_month ON events(month);

-- Which area owns each event, at every level (one row per level).
CREATE TABLE event_areas (
  event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
  area_id  TEXT NOT NULL REFERENCES areas(id) ON DELETE CASCADE,
  PRIMARY KEY (event_id, area_id)
) WITHOUT ROWID;

CREATE TABLE sites (
  id        INTEGER PRIMARY KEY,
  key       TEXT NOT NULL UNIQUE,
  mission   TEXT NOT NULL,
  name      TEXT NOT NULL,
  country   TEXT NOT NULL,
  admin1    TEXT NOT NULL,
  admin2    TEXT NOT NULL,
  lat       REAL NOT NULL,
  lon       REAL NOT NULL,
  kind      TEXT NOT NULL,
  import_id INTEGER NOT NULL REFERENCES import_log(id)
);

CREATE TABLE site_areas (
  site_id INTEGER NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
  area_id TEXT NOT NULL REFERENCES areas(id) ON DELETE CASCADE,
  PRIMARY KEY (site_id, area_id)
) WITHOUT ROWID;

CREATE TABLE deployments (
  site_id      INTEGER NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
  period_start INTEGER NOT NULL,   -- month index, inclusive
  period_end   INTEGER NOT NULL,   -- month index, inclusive
  source       TEXT NOT NULL,
  troops       INTEGER NOT NULL CHECK (troops >= 0),
  police       INTEGER NOT NULL CHECK (police >= 0),
  observers    INTEGER NOT NULL CHECK (observers >= 0),
  civilians    INTEGER NOT NULL CHECK (civilians >= 0),
  hq           INTEGER NOT NULL,
  aviation     INTEGER NOT NULL,
  medical      INTEGER NOT NULL,
  notes        TEXT NOT NULL,
  import_id    INTEGER NOT NULL REFERENCES import_log(id),
  PRIMARY KEY (site_id, period_start, source)
);

CREATE TABLE indicators (
  id          TEXT PRIMARY KEY,
  name        TEXT NOT NULL,
  unit        TEXT NOT NULL DEFAULT '',
  description TEXT NOT NULL DEFAULT ''
);

CREATE TABLE observations (
  indicator_id TEXT NOT NULL REFERENCES indicators(id),
  area_id      TEXT NOT NULL REFERENCES areas(id),
  month        INTEGER NOT NULL,
  value        REAL NOT NULL,
  source       TEXT NOT NULL,
  import_id    INTEGER NOT NULL REFERENCES import_log(id),
  PRIMARY KEY (indicator_id, area_id, month, source)
);
