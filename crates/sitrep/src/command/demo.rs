//! `sitrep demo`: the bundled example articles into a store, a summary and the timeline, then the
//! web page. The examples are compiled into the binary, so the demo works from any directory.

use std::path::PathBuf;

use sitrep_server::ServeOptions;
use sitrep_store::{EventFilter, Period, Store};

use super::ingest::store_error;
use crate::cli::{DemoArgs, IngestArgs};
use crate::report::{Hinted, Status};

/// The example articles (examples/ in the repository), by file name.
const EXAMPLES: [(&str, &[u8]); 5] = [
    (
        "blog-putin-syria.txt",
        include_bytes!("../../../../examples/blog-putin-syria.txt"),
    ),
    (
        "ceasefire.html",
        include_bytes!("../../../../examples/ceasefire.html"),
    ),
    (
        "crawl.warc.gz",
        include_bytes!("../../../../examples/crawl.warc.gz"),
    ),
    ("feed.rss", include_bytes!("../../../../examples/feed.rss")),
    (
        "wire.jsonl",
        include_bytes!("../../../../examples/wire.jsonl"),
    ),
];

/// Relative dates in the undated blog post resolve against this day (the day it was written).
const EXAMPLES_PUBLISHED: &str = "2017-12-12";

pub(crate) fn run(args: DemoArgs) -> anyhow::Result<Status> {
    let addr = super::serve::parse_addr(&args.addr)?;
    let dir = write_examples()?;
    eprintln!(
        "sitrep demo: ingesting {} example files into {}",
        EXAMPLES.len(),
        args.db
    );
    let ingested = super::ingest::run(IngestArgs {
        inputs: vec![dir.clone()],
        db: args.db.clone(),
        published: Some(EXAMPLES_PUBLISHED.to_owned()),
        dicts: Vec::new(),
        reprocess: true,
        max_doc_bytes: sitrep_read::DEFAULT_MAX_DOC_BYTES,
        threads: None,
        quiet: false,
    });
    let _ = std::fs::remove_dir_all(&dir);
    let status = ingested?;
    summarize(&args.db)?;
    if args.no_serve {
        return Ok(status);
    }
    super::serve::serve(ServeOptions::new(args.db, addr))
}

/// Writes the compiled-in examples to a fresh temporary directory.
fn write_examples() -> anyhow::Result<PathBuf> {
    let dir = std::env::temp_dir().join(format!("sitrep-demo-{}", std::process::id()));
    let fail = |e: std::io::Error| {
        Hinted::error(
            format!(
                "cannot write the example articles to {}: {e}",
                dir.display()
            ),
            "set TMPDIR to a writable directory",
        )
    };
    std::fs::create_dir_all(&dir).map_err(fail)?;
    for (name, bytes) in EXAMPLES {
        std::fs::write(dir.join(name), bytes).map_err(fail)?;
    }
    Ok(dir)
}

/// Prints what the store holds: counts, the busiest actors and the timeline by month.
fn summarize(db: &str) -> anyhow::Result<()> {
    let mut store = Store::open(db).map_err(store_error)?;
    let stats = store.stats().map_err(store_error)?;
    let all = EventFilter {
        limit: 1,
        ..EventFilter::default()
    };
    let merged = store.events(&all).map_err(store_error)?.total;
    println!(
        "{} documents, {} sentences, {} entities, {} places, {} quotes, {} event mentions ({} events after merging)",
        stats.documents, stats.sentences, stats.entities, stats.places, stats.quotes, stats.events, merged
    );
    let actors = store.actors(&all, 5).map_err(store_error)?;
    if !actors.is_empty() {
        let list: Vec<String> = actors
            .iter()
            .map(|a| format!("{} ({}→, →{})", a.actor, a.as_source, a.as_target))
            .collect();
        println!("busiest actors: {}", list.join(", "));
    }
    let timeline = store.timeline(&all, Period::Month).map_err(store_error)?;
    if !timeline.is_empty() {
        println!();
        super::timeline::print_chart(&mut std::io::stdout().lock(), &timeline, Period::Month)?;
    }
    println!();
    Ok(())
}
