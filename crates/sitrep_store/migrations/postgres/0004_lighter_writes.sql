-- sitrep store, PostgreSQL: a new merged event is written with its evidence (src/merge.rs,
-- insert_events writes it from the mention's values, before the mention's row exists), so the
-- evidence trigger of 0003 runs only when the first mention changes, as on SQLite. The SQLite
-- migration of the same version also lightens that backend's writes (its full-text index filled
-- per transaction, its count table summed by the writer, indexes dropped); PostgreSQL computes
-- its search column with each row, has no count table, and its planner keeps choosing among its
-- indexes.
DROP TRIGGER merged_events_evidence ON merged_events;
CREATE TRIGGER merged_events_evidence BEFORE UPDATE OF first_mention ON merged_events
    FOR EACH ROW EXECUTE FUNCTION merged_events_evidence();
