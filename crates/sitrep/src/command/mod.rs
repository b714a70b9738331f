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
