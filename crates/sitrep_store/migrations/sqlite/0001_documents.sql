-- sitrep store, SQLite: documents and their annotations (DESIGN.md §6).
-- A document is keyed by the content hash of its cleaned text (sitrep_doc::content_id); every
-- annotation row belongs to one document and goes with it (ON DELETE CASCADE), so replacing a
-- document's annotations is "delete the document, insert it again" inside one transaction.

CREATE TABLE runs (
    id             INTEGER PRIMARY KEY,
    sitrep_version TEXT    NOT NULL,
    kb_version     TEXT    NOT NULL,
    started        TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    finished       TEXT,              -- NULL: the run was interrupted (or is still going)
    read           INTEGER NOT NULL DEFAULT 0,
    stored         INTEGER NOT NULL DEFAULT 0,
    replaced       INTEGER NOT NULL DEFAULT 0,
    already_stored INTEGER NOT NULL DEFAULT 0,
    skipped        INTEGER NOT NULL DEFAULT 0,
    failed         INTEGER NOT NULL DEFAULT 0,
    events         INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE documents (
    hash           TEXT PRIMARY KEY,  -- content_id(text)
    id             TEXT NOT NULL,     -- the input's id, or the hash
    url            TEXT,
    title          TEXT,
    source         TEXT,
    published      TEXT,              -- YYYY-MM-DD
    language       TEXT,
    tone           REAL,
    text           TEXT NOT NULL,
    json           TEXT NOT NULL,     -- the document in the JSON contract (DESIGN.md §4)
    sitrep_version TEXT NOT NULL,
    kb_version     TEXT NOT NULL,
    run            INTEGER REFERENCES runs(id),
    stored_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX documents_id ON documents(id);
CREATE INDEX documents_published ON documents(published);
CREATE INDEX documents_versions ON documents(sitrep_version, kb_version);

CREATE TABLE sentences (
    id    INTEGER PRIMARY KEY,        -- the FTS5 rowid
    doc   TEXT    NOT NULL REFERENCES documents(hash) ON DELETE CASCADE,
    idx   INTEGER NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    text  TEXT    NOT NULL,
    UNIQUE (doc, idx)
);

CREATE TABLE entities (
    doc       TEXT    NOT NULL REFERENCES documents(hash) ON DELETE CASCADE,
    idx       INTEGER NOT NULL,
    start     INTEGER NOT NULL,
    "end"     INTEGER NOT NULL,
    text      TEXT    NOT NULL,
    label     TEXT    NOT NULL,
    canonical TEXT,
    actor     TEXT,
    PRIMARY KEY (doc, idx)
);
CREATE INDEX entities_actor ON entities(actor);

CREATE TABLE times (
    doc   TEXT    NOT NULL REFERENCES documents(hash) ON DELETE CASCADE,
    idx   INTEGER NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    text  TEXT    NOT NULL,
    type  TEXT    NOT NULL,
    value TEXT,
    mod   TEXT,
    PRIMARY KEY (doc, idx)
);

CREATE TABLE places (
    doc       TEXT    NOT NULL REFERENCES documents(hash) ON DELETE CASCADE,
    idx       INTEGER NOT NULL,
    start     INTEGER NOT NULL,
    "end"     INTEGER NOT NULL,
    text      TEXT    NOT NULL,
    name      TEXT    NOT NULL,
    country   TEXT,
    admin1    TEXT,
    lat       REAL    NOT NULL,
    lon       REAL    NOT NULL,
    geonameid INTEGER,
    feature   TEXT    NOT NULL,
    PRIMARY KEY (doc, idx)
);
CREATE INDEX places_country ON places(country);

CREATE TABLE quotes (
    doc           TEXT    NOT NULL REFERENCES documents(hash) ON DELETE CASCADE,
    idx           INTEGER NOT NULL,
    start         INTEGER NOT NULL,
    "end"         INTEGER NOT NULL,
    text          TEXT    NOT NULL,
    speaker       TEXT,
    speaker_actor TEXT,
    PRIMARY KEY (doc, idx)
);

CREATE TABLE events (
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
    date_from      TEXT    NOT NULL,
    place_name     TEXT,
    place_country  TEXT,
    lat            REAL,
    lon            REAL,
    negated        INTEGER NOT NULL,
    hypothetical   INTEGER NOT NULL,
    confidence     REAL    NOT NULL,
    PRIMARY KEY (doc, idx)
);
CREATE INDEX events_date ON events(date);
CREATE INDEX events_actors ON events(source_actor, target_actor);

-- Full-text search over sentences: an external-content FTS5 index kept in step by triggers
-- (they also fire for the rows ON DELETE CASCADE removes).
CREATE VIRTUAL TABLE sentences_fts USING fts5(
    text, content = 'sentences', content_rowid = 'id', tokenize = 'porter unicode61 remove_diacritics 2'
);
CREATE TRIGGER sentences_fts_insert AFTER INSERT ON sentences BEGIN
    INSERT INTO sentences_fts(rowid, text) VALUES (new.id, new.text);
END;
CREATE TRIGGER sentences_fts_delete AFTER DELETE ON sentences BEGIN
    INSERT INTO sentences_fts(sentences_fts, rowid, text) VALUES ('delete', old.id, old.text);
END;
