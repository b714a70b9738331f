-- sitrep store, PostgreSQL: merged events, as migrations/sqlite/0002_merged_events.sql (read the
-- comments there). Code and date columns use the "C" collation, so that prefix ranges
-- (code >= 'RUS' AND code < 'RUS\u{10FFFF}') and date ranges compare bytes, as on SQLite, and
-- can use the indexes.

CREATE TABLE merged_events (
    id             BIGSERIAL PRIMARY KEY,
    merge_key      TEXT COLLATE "C" NOT NULL,
    doc_only       TEXT,
    source_actor   TEXT COLLATE "C",
    target_actor   TEXT COLLATE "C",
    root           TEXT COLLATE "C" NOT NULL,
    code           TEXT COLLATE "C" NOT NULL,
    plover         TEXT,
    goldstein      DOUBLE PRECISION NOT NULL,
    quad           SMALLINT         NOT NULL,
    date           TEXT,
    date_precision TEXT,
    date_start     TEXT COLLATE "C",
    date_end       TEXT COLLATE "C",
    date_from      TEXT             NOT NULL,
    place_name     TEXT,
    place_country  TEXT COLLATE "C",
    lat            DOUBLE PRECISION,
    lon            DOUBLE PRECISION,
    mentions       INTEGER          NOT NULL,
    documents      INTEGER          NOT NULL,
    first_mention  BIGINT,
    confidence     DOUBLE PRECISION NOT NULL
);
CREATE INDEX merged_events_key ON merged_events(merge_key, date_start);
-- (…, date_end, quad): counts and timelines of an actor pair read the index alone.
CREATE INDEX merged_events_actors ON merged_events(source_actor, target_actor, date_start, date_end, quad);
CREATE INDEX merged_events_target ON merged_events(target_actor, date_start, date_end, quad);
CREATE INDEX merged_events_date ON merged_events(date_start DESC NULLS LAST, id DESC);
CREATE INDEX merged_events_code ON merged_events(code, date_start);
CREATE INDEX merged_events_quad ON merged_events(quad, date_start);
CREATE INDEX merged_events_country ON merged_events(place_country, date_start);

ALTER TABLE events ADD COLUMN id BIGSERIAL;
ALTER TABLE events ADD CONSTRAINT events_id UNIQUE (id);
ALTER TABLE events ADD COLUMN date_start TEXT COLLATE "C";
ALTER TABLE events ADD COLUMN date_end TEXT COLLATE "C";
ALTER TABLE events ADD COLUMN merged BIGINT REFERENCES merged_events(id);
ALTER TABLE events ALTER COLUMN source_actor TYPE TEXT COLLATE "C";
ALTER TABLE events ALTER COLUMN target_actor TYPE TEXT COLLATE "C";
ALTER TABLE events ALTER COLUMN code TYPE TEXT COLLATE "C";
ALTER TABLE events ALTER COLUMN place_country TYPE TEXT COLLATE "C";
UPDATE events SET
    date_start = CASE length(date) WHEN 4 THEN date || '-01-01' WHEN 7 THEN date || '-01'
        WHEN 10 THEN date END,
    date_end = CASE length(date) WHEN 4 THEN date || '-12-31' WHEN 7 THEN date || '-31'
        WHEN 10 THEN date END;
DROP INDEX events_date;
DROP INDEX events_actors;
CREATE INDEX events_date ON events(date_start DESC NULLS LAST, id DESC);
CREATE INDEX documents_newest ON documents(published DESC NULLS LAST, hash DESC);
CREATE INDEX events_actors ON events(source_actor, target_actor, date_start);
CREATE INDEX events_target ON events(target_actor, date_start);
CREATE INDEX events_code ON events(code);
CREATE INDEX events_sentence ON events(doc, sentence);
CREATE INDEX events_merged ON events(merged);
