//! `sitrep ingest`: documents in, annotated documents stored.
//!
//! A reader thread walks the inputs and hands batches of raw documents to the main thread, which
//! cleans them on all cores, asks the store which texts it holds already (by content hash),
//! extracts the rest on all cores and hands them to one writer thread, which stores each batch in
//! one transaction. A crash loses at most the batches in flight; running the same command again
//! skips what was stored and carries on.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{mpsc, Arc};
use std::time::Duration;

use rayon::prelude::*;
use sitrep_doc::{content_id, Doc};
use sitrep_extract::Pipeline;
use sitrep_read::ReadError;
use sitrep_store::{Backend, Prepared, RunCounts, Store, StoreError, Versions, Written};

use super::progress::{plural, Progress};
use crate::cli::IngestArgs;
use crate::report::{self, Hinted, Status};

/// Documents read, looked up and extracted at once.
const BATCH: usize = 64;

/// The documents the writer stores in one transaction (the last may hold fewer).
const WRITE_BATCH: usize = 256;

/// The versions this binary stores documents under: the sitrep version and the knowledge version
/// (a hash of the compiled-in dictionaries and the `--dict` files), so that a changed knowledge
/// base or dictionary makes `ingest --reprocess` redo what the old one produced.
pub(crate) fn current_versions(dicts: &[std::path::PathBuf]) -> anyhow::Result<Versions> {
    let mut extra = Vec::with_capacity(dicts.len());
    for path in dicts {
        extra.push(std::fs::read(path).map_err(|e| {
            Hinted::error(
                format!("cannot read dictionary {}: {e}", path.display()),
                "check the path given to --dict",
            )
        })?);
    }
    Ok(Versions::new(
        env!("CARGO_PKG_VERSION"),
        sitrep_extract::knowledge_version(&extra),
    ))
}

/// What became of one input item before the writer.
enum Outcome {
    /// To extract.
    Extract(Box<Doc>),
    /// Extracted and prepared for the store: on its way to the writer.
    Ready(Box<Prepared>),
    AlreadyStored {
        outdated: bool,
    },
    Skipped {
        language: String,
    },
    Failed(ReadError),
}

pub(crate) fn run(args: IngestArgs) -> anyhow::Result<Status> {
    if args.reprocess && args.inputs.is_empty() {
        return reprocess_stored(&args);
    }
    let (inputs, options) = super::read_setup(
        &args.inputs,
        args.published.as_deref(),
        args.max_doc_bytes,
        args.threads,
    )?;
    let versions = current_versions(&args.dicts)?;
    // Two connections: the main thread looks documents up while the writer writes.
    let mut lookup = Store::open(&args.db).map_err(store_error)?;
    let mut writer_store = Store::open(&args.db).map_err(store_error)?;
    // Ingest's memory stays flat as the store grows: no memory map, a page cache the store
    // fills early (BENCHMARKS.md, "Ingest"; 32 MB was as fast as 64).
    for store in [&mut lookup, &mut writer_store] {
        store.set_memory_map(false).map_err(store_error)?;
        store.set_cache_mb(32).map_err(store_error)?;
    }
    let run = lookup.begin_run(&versions).map_err(store_error)?;
    let pipeline = super::pipeline(&args.dicts)?;

    let (batches, total, reader) = super::spawn_reader(inputs, options, BATCH, args.quiet);

    let stored_so_far = Arc::new(AtomicU64::new(0));
    let (to_writer, extracted) = mpsc::sync_channel::<Vec<Prepared>>(4);
    let writer = {
        let versions = versions.clone();
        let stored_so_far = Arc::clone(&stored_so_far);
        let replace = args.reprocess;
        std::thread::spawn(move || -> Result<WriterTally, StoreError> {
            let mut tally = WriterTally::default();
            while let Ok(mut docs) = extracted.recv() {
                // Several batches go in one transaction: fewer, larger transactions write each
                // changed page once (a crash loses at most these documents; rerun to store them).
                while docs.len() < WRITE_BATCH {
                    match extracted.recv() {
                        Ok(more) => docs.extend(more),
                        Err(_) => break,
                    }
                }
                let written = writer_store.write_prepared(&docs, &versions, Some(run), replace)?;
                for (doc, written) in docs.iter().map(Prepared::doc).zip(written) {
                    match written {
                        Written::Stored => tally.stored += 1,
                        Written::Replaced => tally.replaced += 1,
                        Written::AlreadyStored => {
                            tally.already_stored += 1;
                            continue;
                        }
                    }
                    tally.events += doc.events().len() as u64;
                }
                stored_so_far.store(tally.stored + tally.replaced, Ordering::Relaxed);
            }
            Ok(tally)
        })
    };

    let progress = Progress::with_total(args.quiet, total);
    let mut summary = Summary::default();
    let mut lookup_error = None;
    'batches: for (batch, bytes) in batches {
        // Clean on all cores, then ask the store which texts it holds.
        let cleaned: Vec<Result<(Doc, String), ReadError>> = batch
            .into_par_iter()
            .map(|item| {
                item.map(|raw| {
                    let doc = raw.into_doc();
                    let hash = content_id(doc.text());
                    (doc, hash)
                })
            })
            .collect();
        let hashes: Vec<&str> = cleaned
            .iter()
            .filter_map(|item| item.as_ref().ok().map(|(_, hash)| hash.as_str()))
            .collect();
        let stored = match lookup.versions_of(&hashes) {
            Ok(stored) => stored,
            Err(err) => {
                lookup_error = Some(err);
                break 'batches;
            }
        };
        let mut todo = Vec::with_capacity(cleaned.len());
        for item in cleaned {
            let (doc, hash) = match item {
                Ok(pair) => pair,
                Err(err) => {
                    todo.push(Outcome::Failed(err));
                    continue;
                }
            };
            todo.push(match stored.get(&hash) {
                None => Outcome::Extract(Box::new(doc)),
                Some(stored) if *stored == versions => Outcome::AlreadyStored { outdated: false },
                Some(_) if args.reprocess => Outcome::Extract(Box::new(doc)),
                Some(_) => Outcome::AlreadyStored { outdated: true },
            });
        }
        let outcomes: Vec<Outcome> = todo
            .into_par_iter()
            .map(|item| match item {
                Outcome::Extract(doc) => extract(*doc, &pipeline),
                other => other,
            })
            .collect();
        let mut docs = Vec::with_capacity(outcomes.len());
        for outcome in outcomes {
            match outcome {
                Outcome::Ready(doc) => {
                    summary.read += 1;
                    docs.push(*doc);
                }
                Outcome::Extract(_) => unreachable!("every document to extract was extracted"),
                Outcome::AlreadyStored { outdated } => {
                    summary.read += 1;
                    summary.already_stored += 1;
                    summary.outdated += u64::from(outdated);
                }
                Outcome::Skipped { language } => {
                    summary.read += 1;
                    summary.skipped += 1;
                    if !summary.skipped_languages.contains(&language) {
                        summary.skipped_languages.push(language);
                    }
                }
                Outcome::Failed(err) => {
                    progress.suspend(|| report::input_error(&err));
                    summary.failed += 1;
                }
            }
        }
        if !docs.is_empty() && to_writer.send(docs).is_err() {
            break; // the writer stopped: its error is reported below
        }
        progress.update(
            bytes,
            summary.read + summary.failed,
            summary.progress_message(stored_so_far.load(Ordering::Relaxed)),
        );
    }
    drop(to_writer);
    let written = writer
        .join()
        .map_err(|_| anyhow::anyhow!("the writer thread panicked"))?;
    progress.finish();
    let tally = written.map_err(store_error)?;
    if let Some(err) = lookup_error {
        return Err(store_error(err));
    }
    reader
        .join()
        .map_err(|_| anyhow::anyhow!("the reader thread panicked"))?;
    summary.writer = tally;
    lookup
        .finish_run(run, &summary.counts())
        .map_err(store_error)?;
    if !args.quiet {
        eprintln!("{}", summary.line(progress.elapsed(), lookup.name()));
    }
    Ok(if summary.failed > 0 {
        Status::Partial
    } else {
        Status::Success
    })
}

/// `ingest --reprocess` without inputs: re-extracts, from their stored text, the documents another
/// sitrep or knowledge base produced, page by page (each page one transaction).
fn reprocess_stored(args: &IngestArgs) -> anyhow::Result<Status> {
    super::read_setup(&[], None, args.max_doc_bytes, args.threads)?;
    if Backend::of(&args.db) == Backend::Sqlite && !std::path::Path::new(&args.db).exists() {
        return Err(Hinted::error(
            format!("database {}: no such file", args.db),
            "--reprocess without inputs re-extracts what a store holds; pass --db, or give the \
             articles to ingest",
        ));
    }
    let versions = current_versions(&args.dicts)?;
    let mut store = Store::open(&args.db).map_err(store_error)?;
    let total = store.count_outdated(&versions).map_err(store_error)?;
    if total == 0 {
        if !args.quiet {
            eprintln!(
                "sitrep: every document in {} is current (sitrep {}, knowledge {}); nothing to \
                 re-extract",
                store.name(),
                versions.sitrep,
                versions.kb
            );
        }
        return Ok(Status::Success);
    }
    let pipeline = super::pipeline(&args.dicts)?;
    let run = store.begin_run(&versions).map_err(store_error)?;
    let progress = Progress::with_total(args.quiet, Some(total));
    let mut counts = RunCounts::default();
    let mut after = String::new();
    loop {
        let page = store
            .outdated(&versions, &after, BATCH)
            .map_err(store_error)?;
        let Some((last, _)) = page.last() else {
            break;
        };
        after = last.clone();
        let outcomes: Vec<Outcome> = page
            .into_par_iter()
            .map(|(_, doc)| extract(doc, &pipeline))
            .collect();
        let mut docs = Vec::with_capacity(outcomes.len());
        for outcome in outcomes {
            counts.read += 1;
            match outcome {
                Outcome::Ready(doc) => docs.push(*doc),
                _ => counts.skipped += 1,
            }
        }
        let written = store
            .write_prepared(&docs, &versions, Some(run), true)
            .map_err(store_error)?;
        for (doc, written) in docs.iter().map(Prepared::doc).zip(written) {
            match written {
                Written::Replaced => counts.replaced += 1,
                Written::Stored => counts.stored += 1,
                Written::AlreadyStored => counts.already_stored += 1,
            }
            counts.events += doc.events().len() as u64;
        }
        progress.update(
            counts.read,
            counts.read,
            format!("{} re-extracted", counts.replaced),
        );
    }
    progress.finish();
    store.finish_run(run, &counts).map_err(store_error)?;
    if !args.quiet {
        let secs = progress.elapsed().as_secs_f64();
        let mut line = format!(
            "sitrep: {} {} re-extracted from {}",
            counts.replaced,
            plural(counts.replaced, "document", "documents"),
            store.name()
        );
        if counts.skipped > 0 {
            line.push_str(&format!(
                ", {} left as they were (no longer English)",
                counts.skipped
            ));
        }
        line.push_str(&format!(
            "; {} {} in {secs:.2} s ({:.0} documents/s)",
            counts.events,
            plural(counts.events, "event", "events"),
            counts.read as f64 / secs.max(1e-9)
        ));
        eprintln!("{line}");
    }
    Ok(Status::Success)
}

/// Runs the pipeline, stopping after language identification for documents not in English, and
/// prepares the document for the store (hash, JSON) on the calling worker thread.
fn extract(mut doc: Doc, pipeline: &Pipeline) -> Outcome {
    let mut skipped = None;
    pipeline.run_while(&mut doc, |stage, doc| {
        if stage == "language" {
            if let Some(language) = doc.language().filter(|l| !matches!(*l, "en" | "und")) {
                skipped = Some(language.to_owned());
                return false;
            }
        }
        true
    });
    match skipped {
        Some(language) => Outcome::Skipped { language },
        None => Outcome::Ready(Box::new(Prepared::new(doc))),
    }
}

/// A store error for the binary: its message, causes and hint as `report::fatal` prints them.
pub(crate) fn store_error(err: StoreError) -> anyhow::Error {
    match err.hint.clone() {
        Some(hint) => {
            let mut message = err.to_string();
            let mut cause = std::error::Error::source(&err);
            while let Some(c) = cause {
                message.push_str(&format!(": {c}"));
                cause = c.source();
            }
            Hinted::error(message, hint)
        }
        None => anyhow::Error::new(err),
    }
}

/// What the writer did.
#[derive(Clone, Copy, Debug, Default)]
struct WriterTally {
    stored: u64,
    replaced: u64,
    /// Texts stored since the lookup (a duplicate in the input, another worker).
    already_stored: u64,
    events: u64,
}

#[derive(Default)]
struct Summary {
    /// Documents read (including those skipped, not those that could not be read).
    read: u64,
    already_stored: u64,
    /// Already stored by other versions and not reprocessed.
    outdated: u64,
    skipped: u64,
    skipped_languages: Vec<String>,
    failed: u64,
    writer: WriterTally,
}

impl Summary {
    /// The spinner's message: stored, already stored and failed so far.
    fn progress_message(&self, stored: u64) -> String {
        let mut message = format!("{stored} stored");
        if self.already_stored > 0 {
            message.push_str(&format!(", {} already stored", self.already_stored));
        }
        if self.failed > 0 {
            message.push_str(&format!(", {} failed", self.failed));
        }
        message
    }

    fn counts(&self) -> RunCounts {
        RunCounts {
            read: self.read,
            stored: self.writer.stored,
            replaced: self.writer.replaced,
            already_stored: self.already_stored + self.writer.already_stored,
            skipped: self.skipped,
            failed: self.failed,
            events: self.writer.events,
        }
    }

    fn line(&self, elapsed: Duration, db: &str) -> String {
        let counts = self.counts();
        let secs = elapsed.as_secs_f64();
        let mut line = format!(
            "sitrep: {} {} read",
            counts.read,
            plural(counts.read, "document", "documents")
        );
        if counts.stored == 0 && counts.replaced == 0 {
            line.push_str(", nothing new stored");
        } else {
            line.push_str(&format!(", {} stored", counts.stored));
        }
        if counts.replaced > 0 {
            line.push_str(&format!(", {} re-extracted", counts.replaced));
        }
        if counts.already_stored > 0 {
            line.push_str(&format!(", {} already stored", counts.already_stored));
        }
        if self.skipped > 0 {
            line.push_str(&format!(
                ", {} skipped (not English: {})",
                self.skipped,
                self.skipped_languages.join(", ")
            ));
        }
        if self.failed > 0 {
            line.push_str(&format!(
                ", {} could not be read (see the errors above)",
                self.failed
            ));
        }
        line.push_str(&format!(
            "; {} {} in {db} in {secs:.2} s ({:.0} documents/s)",
            counts.events,
            plural(counts.events, "event", "events"),
            counts.read as f64 / secs.max(1e-9),
        ));
        if self.outdated > 0 {
            line.push_str(&format!(
                "\nsitrep: {} of the stored documents came from another sitrep or knowledge-base \
                 version; rerun with --reprocess to re-extract them",
                self.outdated
            ));
        }
        line
    }
}
