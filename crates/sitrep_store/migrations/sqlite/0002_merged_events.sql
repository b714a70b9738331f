-- sitrep store, SQLite: merged events (DESIGN.md §6, §8).
-- A row of `events` is one *mention*: an event as the coder found it in one sentence. A merged
-- event groups the mentions, from one or several documents, that describe one real-world event:
-- same source and target actor, same CAMEO root, overlapping dates, same or nearby place (the
-- rule is in src/merge.rs). Every column of a merged event except its mention set is derived from
-- its mentions, so a merged event is recomputed whenever a mention joins or leaves it, and
-- disappears with its last mention.

CREATE TABLE merged_events (
    id             INTEGER PRIMARY KEY,
    merge_key      TEXT    NOT NULL,  -- source|target|root: only mentions with the same key merge
    doc_only       TEXT,              -- a document hash: this event takes mentions from it only
                                      -- (mentions without a date or a source actor)
    source_actor   TEXT,
    target_actor   TEXT,
    root           TEXT    NOT NULL,
    code           TEXT    NOT NULL,  -- the first mention's
    plover         TEXT,
    goldstein      REAL    NOT NULL,
    quad           INTEGER NOT NULL,
    date           TEXT,              -- the most precise date among the mentions
    date_precision TEXT,
    date_start     TEXT,              -- the date as a range of days, YYYY-MM-DD
    date_end       TEXT,              -- (a month ends on day 31 whatever its length: compared only)
    date_from      TEXT    NOT NULL,
    place_name     TEXT,              -- the first mention's place that has one
    place_country  TEXT,
    lat            REAL,
    lon            REAL,
    mentions       INTEGER NOT NULL,
    documents      INTEGER NOT NULL,
    first_mention  INTEGER,           -- events.id of the earliest stored mention
    confidence     REAL    NOT NULL   -- the highest among the mentions
);
CREATE INDEX merged_events_key ON merged_events(merge_key, date_start);
-- (…, date_end, quad): counts and timelines of an actor pair read the index alone.
CREATE INDEX merged_events_actors ON merged_events(source_actor, target_actor, date_start, date_end, quad);
CREATE INDEX merged_events_target ON merged_events(target_actor, date_start, date_end, quad);
CREATE INDEX merged_events_date ON merged_events(date_start);  -- (date_start, id): newest first
CREATE INDEX merged_events_code ON merged_events(code, date_start);
CREATE INDEX merged_events_quad ON merged_events(quad, date_start);
CREATE INDEX merged_events_country ON merged_events(place_country, date_start);

-- `events` gains an integer id (the mention's id), its date as a range of days, and the merged
-- event it belongs to (NULL: negated or hypothetical, never merged). SQLite cannot add an id
-- column in place, so the table is rebuilt.
CREATE TABLE events_v2 (
    id             INTEGER PRIMARY KEY,
    doc            TEXT    NOT NULL REFERENCES documents(hash) ON DELETE CASCADE,
    idx            INTEGER NOT NULL,
    sentence       INTEGER NOT NULL,
    trigger_start  INTEGER NOT NULL,
    trigger_end    INTEGER NOT NULL,
    trigger_text   TEXT    NOT NULL,
    code           TEXT    NOT NULL,
    root           TEXT    NOT NULL,
    plover         TEXT,
    goldstein      REAL    NOT NULL,
    quad           INTEGER NOT NULL,
    source_actor   TEXT,
    source_text    TEXT,
    target_actor   TEXT,
    target_text    TEXT,
    date           TEXT,
    date_precision TEXT,
    date_start     TEXT,
    date_end       TEXT,
    date_from      TEXT    NOT NULL,
    place_name     TEXT,
    place_country  TEXT,
    lat            REAL,
    lon            REAL,
    negated        INTEGER NOT NULL,
    hypothetical   INTEGER NOT NULL,
    confidence     REAL    NOT NULL,
    merged         INTEGER REFERENCES merged_events(id),
    UNIQUE (doc, idx)
);
INSERT INTO events_v2 (doc, idx, sentence, trigger_start, trigger_end, trigger_text, code, root,
    plover, goldstein, quad, source_actor, source_text, target_actor, target_text, date,
    date_precision, date_start, date_end, date_from, place_name, place_country, lat, lon, negated,
    hypothetical, confidence)
SELECT doc, idx, sentence, trigger_start, trigger_end, trigger_text, code, root, plover,
    goldstein, quad, source_actor, source_text, target_actor, target_text, date, date_precision,
    CASE length(date) WHEN 4 THEN date || '-01-01' WHEN 7 THEN date || '-01'
        WHEN 10 THEN date END,
    CASE length(date) WHEN 4 THEN date || '-12-31' WHEN 7 THEN date || '-31'
        WHEN 10 THEN date END,
    date_from, place_name, place_country, lat, lon, negated, hypothetical, confidence
FROM events ORDER BY rowid;
DROP TABLE events;
ALTER TABLE events_v2 RENAME TO events;
CREATE INDEX events_date ON events(date_start);
CREATE INDEX events_actors ON events(source_actor, target_actor, date_start);
CREATE INDEX events_target ON events(target_actor, date_start);
CREATE INDEX events_code ON events(code);
CREATE INDEX events_sentence ON events(doc, sentence);
CREATE INDEX events_merged ON events(merged);
