-- sitrep store, SQLite: indexes and counts for the event queries (src/events.rs).
--
-- A page of events, newest first, is read off an index that starts with one filter column and
-- goes on (date_start, id): for one value of that column the index is in page order, so a page
-- costs its own rows, not every match. The other filter columns follow, so that the remaining
-- filters and count(*) read the index alone (no table row per match).
DROP INDEX IF EXISTS merged_events_actors;
DROP INDEX IF EXISTS merged_events_target;
DROP INDEX IF EXISTS merged_events_date;
DROP INDEX IF EXISTS merged_events_code;
DROP INDEX IF EXISTS merged_events_quad;
DROP INDEX IF EXISTS merged_events_country;
CREATE INDEX IF NOT EXISTS merged_events_by_source ON merged_events(source_actor, date_start, id,
    target_actor, code, quad, place_country, date_end);
CREATE INDEX IF NOT EXISTS merged_events_by_target ON merged_events(target_actor, date_start, id,
    source_actor, code, quad, place_country, date_end);
CREATE INDEX IF NOT EXISTS merged_events_by_pair ON merged_events(source_actor, target_actor,
    date_start, id, code, quad, place_country, date_end);
CREATE INDEX IF NOT EXISTS merged_events_by_source_code ON merged_events(source_actor, code,
    date_start, id, target_actor, quad, place_country, date_end);
CREATE INDEX IF NOT EXISTS merged_events_by_code ON merged_events(code, date_start, id,
    source_actor, target_actor, quad, place_country, date_end);
CREATE INDEX IF NOT EXISTS merged_events_by_quad ON merged_events(quad, date_start, id,
    source_actor, target_actor, code, place_country, date_end);
CREATE INDEX IF NOT EXISTS merged_events_by_country ON merged_events(place_country, date_start, id,
    source_actor, target_actor, code, quad, date_end);
CREATE INDEX IF NOT EXISTS merged_events_by_date ON merged_events(date_start, id,
    source_actor, target_actor, code, quad, place_country, date_end);

-- Merged events per (first month, last month, quad class): of all of them (dim '', value ''),
-- and of each source actor (dim 's'), target actor ('t') and place country ('c'). Totals of
-- filters on dates, quad classes and one of those columns (the unfiltered first page, one
-- actor, one country) are sums over a few thousand rows instead of counts over up to a
-- million. Months are YYYY-MM of date_start and date_end, '' for undated events. The triggers
-- keep the counts in the transaction that changes merged_events.
CREATE TABLE IF NOT EXISTS merged_event_counts (
    dim         TEXT    NOT NULL,
    value       TEXT    NOT NULL,
    start_month TEXT    NOT NULL,
    end_month   TEXT    NOT NULL,
    quad        INTEGER NOT NULL,
    n           INTEGER NOT NULL,
    PRIMARY KEY (dim, value, start_month, end_month, quad)
) WITHOUT ROWID;
DELETE FROM merged_event_counts;
INSERT INTO merged_event_counts (dim, value, start_month, end_month, quad, n)
SELECT k.dim, k.value, k.start_month, k.end_month, k.quad, count(*) FROM (
    SELECT '' AS dim, '' AS value, coalesce(substr(date_start, 1, 7), '') AS start_month,
        coalesce(substr(date_end, 1, 7), '') AS end_month, quad FROM merged_events
    UNION ALL
    SELECT 's', source_actor, coalesce(substr(date_start, 1, 7), ''),
        coalesce(substr(date_end, 1, 7), ''), quad FROM merged_events
    WHERE source_actor IS NOT NULL
    UNION ALL
    SELECT 't', target_actor, coalesce(substr(date_start, 1, 7), ''),
        coalesce(substr(date_end, 1, 7), ''), quad FROM merged_events
    WHERE target_actor IS NOT NULL
    UNION ALL
    SELECT 'c', place_country, coalesce(substr(date_start, 1, 7), ''),
        coalesce(substr(date_end, 1, 7), ''), quad FROM merged_events
    WHERE place_country IS NOT NULL
) k GROUP BY 1, 2, 3, 4, 5;

CREATE TRIGGER IF NOT EXISTS merged_event_counts_insert AFTER INSERT ON merged_events BEGIN
    INSERT INTO merged_event_counts (dim, value, start_month, end_month, quad, n)
    SELECT k.dim, k.value, coalesce(substr(NEW.date_start, 1, 7), ''),
        coalesce(substr(NEW.date_end, 1, 7), ''), NEW.quad, 1
    FROM (SELECT '' AS dim, '' AS value UNION ALL SELECT 's', NEW.source_actor
          UNION ALL SELECT 't', NEW.target_actor UNION ALL SELECT 'c', NEW.place_country) k
    WHERE k.value IS NOT NULL
    ON CONFLICT (dim, value, start_month, end_month, quad) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER IF NOT EXISTS merged_event_counts_delete AFTER DELETE ON merged_events BEGIN
    UPDATE merged_event_counts SET n = n - 1
    WHERE (dim, value) IN (SELECT '' AS dim, '' AS value UNION ALL SELECT 's', OLD.source_actor
          UNION ALL SELECT 't', OLD.target_actor UNION ALL SELECT 'c', OLD.place_country)
      AND start_month = coalesce(substr(OLD.date_start, 1, 7), '')
      AND end_month = coalesce(substr(OLD.date_end, 1, 7), '') AND quad = OLD.quad;
    DELETE FROM merged_event_counts
    WHERE n <= 0
      AND (dim, value) IN (SELECT '' AS dim, '' AS value UNION ALL SELECT 's', OLD.source_actor
          UNION ALL SELECT 't', OLD.target_actor UNION ALL SELECT 'c', OLD.place_country)
      AND start_month = coalesce(substr(OLD.date_start, 1, 7), '')
      AND end_month = coalesce(substr(OLD.date_end, 1, 7), '') AND quad = OLD.quad;
END;
CREATE TRIGGER IF NOT EXISTS merged_event_counts_update
AFTER UPDATE OF date_start, date_end, quad, source_actor, target_actor, place_country
ON merged_events
WHEN substr(OLD.date_start, 1, 7) IS NOT substr(NEW.date_start, 1, 7)
    OR substr(OLD.date_end, 1, 7) IS NOT substr(NEW.date_end, 1, 7) OR OLD.quad <> NEW.quad
    OR OLD.source_actor IS NOT NEW.source_actor OR OLD.target_actor IS NOT NEW.target_actor
    OR OLD.place_country IS NOT NEW.place_country
BEGIN
    UPDATE merged_event_counts SET n = n - 1
    WHERE (dim, value) IN (SELECT '' AS dim, '' AS value UNION ALL SELECT 's', OLD.source_actor
          UNION ALL SELECT 't', OLD.target_actor UNION ALL SELECT 'c', OLD.place_country)
      AND start_month = coalesce(substr(OLD.date_start, 1, 7), '')
      AND end_month = coalesce(substr(OLD.date_end, 1, 7), '') AND quad = OLD.quad;
    DELETE FROM merged_event_counts
    WHERE n <= 0
      AND (dim, value) IN (SELECT '' AS dim, '' AS value UNION ALL SELECT 's', OLD.source_actor
          UNION ALL SELECT 't', OLD.target_actor UNION ALL SELECT 'c', OLD.place_country)
      AND start_month = coalesce(substr(OLD.date_start, 1, 7), '')
      AND end_month = coalesce(substr(OLD.date_end, 1, 7), '') AND quad = OLD.quad;
    INSERT INTO merged_event_counts (dim, value, start_month, end_month, quad, n)
    SELECT k.dim, k.value, coalesce(substr(NEW.date_start, 1, 7), ''),
        coalesce(substr(NEW.date_end, 1, 7), ''), NEW.quad, 1
    FROM (SELECT '' AS dim, '' AS value UNION ALL SELECT 's', NEW.source_actor
          UNION ALL SELECT 't', NEW.target_actor UNION ALL SELECT 'c', NEW.place_country) k
    WHERE k.value IS NOT NULL
    ON CONFLICT (dim, value, start_month, end_month, quad) DO UPDATE SET n = n + 1;
END;

-- Mentions by source actor in page order (by target: events_target).
CREATE INDEX IF NOT EXISTS events_source ON events(source_actor, date_start);

-- A merged event's evidence (its first mention's sentence and document) is copied into its row
-- whenever its first mention changes, so that a page of events reads one row per event instead
-- of four joined ones (mention, document, and sentence, the last two through their indexes).
ALTER TABLE merged_events ADD COLUMN ev_source_text TEXT;
ALTER TABLE merged_events ADD COLUMN ev_target_text TEXT;
ALTER TABLE merged_events ADD COLUMN ev_doc TEXT;          -- documents.id
ALTER TABLE merged_events ADD COLUMN ev_title TEXT;
ALTER TABLE merged_events ADD COLUMN ev_url TEXT;
ALTER TABLE merged_events ADD COLUMN ev_published TEXT;
ALTER TABLE merged_events ADD COLUMN ev_sentence INTEGER;
ALTER TABLE merged_events ADD COLUMN ev_text TEXT;         -- the sentence
ALTER TABLE merged_events ADD COLUMN ev_start INTEGER;     -- the sentence's start in its document
ALTER TABLE merged_events ADD COLUMN ev_trigger_start INTEGER;
ALTER TABLE merged_events ADD COLUMN ev_trigger_end INTEGER;
ALTER TABLE merged_events ADD COLUMN ev_trigger_text TEXT;
UPDATE merged_events SET (ev_source_text, ev_target_text, ev_doc, ev_title, ev_url, ev_published,
    ev_sentence, ev_text, ev_start, ev_trigger_start, ev_trigger_end, ev_trigger_text) =
    (SELECT e.source_text, e.target_text, d.id, d.title, d.url, CAST(d.published AS TEXT),
        e.sentence, s.text, s.start, e.trigger_start, e.trigger_end, e.trigger_text
     FROM events e JOIN documents d ON d.hash = e.doc
     LEFT JOIN sentences s ON s.doc = e.doc AND s.idx = e.sentence
     WHERE e.id = merged_events.first_mention);
CREATE TRIGGER IF NOT EXISTS merged_events_evidence AFTER UPDATE OF first_mention ON merged_events
BEGIN
    UPDATE merged_events SET (ev_source_text, ev_target_text, ev_doc, ev_title, ev_url,
        ev_published, ev_sentence, ev_text, ev_start, ev_trigger_start, ev_trigger_end,
        ev_trigger_text) =
        (SELECT e.source_text, e.target_text, d.id, d.title, d.url, CAST(d.published AS TEXT),
            e.sentence, s.text, s.start, e.trigger_start, e.trigger_end, e.trigger_text
         FROM events e JOIN documents d ON d.hash = e.doc
         LEFT JOIN sentences s ON s.doc = e.doc AND s.idx = e.sentence
         WHERE e.id = NEW.first_mention)
    WHERE id = NEW.id;
END;
