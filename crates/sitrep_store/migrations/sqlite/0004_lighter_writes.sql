-- sitrep store, SQLite: lighter writes (BENCHMARKS.md, "Ingest"). Every index and trigger on a
-- table is work for every row ingested; these earned less than they cost.
--
-- 1. The full-text index is filled once per write transaction. The insert trigger of 0001
--    indexed one sentence at a time, and FTS5 writes the terms it holds in memory out as a new
--    segment whenever a statement opens a savepoint, which every later INSERT with a trigger or
--    a foreign key did: one tiny segment per sentence, merged again and again. Store::write now
--    indexes the sentences of the documents it stored with one INSERT … SELECT at the end of
--    the transaction (src/lib.rs, index_sentences). Deleting stays a trigger.
DROP TRIGGER IF EXISTS sentences_fts_insert;

-- 2. The counts of new merged events are added by the writer once per transaction, summed per
--    count row (src/merge.rs, Counts), instead of four upserts per merged event. The update and
--    delete triggers stay: merged events change or go away rarely.
DROP TRIGGER IF EXISTS merged_event_counts_insert;

-- 3. Indexes no query needs (src/events.rs, index_for, says which index a query reads):
--    mentions are found by source, by target or through their merged event; the sentence of a
--    mention through (doc, idx); pairs of actors and an actor with a code through the actor's
--    index, whose covering columns hold the other filters; quad classes through the date index.
DROP INDEX IF EXISTS events_sentence;
DROP INDEX IF EXISTS events_date;
DROP INDEX IF EXISTS events_code;
DROP INDEX IF EXISTS events_actors;
DROP INDEX IF EXISTS merged_events_by_pair;
DROP INDEX IF EXISTS merged_events_by_source_code;
DROP INDEX IF EXISTS merged_events_by_quad;
