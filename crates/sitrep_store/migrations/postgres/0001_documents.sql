-- sitrep store, PostgreSQL: the same tables as migrations/sqlite/0001_documents.sql, with
-- PostgreSQL types and a tsvector column (GIN index) for full-text search over sentences.
-- A document is keyed by the content hash of its cleaned text (sitrep_doc::content_id); every
-- annotation row belongs to one document and goes with it (ON DELETE CASCADE).

CREATE TABLE runs (
    id             BIGSERIAL PRIMARY KEY,
    sitrep_version TEXT        NOT NULL,
    kb_version     TEXT        NOT NULL,
    started        TIMESTAMPTZ NOT NULL DEFAULT now(),
    finished       TIMESTAMPTZ,          -- NULL: the run was interrupted (or is still going)
    read           BIGINT      NOT NULL DEFAULT 0,
    stored         BIGINT      NOT NULL DEFAULT 0,
    replaced       BIGINT      NOT NULL DEFAULT 0,
    already_stored BIGINT      NOT NULL DEFAULT 0,
    skipped        BIGINT      NOT NULL DEFAULT 0,
    failed         BIGINT      NOT NULL DEFAULT 0,
    events         BIGINT      NOT NULL DEFAULT 0
);

CREATE TABLE documents (
    hash           TEXT PRIMARY KEY,     -- content_id(text)
    id             TEXT        NOT NULL, -- the input's id, or the hash
    url            TEXT,
    title          TEXT,
    source         TEXT,
    published      DATE,
    language       TEXT,
    tone           DOUBLE PRECISION,
    text           TEXT        NOT NULL,
    json           TEXT        NOT NULL, -- the document in the JSON contract (DESIGN.md §4)
    sitrep_version TEXT        NOT NULL,
    kb_version     TEXT        NOT NULL,
    run            BIGINT REFERENCES runs(id),
    stored_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX documents_id ON documents(id);
CREATE INDEX documents_published ON documents(published);
CREATE INDEX documents_versions ON documents(sitrep_version, kb_version);

CREATE TABLE sentences (
    id    BIGSERIAL PRIMARY KEY,
    doc   TEXT    NOT NULL REFERENCES documents(hash) ON DELETE CASCADE,
    idx   INTEGER NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    text  TEXT    NOT NULL,
    tsv   tsvector GENERATED ALWAYS AS (to_tsvector('english', text)) STORED,
    UNIQUE (doc, idx)
);
CREATE INDEX sentences_tsv ON sentences USING GIN (tsv);

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
    doc       TEXT             NOT NULL REFERENCES documents(hash) ON DELETE CASCADE,
    idx       INTEGER          NOT NULL,
    start     INTEGER          NOT NULL,
    "end"     INTEGER          NOT NULL,
    text      TEXT             NOT NULL,
    name      TEXT             NOT NULL,
    country   TEXT,
    admin1    TEXT,
    lat       DOUBLE PRECISION NOT NULL,
    lon       DOUBLE PRECISION NOT NULL,
    geonameid BIGINT,
    feature   TEXT             NOT NULL,
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
    doc            TEXT             NOT NULL REFERENCES documents(hash) ON DELETE CASCADE,
    idx            INTEGER          NOT NULL,
    sentence       INTEGER          NOT NULL,
    trigger_start  INTEGER          NOT NULL,
    trigger_end    INTEGER          NOT NULL,
    trigger_text   TEXT             NOT NULL,
    code           TEXT             NOT NULL,
    root           TEXT             NOT NULL,
    plover         TEXT,
    goldstein      DOUBLE PRECISION NOT NULL,
    quad           SMALLINT         NOT NULL,
    source_actor   TEXT,
    source_text    TEXT,
    target_actor   TEXT,
    target_text    TEXT,
    date           TEXT,
    date_precision TEXT,
    date_from      TEXT             NOT NULL,
    place_name     TEXT,
    place_country  TEXT,
    lat            DOUBLE PRECISION,
    lon            DOUBLE PRECISION,
    negated        BOOLEAN          NOT NULL,
    hypothetical   BOOLEAN          NOT NULL,
    confidence     DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (doc, idx)
);
CREATE INDEX events_date ON events(date);
CREATE INDEX events_actors ON events(source_actor, target_actor);
