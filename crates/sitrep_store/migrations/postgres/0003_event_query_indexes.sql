-- sitrep store, PostgreSQL: indexes for the event queries, as
-- migrations/sqlite/0003_event_query_indexes.sql (read the comments there): one filter column,
-- then page order (date_start DESC NULLS LAST, id DESC), the other filter columns included for
-- index-only counts. No count table: its rows would be updated by every writer, and concurrent
-- writers would wait for (or deadlock on) each other's count rows.
DROP INDEX IF EXISTS merged_events_actors;
DROP INDEX IF EXISTS merged_events_target;
DROP INDEX IF EXISTS merged_events_date;
DROP INDEX IF EXISTS merged_events_code;
DROP INDEX IF EXISTS merged_events_quad;
DROP INDEX IF EXISTS merged_events_country;
CREATE INDEX merged_events_by_source ON merged_events(source_actor, date_start DESC NULLS LAST,
    id DESC) INCLUDE (target_actor, code, quad, place_country, date_end);
CREATE INDEX merged_events_by_target ON merged_events(target_actor, date_start DESC NULLS LAST,
    id DESC) INCLUDE (source_actor, code, quad, place_country, date_end);
CREATE INDEX merged_events_by_pair ON merged_events(source_actor, target_actor,
    date_start DESC NULLS LAST, id DESC) INCLUDE (code, quad, place_country, date_end);
CREATE INDEX merged_events_by_source_code ON merged_events(source_actor, code,
    date_start DESC NULLS LAST, id DESC) INCLUDE (target_actor, quad, place_country, date_end);
CREATE INDEX merged_events_by_code ON merged_events(code, date_start DESC NULLS LAST, id DESC)
    INCLUDE (source_actor, target_actor, quad, place_country, date_end);
CREATE INDEX merged_events_by_quad ON merged_events(quad, date_start DESC NULLS LAST, id DESC)
    INCLUDE (source_actor, target_actor, code, place_country, date_end);
CREATE INDEX merged_events_by_country ON merged_events(place_country,
    date_start DESC NULLS LAST, id DESC)
    INCLUDE (source_actor, target_actor, code, quad, date_end);
CREATE INDEX merged_events_by_date ON merged_events(date_start DESC NULLS LAST, id DESC)
    INCLUDE (source_actor, target_actor, code, quad, place_country, date_end);

-- Mentions by source or target actor in page order.
CREATE INDEX events_source ON events(source_actor, date_start DESC NULLS LAST, id DESC);
CREATE INDEX events_target_newest ON events(target_actor, date_start DESC NULLS LAST, id DESC);

-- A merged event's evidence (its first mention's sentence and document) is copied into its row
-- whenever its first mention changes, so that a page of events reads one row per event instead
-- of four joined ones.
ALTER TABLE merged_events ADD COLUMN ev_source_text TEXT, ADD COLUMN ev_target_text TEXT,
    ADD COLUMN ev_doc TEXT, ADD COLUMN ev_title TEXT, ADD COLUMN ev_url TEXT,
    ADD COLUMN ev_published TEXT, ADD COLUMN ev_sentence INTEGER, ADD COLUMN ev_text TEXT,
    ADD COLUMN ev_start INTEGER, ADD COLUMN ev_trigger_start INTEGER,
    ADD COLUMN ev_trigger_end INTEGER, ADD COLUMN ev_trigger_text TEXT;
UPDATE merged_events m SET (ev_source_text, ev_target_text, ev_doc, ev_title, ev_url,
    ev_published, ev_sentence, ev_text, ev_start, ev_trigger_start, ev_trigger_end,
    ev_trigger_text) =
    (SELECT e.source_text, e.target_text, d.id, d.title, d.url, CAST(d.published AS TEXT),
        e.sentence, s.text, s.start, e.trigger_start, e.trigger_end, e.trigger_text
     FROM events e JOIN documents d ON d.hash = e.doc
     LEFT JOIN sentences s ON s.doc = e.doc AND s.idx = e.sentence
     WHERE e.id = m.first_mention);
CREATE FUNCTION merged_events_evidence() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    SELECT e.source_text, e.target_text, d.id, d.title, d.url, CAST(d.published AS TEXT),
        e.sentence, s.text, s.start, e.trigger_start, e.trigger_end, e.trigger_text
    INTO NEW.ev_source_text, NEW.ev_target_text, NEW.ev_doc, NEW.ev_title, NEW.ev_url,
        NEW.ev_published, NEW.ev_sentence, NEW.ev_text, NEW.ev_start, NEW.ev_trigger_start,
        NEW.ev_trigger_end, NEW.ev_trigger_text
    FROM events e JOIN documents d ON d.hash = e.doc
    LEFT JOIN sentences s ON s.doc = e.doc AND s.idx = e.sentence
    WHERE e.id = NEW.first_mention;
    RETURN NEW;
END $$;
CREATE TRIGGER merged_events_evidence BEFORE INSERT OR UPDATE OF first_mention ON merged_events
    FOR EACH ROW EXECUTE FUNCTION merged_events_evidence();
