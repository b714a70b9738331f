//! One module per command.

pub(crate) mod demo;
pub(crate) mod events;
pub(crate) mod export;
pub(crate) mod extract;
pub(crate) mod ingest;
pub(crate) mod progress;
pub(crate) mod search;
pub(crate) mod serve;
pub(crate) mod timeline;

/// The standard pipeline with the compiled-in knowledge base plus the user dictionaries in `dicts`
/// (later ones override earlier ones). Lines a dictionary skips are printed as warnings.
pub(crate) fn pipeline(dicts: &[std::path::PathBuf]) -> anyhow::Result<sitrep_extract::Pipeline> {
    use sitrep_extract::kb::{load, KnowledgeBase};
    if dicts.is_empty() {
        return Ok(sitrep_extract::Pipeline::standard());
    }
    let mut entries = load::builtin();
    for path in dicts {
        let loaded = load::load_file_reporting(path).map_err(|e| {
            crate::report::Hinted::error(
                e.to_string(),
                "fix the line, or see docs/knowledge-base.md for the formats sitrep reads",
            )
        })?;
        for skipped in &loaded.skipped {
            eprintln!("warning: {skipped}");
        }
        entries.extend(loaded.entries);
    }
    Ok(sitrep_extract::Pipeline::with_knowledge_base(
        std::sync::Arc::new(KnowledgeBase::new(entries)),
    ))
}

/// What `extract` and `ingest` share before reading: the inputs ("-" when none), the read options
/// with `--published` parsed, and the worker pool sized by `--threads`.
pub(crate) fn read_setup(
    inputs: &[std::path::PathBuf],
    published: Option<&str>,
    max_doc_bytes: usize,
    threads: Option<usize>,
) -> anyhow::Result<(Vec<String>, sitrep_read::ReadOptions)> {
    use anyhow::Context;
    let published = match published {
        Some(s) => Some(sitrep_read::date::parse_date(s).ok_or_else(|| {
            crate::report::Hinted::error(
                format!("--published {s:?} is not a date"),
                "write it as YYYY-MM-DD, e.g. --published 2017-12-12",
            )
        })?),
        None => None,
    };
    if let Some(threads) = threads {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads.max(1))
            .build_global()
            .context("could not start the worker threads")?;
    }
    let inputs = if inputs.is_empty() {
        vec!["-".to_owned()]
    } else {
        inputs
            .iter()
            .map(|p| p.to_string_lossy().into_owned())
            .collect()
    };
    let options = sitrep_read::ReadOptions {
        max_doc_bytes,
        published,
    };
    Ok((inputs, options))
}

/// Batches of read documents, each with the input bytes read when it was complete.
pub(crate) type Batches = std::sync::mpsc::Receiver<(
    Vec<Result<sitrep_read::RawDoc, sitrep_read::ReadError>>,
    u64,
)>;

/// Reads `inputs` on a thread of its own, `batch` documents at a time, at most two batches ahead.
/// Returns the batches, the inputs' total size for the progress bar (`None` when `quiet` or when
/// an input is stdin), and the thread.
pub(crate) fn spawn_reader(
    inputs: Vec<String>,
    options: sitrep_read::ReadOptions,
    batch: usize,
    quiet: bool,
) -> (Batches, Option<u64>, std::thread::JoinHandle<()>) {
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::sync::Arc;
    let total = if quiet {
        None
    } else {
        sitrep_read::input_bytes(&inputs)
    };
    let (sender, batches) = std::sync::mpsc::sync_channel(2);
    let reader = std::thread::spawn(move || {
        let bytes_read = Arc::new(AtomicU64::new(0));
        let counter = Arc::clone(&bytes_read);
        let mut items = Vec::with_capacity(batch);
        for item in sitrep_read::read_counting(&inputs, &options, bytes_read) {
            items.push(item);
            if items.len() == batch {
                let full = std::mem::replace(&mut items, Vec::with_capacity(batch));
                if sender
                    .send((full, counter.load(Ordering::Relaxed)))
                    .is_err()
                {
                    return;
                }
            }
        }
        if !items.is_empty() {
            let _ = sender.send((items, counter.load(Ordering::Relaxed)));
        }
    });
    (batches, total, reader)
}
