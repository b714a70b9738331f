//! One module per command.

pub(crate) mod extract;
pub(crate) mod ingest;
pub(crate) mod progress;
pub(crate) mod search;

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
