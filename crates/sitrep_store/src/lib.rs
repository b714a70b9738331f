//! The sitrep store: documents and their annotations in SQLite or PostgreSQL behind one small API.
//!
//! 1. [`Store::open`] takes the `--db` string: a file path (SQLite, WAL, FTS5) or a
//!    `postgres://…` URL, and brings the schema up to date (the `.sql` files under `migrations/`);
//! 2. [`Store::write`] stores a batch of annotated documents in one transaction, keyed by the
//!    content hash of their text ([`sitrep_doc::content_id`]): a document already stored is left
//!    alone (or replaced, when an older sitrep or knowledge base produced it and the caller asks);
//!    in the same transaction each event mention joins the merged event it reports, or starts one
//!    (the rule is in `src/merge.rs`);
//! 3. [`Store::document`] reads one back, [`Store::search`] finds sentences by full-text search,
//!    [`Store::stats`] counts rows and checks that no annotation outlived its document;
//! 4. [`Store::events`], [`Store::timeline`], [`Store::actors`], [`Store::network`],
//!    [`Store::event_places`] and [`Store::documents`] query the events ([`EventFilter`]);
//!    [`synthetic::fill`] makes a large store for load tests.
//!
//! ```
//! use sitrep_doc::{Doc, Meta, Sentence, Span};
//! use sitrep_store::{Store, Versions};
//! let dir = std::env::temp_dir().join(format!("sitrep-store-doc-{}", std::process::id()));
//! std::fs::create_dir_all(&dir).unwrap();
//! let db = dir.join("news.db");
//! let mut store = Store::open(db.to_str().unwrap()).unwrap();
//! let mut doc = Doc::new("Troops left Aleppo on Monday.", Meta::default());
//! doc.set_sentences(vec![Sentence { span: Span::new(0, 29) }]);
//! let versions = Versions::new("0.1.0", "kb-0");
//! store.write(&[doc.clone()], &versions, None, false).unwrap();
//! assert_eq!(store.search("aleppo", 10).unwrap()[0].sentence, "Troops left Aleppo on Monday.");
//! assert_eq!(store.document(doc.id()).unwrap().unwrap().text(), doc.text());
//! # std::fs::remove_dir_all(&dir).unwrap();
//! ```

mod backend;
mod error;
mod events;
mod merge;
mod migrate;
mod reprocess;
pub mod synthetic;
#[doc(hidden)]
pub mod testing;

use std::path::Path;
use std::time::Duration;

use serde::Serialize;
use sitrep_doc::json::{from_json, to_json, JsonOptions};
use sitrep_doc::{content_id, Doc};

use crate::backend::{Conn, Pg, Value};
pub use crate::error::{ErrorKind, StoreError};
pub use crate::events::{
    ActorCount, ActorEdge, DocumentSummary, EventCursor, EventFilter, EventPage, EventPlaceRecord,
    EventRecord, Evidence, Period, PlaceCount, TimelineBucket, DEFAULT_LIMIT, MAX_LIMIT,
};

/// Which sitrep and knowledge base produced a stored document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Versions {
    pub sitrep: String,
    pub kb: String,
}

impl Versions {
    pub fn new(sitrep: impl Into<String>, kb: impl Into<String>) -> Versions {
        Versions {
            sitrep: sitrep.into(),
            kb: kb.into(),
        }
    }
}

/// What [`Store::write`] did with one document.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Written {
    /// New: stored.
    Stored,
    /// Stored before by other versions: annotations replaced.
    Replaced,
    /// Its content hash was already stored: left alone.
    AlreadyStored,
}

/// A document ready for [`Store::write_prepared`]: its content hash and its JSON (the
/// `documents.json` column, packed) computed ahead, on the caller's threads, so that the one thread that
/// writes only writes; its tokens and chunks dropped (the store keeps neither).
#[derive(Clone, Debug)]
pub struct Prepared {
    doc: Doc,
    hash: String,
    /// The JSON, packed ([`pack_json`]).
    json: Vec<u8>,
}

impl Prepared {
    pub fn new(mut doc: Doc) -> Prepared {
        doc.set_chunks(Vec::new(), Vec::new());
        doc.set_tokens(Vec::new());
        let hash = content_id(doc.text());
        let json = pack_json(&to_json(&doc, JsonOptions::default()));
        Prepared { doc, hash, json }
    }

    pub fn doc(&self) -> &Doc {
        &self.doc
    }
}

/// The id of an ingest run in the `runs` table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RunId(pub i64);

/// What an ingest run did, recorded in `runs`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RunCounts {
    pub read: u64,
    pub stored: u64,
    pub replaced: u64,
    pub already_stored: u64,
    pub skipped: u64,
    pub failed: u64,
    pub events: u64,
}

/// One sentence found by [`Store::search`].
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Hit {
    /// The document's id.
    pub id: String,
    pub title: Option<String>,
    /// YYYY-MM-DD.
    pub published: Option<String>,
    /// Index of the sentence in its document.
    pub index: u32,
    pub sentence: String,
}

/// Row counts, and the annotations whose document is missing (always 0 in a sound store).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    pub documents: u64,
    pub sentences: u64,
    pub entities: u64,
    pub times: u64,
    pub places: u64,
    pub quotes: u64,
    /// Event mentions (rows of `events`).
    pub events: u64,
    /// Merged events.
    pub merged_events: u64,
    pub runs: u64,
    /// Runs that started and never finished (interrupted).
    pub unfinished_runs: u64,
    /// Annotation rows without a document, and merged-event rows that disagree with their
    /// mentions (a merged event without mentions or with wrong counts, a mention pointing to no
    /// merged event, an event mention left unmerged); on SQLite also rows of the per-month count
    /// table that disagree with the merged events.
    pub orphans: u64,
}

/// Which database a `--db` string names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// `postgres://…` and `postgresql://…` are PostgreSQL; anything else is a SQLite file path.
    pub fn of(db: &str) -> Backend {
        if db.starts_with("postgres://") || db.starts_with("postgresql://") {
            Backend::Postgres
        } else {
            Backend::Sqlite
        }
    }
}

/// A connection to the store.
pub struct Store {
    conn: Conn,
    db: String,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("db", &self.db).finish()
    }
}

const OPEN_PG_HINT: &str = "check that the server is running and that the URL reads \
     postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE";

impl Store {
    /// Opens (creating if needed) the store `db` names and brings its schema up to date.
    pub fn open(db: &str) -> Result<Store, StoreError> {
        let name = error::redact(db);
        let conn = match Backend::of(db) {
            Backend::Postgres => {
                let client = postgres::Client::connect(db, postgres::NoTls).map_err(|err| {
                    StoreError::new(&name, ErrorKind::Open, "could not connect")
                        .hint(OPEN_PG_HINT)
                        .source(err)
                })?;
                Conn::Postgres(Box::new(Pg::new(client)))
            }
            Backend::Sqlite => Conn::Sqlite(open_sqlite(db, &name)?),
        };
        let mut store = Store { conn, db: name };
        migrate::run(&mut store.conn, &store.db)?;
        Ok(store)
    }

    /// SQLite: whether reads come through a memory map of the database file (on by default:
    /// queries read pages shared with every connection and the OS cache, without copying). A
    /// long write run turns it off, so that the pages it maps are not counted in its resident
    /// memory, which would then grow with the store. PostgreSQL: nothing to do.
    pub fn set_memory_map(&mut self, on: bool) -> Result<(), StoreError> {
        if let Conn::Sqlite(conn) = &self.conn {
            let size = if on { MMAP_SIZE } else { 0 };
            conn.query_row(&format!("PRAGMA mmap_size = {size}"), [], |_| Ok(()))
                .map_err(|e| {
                    StoreError::query(&self.db, "could not set the memory map", e.into())
                })?;
        }
        Ok(())
    }

    /// SQLite: the most memory this connection's page cache may hold, in MB (64 by default: a
    /// page of events reads thousands of rows). A long write run sets less, so that its memory
    /// is the same whether the store is smaller than the cache or larger. PostgreSQL: nothing
    /// to do.
    pub fn set_cache_mb(&mut self, mb: u32) -> Result<(), StoreError> {
        if let Conn::Sqlite(conn) = &self.conn {
            let kib = i64::from(mb) * 1024;
            conn.execute_batch(&format!("PRAGMA cache_size = -{kib}"))
                .map_err(|e| {
                    StoreError::query(&self.db, "could not set the cache size", e.into())
                })?;
        }
        Ok(())
    }

    /// The database's name as errors give it (a path, or a URL without its password).
    pub fn name(&self) -> &str {
        &self.db
    }

    pub fn backend(&self) -> Backend {
        if self.conn.is_postgres() {
            Backend::Postgres
        } else {
            Backend::Sqlite
        }
    }

    /// The versions that produced the stored document whose text has content hash `hash`.
    pub fn versions(&mut self, hash: &str) -> Result<Option<Versions>, StoreError> {
        let rows = self
            .conn
            .query(
                "SELECT sitrep_version, kb_version FROM documents WHERE hash = ?1",
                &[hash.into()],
            )
            .map_err(|e| StoreError::query(&self.db, "could not look up a document", e))?;
        Ok(rows.first().map(|row| Versions {
            sitrep: row[0].text().unwrap_or_default(),
            kb: row[1].text().unwrap_or_default(),
        }))
    }

    /// [`Store::versions`] of many content hashes at once (one statement per 32 hashes): the
    /// versions of those stored, by hash.
    pub fn versions_of(
        &mut self,
        hashes: &[&str],
    ) -> Result<std::collections::HashMap<String, Versions>, StoreError> {
        const CHUNK: usize = 32;
        let mut found = std::collections::HashMap::new();
        for chunk in hashes.chunks(CHUNK) {
            // Always 32 parameters (the last hash repeated): one statement shape to keep prepared.
            let params: Vec<Value> = (0..CHUNK)
                .map(|i| Value::Text(chunk[i.min(chunk.len() - 1)]))
                .collect();
            let rows = self
                .conn
                .query(
                    "SELECT hash, sitrep_version, kb_version FROM documents WHERE hash IN \
                     (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, \
                     ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31, \
                     ?32)",
                    &params,
                )
                .map_err(|e| StoreError::query(&self.db, "could not look up documents", e))?;
            for row in rows {
                let versions = Versions {
                    sitrep: row[1].text().unwrap_or_default(),
                    kb: row[2].text().unwrap_or_default(),
                };
                found.insert(row[0].text().unwrap_or_default(), versions);
            }
        }
        Ok(found)
    }

    /// Stores `docs` in one transaction. A document whose content hash is stored already is left
    /// alone, unless `replace_outdated` is set and other versions produced it: then its
    /// annotations are replaced. Returns what became of each document, in order.
    pub fn write(
        &mut self,
        docs: &[Doc],
        versions: &Versions,
        run: Option<RunId>,
        replace_outdated: bool,
    ) -> Result<Vec<Written>, StoreError> {
        let computed: Vec<(String, Vec<u8>)> = docs
            .iter()
            .map(|doc| {
                let json = pack_json(&to_json(doc, JsonOptions::default()));
                (content_id(doc.text()), json)
            })
            .collect();
        let docs: Vec<(&Doc, &str, &[u8])> = docs
            .iter()
            .zip(&computed)
            .map(|(doc, (hash, json))| (doc, hash.as_str(), json.as_slice()))
            .collect();
        self.write_all(&docs, versions, run, replace_outdated)
    }

    /// [`Store::write`] for documents prepared ahead ([`Prepared::new`]).
    pub fn write_prepared(
        &mut self,
        docs: &[Prepared],
        versions: &Versions,
        run: Option<RunId>,
        replace_outdated: bool,
    ) -> Result<Vec<Written>, StoreError> {
        let docs: Vec<(&Doc, &str, &[u8])> = docs
            .iter()
            .map(|p| (&p.doc, p.hash.as_str(), p.json.as_slice()))
            .collect();
        self.write_all(&docs, versions, run, replace_outdated)
    }

    fn write_all(
        &mut self,
        docs: &[(&Doc, &str, &[u8])],
        versions: &Versions,
        run: Option<RunId>,
        replace_outdated: bool,
    ) -> Result<Vec<Written>, StoreError> {
        let begin = if self.conn.is_postgres() {
            "BEGIN"
        } else {
            "BEGIN IMMEDIATE"
        };
        self.conn
            .batch(begin)
            .map_err(|e| StoreError::query(&self.db, "could not start a transaction", e))?;
        if self.conn.is_postgres() {
            let hashes = docs.iter().map(|d| (d.0, d.1));
            if let Err(err) = lock_merge_keys(&mut self.conn, hashes, replace_outdated) {
                let _ = self.conn.batch("ROLLBACK");
                return Err(StoreError::query(
                    &self.db,
                    "could not lock the events to merge",
                    err,
                ));
            }
        }
        let mut outcomes = Vec::with_capacity(docs.len());
        let mut written = Vec::with_capacity(docs.len());
        let mut ids = merge::EventIds::default();
        let mut counts = merge::Counts::default();
        for &(doc, hash, json) in docs {
            let result = write_doc(
                &mut self.conn,
                (doc, hash, json),
                versions,
                run,
                replace_outdated,
                (&mut ids, &mut counts),
            );
            match result {
                Ok((outcome, hash)) => {
                    outcomes.push(outcome);
                    if outcome != Written::AlreadyStored {
                        written.push(hash);
                    }
                }
                Err(err) => {
                    let _ = self.conn.batch("ROLLBACK");
                    return Err(StoreError::query(
                        &self.db,
                        &format!("could not store document {}", doc.id()),
                        err,
                    ));
                }
            }
        }
        let finished =
            index_sentences(&mut self.conn, &written).and_then(|()| counts.flush(&mut self.conn));
        if let Err(err) = finished {
            let _ = self.conn.batch("ROLLBACK");
            return Err(StoreError::query(
                &self.db,
                "could not index the sentences for search or count the events",
                err,
            ));
        }
        if let Err(err) = self.conn.batch("COMMIT") {
            let _ = self.conn.batch("ROLLBACK");
            return Err(StoreError::query(&self.db, "could not commit", err));
        }
        Ok(outcomes)
    }

    /// The stored document with this id (the input's id or the content hash), as
    /// [`sitrep_doc::json::to_json`] wrote it (without tokens).
    pub fn document(&mut self, id: &str) -> Result<Option<Doc>, StoreError> {
        let rows = self
            .conn
            .query(
                "SELECT json FROM documents WHERE id = ?1 OR hash = ?1 \
                 ORDER BY stored_at DESC, hash LIMIT 1",
                &[id.into()],
            )
            .map_err(|e| StoreError::query(&self.db, "could not read a document", e))?;
        let Some(cell) = rows.first().map(|row| &row[0]) else {
            return Ok(None);
        };
        let corrupt = |err: String| {
            StoreError::new(
                &self.db,
                ErrorKind::Corrupt,
                format!("document {id} could not be read back: {err}"),
            )
            .hint("re-ingest it with `sitrep ingest --reprocess`")
        };
        let json = unpack_json(cell).map_err(corrupt)?;
        from_json(&json).map(Some).map_err(|err| {
            StoreError::new(
                &self.db,
                ErrorKind::Corrupt,
                format!("document {id} could not be read back"),
            )
            .hint("re-ingest it with `sitrep ingest --reprocess`")
            .source(err)
        })
    }

    /// Sentences matching `text`, best first: words must all occur (stemmed: "withdrawal" finds
    /// "withdraw"), "quoted phrases" in order, `OR` between alternatives.
    pub fn search(&mut self, text: &str, limit: usize) -> Result<Vec<Hit>, StoreError> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let rows = if self.conn.is_postgres() {
            if text.trim().is_empty() {
                return Err(empty_search(&self.db));
            }
            self.conn.query(
                "SELECT d.id, d.title, CAST(d.published AS TEXT), s.idx, s.text \
                 FROM sentences s JOIN documents d ON d.hash = s.doc, \
                      websearch_to_tsquery('english', ?1) q \
                 WHERE s.tsv @@ q ORDER BY ts_rank(s.tsv, q) DESC, s.id LIMIT ?2",
                &[text.into(), limit.into()],
            )
        } else {
            let Some(query) = fts5_query(text) else {
                return Err(empty_search(&self.db));
            };
            self.conn.query(
                "SELECT d.id, d.title, CAST(d.published AS TEXT), s.idx, s.text \
                 FROM (SELECT rowid, rank FROM sentences_fts WHERE sentences_fts MATCH ?1 \
                       ORDER BY rank LIMIT ?2) f \
                 JOIN sentences s ON s.id = f.rowid JOIN documents d ON d.hash = s.doc \
                 ORDER BY f.rank, s.id",
                &[Value::Text(&query), limit.into()],
            )
        }
        .map_err(|e| StoreError::query(&self.db, &format!("could not search for {text:?}"), e))?;
        Ok(rows
            .into_iter()
            .map(|row| Hit {
                id: row[0].text().unwrap_or_default(),
                title: row[1].text(),
                published: row[2].text(),
                index: u32::try_from(row[3].int()).unwrap_or(0),
                sentence: row[4].text().unwrap_or_default(),
            })
            .collect())
    }

    /// Deletes the stored documents with this id (the input's id or the content hash) and all
    /// their annotations; their event mentions leave their merged events. Returns how many
    /// documents were deleted.
    pub fn delete_document(&mut self, id: &str) -> Result<u64, StoreError> {
        let db = self.db.clone();
        let fail = |e| StoreError::query(&db, &format!("could not delete document {id}"), e);
        let begin = if self.conn.is_postgres() {
            "BEGIN"
        } else {
            "BEGIN IMMEDIATE"
        };
        self.conn.batch(begin).map_err(fail)?;
        let result = (|| {
            let rows = self.conn.query(
                "SELECT hash FROM documents WHERE id = ?1 OR hash = ?1",
                &[id.into()],
            )?;
            let hashes: Vec<String> = rows.iter().filter_map(|r| r[0].text()).collect();
            let mut keys = Vec::new();
            for hash in &hashes {
                keys.extend(merge::keys_of_doc(&mut self.conn, hash)?);
            }
            merge::lock_keys(&mut self.conn, &keys)?;
            for hash in &hashes {
                delete_doc(&mut self.conn, hash)?;
            }
            self.conn.batch("COMMIT")?;
            Ok(hashes.len() as u64)
        })();
        if result.is_err() {
            let _ = self.conn.batch("ROLLBACK");
        }
        result.map_err(fail)
    }

    /// Records the start of an ingest run.
    pub fn begin_run(&mut self, versions: &Versions) -> Result<RunId, StoreError> {
        let rows = self
            .conn
            .query(
                "INSERT INTO runs (sitrep_version, kb_version) VALUES (?1, ?2) RETURNING id",
                &[versions.sitrep.as_str().into(), versions.kb.as_str().into()],
            )
            .map_err(|e| StoreError::query(&self.db, "could not record the run", e))?;
        Ok(RunId(rows.first().map_or(0, |row| row[0].int())))
    }

    /// Records the end of an ingest run and what it did.
    pub fn finish_run(&mut self, run: RunId, counts: &RunCounts) -> Result<(), StoreError> {
        let n = |v: u64| Value::Int(i64::try_from(v).unwrap_or(i64::MAX));
        self.conn
            .execute(
                "UPDATE runs SET finished = CURRENT_TIMESTAMP, read = ?2, stored = ?3, \
                 replaced = ?4, already_stored = ?5, skipped = ?6, failed = ?7, events = ?8 \
                 WHERE id = ?1",
                &[
                    Value::Int(run.0),
                    n(counts.read),
                    n(counts.stored),
                    n(counts.replaced),
                    n(counts.already_stored),
                    n(counts.skipped),
                    n(counts.failed),
                    n(counts.events),
                ],
            )
            .map_err(|e| StoreError::query(&self.db, "could not record the run", e))?;
        Ok(())
    }

    /// Row counts and orphaned annotations; on SQLite also checks the full-text index.
    pub fn stats(&mut self) -> Result<Stats, StoreError> {
        let db = self.db.clone();
        let postgres = self.conn.is_postgres();
        let mut count = |sql: &'static str| -> Result<u64, StoreError> {
            let rows = self
                .conn
                .query(sql, &[])
                .map_err(|e| StoreError::query(&db, "could not count rows", e))?;
            Ok(rows
                .first()
                .map_or(0, |row| u64::try_from(row[0].int()).unwrap_or(0)))
        };
        let mut stats = Stats {
            documents: count("SELECT count(*) FROM documents")?,
            sentences: count("SELECT count(*) FROM sentences")?,
            entities: count("SELECT count(*) FROM entities")?,
            times: count("SELECT count(*) FROM times")?,
            places: count("SELECT count(*) FROM places")?,
            quotes: count("SELECT count(*) FROM quotes")?,
            events: count("SELECT count(*) FROM events")?,
            merged_events: count("SELECT count(*) FROM merged_events")?,
            runs: count("SELECT count(*) FROM runs")?,
            unfinished_runs: count("SELECT count(*) FROM runs WHERE finished IS NULL")?,
            orphans: 0,
        };
        for sql in [
            "SELECT count(*) FROM sentences WHERE doc NOT IN (SELECT hash FROM documents)",
            "SELECT count(*) FROM entities WHERE doc NOT IN (SELECT hash FROM documents)",
            "SELECT count(*) FROM times WHERE doc NOT IN (SELECT hash FROM documents)",
            "SELECT count(*) FROM places WHERE doc NOT IN (SELECT hash FROM documents)",
            "SELECT count(*) FROM quotes WHERE doc NOT IN (SELECT hash FROM documents)",
            "SELECT count(*) FROM events WHERE doc NOT IN (SELECT hash FROM documents)",
            "SELECT count(*) FROM events WHERE merged IS NOT NULL \
             AND merged NOT IN (SELECT id FROM merged_events)",
            "SELECT count(*) FROM events WHERE merged IS NULL AND NOT negated AND NOT hypothetical",
            "SELECT count(*) FROM merged_events m WHERE mentions <> \
             (SELECT count(*) FROM events e WHERE e.merged = m.id) OR documents <> \
             (SELECT count(DISTINCT e.doc) FROM events e WHERE e.merged = m.id)",
        ] {
            stats.orphans += count(sql)?;
        }
        if !postgres {
            // Rows of the count table that disagree with the merged events they count.
            stats.orphans += count(
                "SELECT count(*) FROM (SELECT 1 FROM ( \
                   SELECT dim, value, start_month, end_month, quad, n FROM merged_event_counts \
                   UNION ALL \
                   SELECT dim, value, start_month, end_month, quad, -count(*) FROM ( \
                     SELECT '' AS dim, '' AS value, coalesce(substr(date_start, 1, 7), '') \
                       AS start_month, coalesce(substr(date_end, 1, 7), '') AS end_month, quad \
                     FROM merged_events \
                     UNION ALL SELECT 's', source_actor, coalesce(substr(date_start, 1, 7), ''), \
                       coalesce(substr(date_end, 1, 7), ''), quad FROM merged_events \
                     WHERE source_actor IS NOT NULL \
                     UNION ALL SELECT 't', target_actor, coalesce(substr(date_start, 1, 7), ''), \
                       coalesce(substr(date_end, 1, 7), ''), quad FROM merged_events \
                     WHERE target_actor IS NOT NULL \
                     UNION ALL SELECT 'c', place_country, coalesce(substr(date_start, 1, 7), ''), \
                       coalesce(substr(date_end, 1, 7), ''), quad FROM merged_events \
                     WHERE place_country IS NOT NULL) \
                   GROUP BY 1, 2, 3, 4, 5) \
                 GROUP BY dim, value, start_month, end_month, quad HAVING sum(n) <> 0)",
            )?;
            self.conn
                .batch(
                    "INSERT INTO sentences_fts(sentences_fts, rank) VALUES ('integrity-check', 1)",
                )
                .map_err(|e| {
                    StoreError::query(
                        &self.db,
                        "the full-text index does not match the sentences",
                        e,
                    )
                })?;
        }
        Ok(stats)
    }
}

pub(crate) fn empty_search(db: &str) -> StoreError {
    StoreError::new(db, ErrorKind::Input, "the search text has no words")
        .hint("search for words, e.g. sitrep search \"troops withdrew\"")
}

/// The mark of a packed `documents.json` value: LZ4, then the JSON's length (4 bytes, little
/// endian) and the compressed block (`lz4_flex::block`).
const PACKED: &[u8; 4] = b"LZ4J";

/// The most a packed JSON may unpack to (a 16 MB document's JSON is far below).
const MAX_UNPACKED: usize = 1 << 30;

/// `documents.json` on SQLite: the JSON compressed with LZ4, about a fifth of its size (the
/// column held two fifths of a store's bytes, each logged and checkpointed); a BLOB, where older
/// stores and PostgreSQL hold text.
pub(crate) fn pack_json(json: &str) -> Vec<u8> {
    let mut out = PACKED.to_vec();
    out.extend_from_slice(&lz4_flex::block::compress_prepend_size(json.as_bytes()));
    out
}

/// A `documents.json` cell as JSON text: text as it is, a packed BLOB unpacked.
pub(crate) fn unpack_json(cell: &backend::Cell) -> Result<String, String> {
    match cell {
        backend::Cell::Text(json) => Ok(json.clone()),
        backend::Cell::Blob(packed) => {
            let body = packed
                .strip_prefix(PACKED)
                .ok_or("its JSON is stored in a format this sitrep does not know")?;
            let size = body
                .get(..4)
                .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize)
                .filter(|&n| n <= MAX_UNPACKED)
                .ok_or("its packed JSON is cut short or too large")?;
            let bytes = lz4_flex::block::decompress(&body[4..], size)
                .map_err(|e| format!("its packed JSON is damaged ({e})"))?;
            String::from_utf8(bytes).map_err(|_| "its JSON is not UTF-8".to_owned())
        }
        _ => Err("it has no JSON".to_owned()),
    }
}

/// The memory map of a SQLite store (bytes): 2 GB.
const MMAP_SIZE: u64 = 2_147_418_112;

fn open_sqlite(path: &str, name: &str) -> Result<rusqlite::Connection, StoreError> {
    let open_error = |err: rusqlite::Error| {
        let dir = Path::new(path)
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map_or_else(|| ".".to_owned(), |p| p.display().to_string());
        let hint = if matches!(
            err.sqlite_error_code(),
            Some(rusqlite::ErrorCode::NotADatabase)
        ) {
            "this file is not a sitrep database; pass another --db path".to_owned()
        } else {
            format!(
                "check that the directory {dir} exists and is writable, or pass another --db path"
            )
        };
        StoreError::new(name, ErrorKind::Open, "could not open the database")
            .hint(hint)
            .source(err)
    };
    let conn = rusqlite::Connection::open(path).map_err(open_error)?;

    conn.busy_timeout(Duration::from_secs(30))
        .map_err(open_error)?;
    // The fixed statements and the event queries built at run time.
    conn.set_prepared_statement_cache_capacity(32 + backend::DYN_CACHE);
    // The query planner stability guarantee: a plan does not depend on the values bound to it.
    // Without it SQLite marks statements that have a bound parameter in WHERE and an ORDER BY
    // (the merge's lookups) to be compiled again whenever a parameter changes, which is every
    // time they run: a fifth of the writer's time went to re-preparing (see BENCHMARKS.md).
    conn.set_db_config(
        rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG,
        true,
    )
    .map_err(open_error)?;
    // WAL: readers never block the writer; synchronous=NORMAL stays consistent after a crash
    // (a power cut may lose the last transactions, never part of one).
    conn.query_row("PRAGMA journal_mode = WAL", [], |_| Ok(()))
        .map_err(open_error)?;
    conn.execute_batch("PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;")
        .map_err(open_error)?;
    // mmap: reads come straight from the OS page cache, shared by every connection; a larger
    // page cache keeps the parsed pages (a page of events looks up thousands of rows).
    conn.query_row(&format!("PRAGMA mmap_size = {MMAP_SIZE}"), [], |_| Ok(()))
        .map_err(open_error)?;
    // Statement journals and temporary b-trees in memory: a write statement that fires triggers
    // journals the pages it changes until it ends, and those were written to a temporary file.
    // A checkpoint every 32,768 pages (128 MB of log) instead of 1,000: pages written again and
    // again by consecutive transactions (indexes, the full-text index) are copied back once, not
    // at every few transactions (a sixth of ingest's writing time went to checkpoints); after a
    // checkpoint the log file is cut back to 64 MB.
    conn.execute_batch(
        "PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY; \
         PRAGMA wal_autocheckpoint = 32768; PRAGMA journal_size_limit = 67108864;",
    )
    .map_err(open_error)?;
    Ok(conn)
}

/// SQLite: adds the sentences of the documents with these content hashes to the full-text index,
/// in one statement (migration 0004 says why not a trigger). PostgreSQL: nothing to do.
fn index_sentences(conn: &mut Conn, hashes: &[String]) -> Result<(), error::BackendError> {
    if conn.is_postgres() || hashes.is_empty() {
        return Ok(());
    }
    let hashes = serde_json::to_string(hashes).map_err(|e| e.to_string())?;
    conn.execute(
        "INSERT INTO sentences_fts (rowid, text) SELECT s.id, s.text FROM sentences s \
         WHERE s.doc IN (SELECT value FROM json_each(?1)) ORDER BY s.id",
        &[hashes.as_str().into()],
    )?;
    Ok(())
}

/// Writes one document inside the caller's transaction; returns what became of it and its
/// content hash. The caller indexes its sentences ([`index_sentences`]).
fn write_doc(
    conn: &mut Conn,
    (doc, hash, json): (&Doc, &str, &[u8]),
    versions: &Versions,
    run: Option<RunId>,
    replace_outdated: bool,
    (ids, counts): (&mut merge::EventIds, &mut merge::Counts),
) -> Result<(Written, String), error::BackendError> {
    let existing = conn.query(
        "SELECT sitrep_version, kb_version FROM documents WHERE hash = ?1",
        &[hash.into()],
    )?;
    let mut outcome = Written::Stored;
    if let Some(row) = existing.first() {
        let current = row[0].text().as_deref() == Some(versions.sitrep.as_str())
            && row[1].text().as_deref() == Some(versions.kb.as_str());
        if current || !replace_outdated {
            return Ok((Written::AlreadyStored, hash.to_owned()));
        }
        counts.flush(conn)?;
        delete_doc(conn, hash)?;
        outcome = Written::Replaced;
    }
    let meta = doc.meta();
    // SQLite keeps the JSON packed; PostgreSQL's column is text.
    let text_json;
    let json = if conn.is_postgres() {
        text_json = unpack_json(&backend::Cell::Blob(json.to_vec()))?;
        Value::Text(&text_json)
    } else {
        Value::Blob(json)
    };
    let inserted = conn.execute(
        "INSERT INTO documents (hash, id, url, title, source, published, language, tone, text, \
         json, sitrep_version, kb_version, run) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13) \
         ON CONFLICT (hash) DO NOTHING",
        &[
            hash.into(),
            doc.id().into(),
            meta.url.as_deref().into(),
            meta.title.as_deref().into(),
            meta.source.as_deref().into(),
            doc.published().map_or(Value::Null, Value::Date),
            doc.language().into(),
            doc.tone().into(),
            doc.text().into(),
            json,
            versions.sitrep.as_str().into(),
            versions.kb.as_str().into(),
            run.map_or(Value::Null, |r| Value::Int(r.0)),
        ],
    )?;
    if inserted == 0 {
        // Another writer stored the same text since we looked.
        return Ok((Written::AlreadyStored, hash.to_owned()));
    }
    let text = doc.text();
    let int = |v: usize| Value::Int(v as i64);
    insert_sentences(conn, doc, hash)?;
    for (i, e) in doc.entities().iter().enumerate() {
        let label = name(&e.label);
        conn.execute(
            "INSERT INTO entities (doc, idx, start, \"end\", text, label, canonical, actor) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            &[
                hash.into(),
                int(i),
                int(e.span.start()),
                int(e.span.end()),
                text[e.span].into(),
                label.as_str().into(),
                e.canonical.as_deref().into(),
                e.actor.as_deref().into(),
            ],
        )?;
    }
    for (i, t) in doc.times().iter().enumerate() {
        let kind = name(&t.kind);
        conn.execute(
            "INSERT INTO times (doc, idx, start, \"end\", text, type, value, mod) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            &[
                hash.into(),
                int(i),
                int(t.span.start()),
                int(t.span.end()),
                text[t.span].into(),
                kind.as_str().into(),
                t.value.as_deref().into(),
                t.modifier.as_deref().into(),
            ],
        )?;
    }
    for (i, p) in doc.places().iter().enumerate() {
        let feature = name(&p.feature);
        conn.execute(
            "INSERT INTO places (doc, idx, start, \"end\", text, name, country, admin1, lat, lon, \
             geonameid, feature) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            &[
                hash.into(),
                int(i),
                int(p.span.start()),
                int(p.span.end()),
                text[p.span].into(),
                p.name.as_str().into(),
                p.country.as_deref().into(),
                p.admin1.as_deref().into(),
                p.lat.into(),
                p.lon.into(),
                p.geonameid
                    .map_or(Value::Null, |g| Value::Int(i64::try_from(g).unwrap_or(-1))),
                feature.as_str().into(),
            ],
        )?;
    }
    for (i, q) in doc.quotes().iter().enumerate() {
        conn.execute(
            "INSERT INTO quotes (doc, idx, start, \"end\", text, speaker, speaker_actor) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            &[
                hash.into(),
                int(i),
                int(q.span.start()),
                int(q.span.end()),
                text[q.span].into(),
                q.speaker.as_deref().into(),
                q.speaker_actor.as_deref().into(),
            ],
        )?;
    }
    merge::insert_events(conn, doc, hash, ids, counts)?;
    Ok((outcome, hash.to_owned()))
}

/// Inserts the sentences of document `hash` (stored already); the caller indexes them for search
/// ([`index_sentences`]).
pub(crate) fn insert_sentences(
    conn: &mut Conn,
    doc: &Doc,
    hash: &str,
) -> Result<(), error::BackendError> {
    let int = |v: usize| Value::Int(v as i64);
    for (i, s) in doc.sentences().iter().enumerate() {
        conn.execute(
            "INSERT INTO sentences (doc, idx, start, \"end\", text) VALUES (?1, ?2, ?3, ?4, ?5)",
            &[
                hash.into(),
                int(i),
                int(s.span.start()),
                int(s.span.end()),
                doc.text()[s.span].into(),
            ],
        )?;
    }
    Ok(())
}

/// Deletes document `hash` (every annotation row goes with it: ON DELETE CASCADE), and takes its
/// mentions out of their merged events.
fn delete_doc(conn: &mut Conn, hash: &str) -> Result<(), error::BackendError> {
    let merged = merge::merged_of_doc(conn, hash)?;
    conn.execute("DELETE FROM documents WHERE hash = ?1", &[hash.into()])?;
    for id in merged {
        merge::refresh(conn, id)?;
    }
    Ok(())
}

/// PostgreSQL: locks the merge keys the batch will touch (its events', and those of the stored
/// documents it may replace), so that concurrent writers merge one key at a time.
fn lock_merge_keys<'a>(
    conn: &mut Conn,
    docs: impl Iterator<Item = (&'a Doc, &'a str)>,
    replace_outdated: bool,
) -> Result<(), error::BackendError> {
    let mut keys = Vec::new();
    for (doc, hash) in docs {
        for e in doc
            .events()
            .iter()
            .filter(|e| !e.negated && !e.hypothetical)
        {
            keys.push(merge::merge_key(
                e.source.as_ref().and_then(|a| a.actor.as_deref()),
                e.target.as_ref().and_then(|a| a.actor.as_deref()),
                &e.root,
            ));
        }
        if replace_outdated {
            keys.extend(merge::keys_of_doc(conn, hash)?);
        }
    }
    merge::lock_keys(conn, &keys)
}

/// The name serde gives a closed label ("PERSON", "city", "day").
pub(crate) fn name<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        other => format!("{other:?}"),
    }
}

/// The user's search text as an FTS5 query: every word or "phrase" quoted (so punctuation and
/// FTS5 operators in the text are taken literally), `OR` kept between alternatives; `None`
/// when there are no words.
pub(crate) fn fts5_query(text: &str) -> Option<String> {
    let mut terms: Vec<String> = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find(|c: char| !c.is_whitespace()) {
        rest = &rest[start..];
        let (term, next) = if let Some(quoted) = rest.strip_prefix('"') {
            match quoted.find('"') {
                Some(end) => (&quoted[..end], &quoted[end + 1..]),
                None => (quoted, ""),
            }
        } else {
            let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
            (&rest[..end], &rest[end..])
        };
        rest = next;
        if term == "OR" {
            if terms.last().is_some_and(|t| t != "OR") {
                terms.push("OR".to_owned());
            }
            continue;
        }
        if !term.chars().any(char::is_alphanumeric) {
            continue;
        }
        terms.push(format!("\"{}\"", term.replace('"', "\"\"")));
    }
    if terms.last().is_some_and(|t| t == "OR") {
        terms.pop();
    }
    (!terms.is_empty()).then(|| terms.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_text_becomes_a_literal_fts5_query() {
        assert_eq!(
            fts5_query("troops withdrew").as_deref(),
            Some("\"troops\" \"withdrew\"")
        );
        assert_eq!(
            fts5_query("\"partial withdrawal\" OR U.S.").as_deref(),
            Some("\"partial withdrawal\" OR \"U.S.\"")
        );
        assert_eq!(fts5_query("NOT (a*").as_deref(), Some("\"NOT\" \"(a*\""));
        assert_eq!(fts5_query("OR troops OR").as_deref(), Some("\"troops\""));
        assert_eq!(fts5_query("  -- ... "), None);
    }

    #[test]
    fn packed_json_unpacks_to_itself_and_damage_is_an_error() {
        let json = r#"{"id":"a1","text":"Troops left Aleppo on Monday.","events":[]}"#.repeat(20);
        let packed = pack_json(&json);
        assert!(
            packed.len() < json.len() / 3,
            "{} of {}",
            packed.len(),
            json.len()
        );
        assert_eq!(
            unpack_json(&backend::Cell::Blob(packed.clone())).unwrap(),
            json
        );
        assert_eq!(
            unpack_json(&backend::Cell::Text(json.clone())).unwrap(),
            json
        );
        let cut = backend::Cell::Blob(packed[..packed.len() / 2].to_vec());
        assert!(unpack_json(&cut).unwrap_err().contains("damaged"));
        let alien = backend::Cell::Blob(b"PK\x03\x04zip".to_vec());
        assert!(unpack_json(&alien).unwrap_err().contains("format"));
        let huge = backend::Cell::Blob([&PACKED[..], &[0xff, 0xff, 0xff, 0xff]].concat());
        assert!(unpack_json(&huge).unwrap_err().contains("too large"));
        assert!(unpack_json(&backend::Cell::Null).is_err());
    }

    #[test]
    fn backend_follows_the_db_string() {
        assert_eq!(
            Backend::of("postgres://me@localhost/news"),
            Backend::Postgres
        );
        assert_eq!(
            Backend::of("postgresql://localhost/news"),
            Backend::Postgres
        );
        assert_eq!(Backend::of("sitrep.db"), Backend::Sqlite);
        assert_eq!(Backend::of("./postgres/sitrep.db"), Backend::Sqlite);
    }

    #[test]
    fn labels_are_named_as_in_the_json_contract() {
        assert_eq!(name(&sitrep_doc::EntityLabel::Person), "PERSON");
        assert_eq!(name(&sitrep_doc::PlaceFeature::City), "city");
        assert_eq!(name(&sitrep_doc::DateFrom::Published), "published");
    }
}
