//! sitrep's evaluation harness over ../shared.
//!
//! ```text
//! cargo run --release -p xtask -- eval            # every evaluation known so far
//! cargo run --release -p xtask -- eval articles   # main-text extraction (article-extraction benchmark)
//! cargo run --release -p xtask -- eval words      # UPOS and lemma accuracy on GUM news beside spaCy
//! cargo run --release -p xtask -- eval time       # temporal expressions (TempEval-3) beside HeidelTime
//! cargo run --release -p xtask -- eval entities   # WikiGold and GUM news NER beside spaCy
//! cargo run --release -p xtask -- eval places     # LGL and GeoWebNews geoparsing beside spaCy + a population prior
//! cargo run --release -p xtask -- eval quotes     # PolNeAR direct quotes and speakers beside textacy
//! cargo run --release -p xtask -- eval events     # PLOVER gold records (type, source, target accuracy)
//! cargo run --release -p xtask -- eval events-heldout  # sitrep's own held-out event set (eval/events-heldout; no ../shared needed)
//! cargo run --release -p xtask -- eval kb         # sitrep's people beside Phoenix (codes, dates)
//! cargo run --release -p xtask -- bench           # throughput of `sitrep extract` beside spaCy
//! cargo run --release -p xtask -- bench ingest    # ingest end to end beside extract: throughput, 1→2 threads, peak memory
//! cargo run --release -p xtask -- bench writer    # the store's writer alone, per document as the store grows
//! cargo run --release -p xtask -- bench store     # event queries on a SQLite store of 1M generated events
//! cargo run --release -p xtask -- bench serve     # the API's events endpoint under load on 1M generated events
//! cargo run --release -p xtask -- bench words     # throughput of tag (+ lemma + chunk) beside spaCy
//! cargo run --release -p xtask -- bench entities  # throughput of the entity and actor stages beside spaCy NER
//! cargo run --release -p xtask -- train tagger    # retrain data/model/pos-tagger.bin on GUM
//! ```
//!
//! ../shared is found next to the workspace root, or at `$SITREP_SHARED`; without it every
//! evaluation is skipped with a one-line message and the exit code is 0. Scratch files go to
//! eval-out/ (git-ignored); the figures are written into EVALUATION.md between markers.

mod articles;
mod bench;
mod bench_ingest;
mod bench_serve;
mod bench_store;
mod conllu;
mod entities;
mod events;
mod events_heldout;
mod phoenix_agreement;
mod places;
mod quotes;
mod time_eval;
mod train;
mod words;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Result};

const USAGE: &str = "usage: cargo run --release -p xtask -- eval [articles | words | time | entities [--dev] | places [--dev] | quotes | events | events-heldout [--dev] | kb] | bench [words | entities | places | ingest | writer | serve | store] | train tagger [--dev]";

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            for cause in e.chain().skip(1) {
                eprintln!("caused by: {cause}");
            }
            ExitCode::from(2)
        }
    }
}

fn run() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        ["eval"] | ["eval", "all"] => eval_all(),
        ["eval", "articles"] => with_shared("article extraction", articles::run),
        ["eval", "words"] => with_shared("word analysis", words::eval),
        ["eval", "time"] => with_shared("temporal expressions", time_eval::run),
        ["eval", "entities"] => with_shared("entities", entities::eval),
        ["eval", "entities", "--dev"] => with_shared("entities", entities::dev),
        ["bench", "entities"] => with_shared("entities benchmark", entities::bench),
        ["eval", "places"] => with_shared("places", places::run),
        ["eval", "places", "--dev"] => with_shared("places", places::dev),
        ["bench", "places"] => with_shared("places benchmark", places::bench),
        ["eval", "quotes"] => with_shared("quotes", quotes::run),
        ["eval", "events"] => with_shared("events", events::run),
        ["eval", "events-heldout"] => events_heldout::run_at(&workspace_root()),
        ["eval", "events-heldout", "--dev"] => events_heldout::dev(),
        ["eval", "kb"] => with_shared("knowledge base agreement", phoenix_agreement::run),
        ["bench"] => with_shared("benchmarks", bench::run),
        ["bench", "ingest"] => with_shared("ingest benchmark", bench_ingest::run),
        ["bench", "writer"] => with_shared("writer benchmark", bench_ingest::writer),
        ["bench", "store", rest @ ..] => {
            bench_store::run(&rest.iter().map(|s| s.to_string()).collect::<Vec<_>>())
        }
        ["bench", "serve", rest @ ..] => {
            bench_serve::run(&rest.iter().map(|s| s.to_string()).collect::<Vec<_>>())
        }
        ["bench", "words"] => with_shared("word analysis benchmark", words::bench),
        ["train", "tagger"] => with_shared("tagger training", |env| train::tagger(env, false)),
        ["train", "tagger", "--dev"] => {
            with_shared("tagger training", |env| train::tagger(env, true))
        }
        ["-h" | "--help" | "help"] | [] => {
            println!("{USAGE}");
            Ok(())
        }
        _ => bail!("unknown arguments {args:?}\nhint: {USAGE}"),
    }
}

fn eval_all() -> Result<()> {
    with_shared("article extraction", articles::run)?;
    with_shared("word analysis", words::eval)?;
    with_shared("temporal expressions", time_eval::run)?;
    with_shared("entities", entities::eval)?;
    with_shared("places", places::run)?;
    with_shared("quotes", quotes::run)?;
    with_shared("events", events::run)?;
    events_heldout::run_at(&workspace_root())?;
    with_shared("knowledge base agreement", phoenix_agreement::run)
}

/// The workspace root (the parent of xtask/).
fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap_or(Path::new("."))
        .to_path_buf()
}

/// The paths every evaluation needs.
pub(crate) struct Env {
    /// The workspace root.
    pub(crate) root: PathBuf,
    /// ../shared (or `$SITREP_SHARED`).
    pub(crate) shared: PathBuf,
    /// eval-out/ under the workspace root.
    pub(crate) out: PathBuf,
}

fn with_shared(what: &str, eval: fn(&Env) -> Result<()>) -> Result<()> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap_or(Path::new("."))
        .to_path_buf();
    let shared = std::env::var_os("SITREP_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("../shared"));
    if !shared.is_dir() {
        println!(
            "eval: skipped {what}: {} not found (set SITREP_SHARED to the shared folder)",
            shared.display()
        );
        return Ok(());
    }
    let out = root.join("eval-out");
    std::fs::create_dir_all(&out)?;
    eval(&Env { root, shared, out })
}

/// The Python of the peers virtualenv: `$SITREP_PEERS_PYTHON`, else /tmp/peers/bin/python.
pub(crate) fn peers_python() -> PathBuf {
    std::env::var_os("SITREP_PEERS_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/tmp/peers/bin/python"))
}

/// Replaces the text between `<!-- eval:NAME -->` and `<!-- /eval:NAME -->` in EVALUATION.md,
/// creating the file or the section when missing.
pub(crate) fn write_section(root: &Path, name: &str, body: &str) -> Result<()> {
    write_section_in(root, "EVALUATION.md", name, body)
}

/// [`write_section`] for another file at the workspace root (BENCHMARKS.md).
pub(crate) fn write_section_in(root: &Path, file: &str, name: &str, body: &str) -> Result<()> {
    let path = root.join(file);
    let open = format!("<!-- eval:{name} -->");
    let close = format!("<!-- /eval:{name} -->");
    let current = std::fs::read_to_string(&path).unwrap_or_else(|_| {
        format!("# {}\n\nFigures written by `cargo run --release -p xtask`; do not edit between the markers.\n", file.trim_end_matches(".md"))
    });
    let section = format!("{open}\n{}\n{close}", body.trim_end());
    let updated = match (current.find(&open), current.find(&close)) {
        (Some(a), Some(b)) if a < b => {
            format!("{}{section}{}", &current[..a], &current[b + close.len()..])
        }
        _ => format!("{}\n{section}\n", current.trim_end()),
    };
    std::fs::write(&path, updated)?;
    println!("wrote {}", path.display());
    Ok(())
}
