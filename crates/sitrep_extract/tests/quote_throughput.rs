//! Throughput of the quote and tone stages (the stages before them run once, untimed) on the
//! newswire corpus in ../shared (measurement only, skipped when the corpus is absent):
//!
//! ```text
//! cargo test -p sitrep_extract --release --test quote_throughput -- --ignored --nocapture
//! ```
//!
//! Set SITREP_CORPUS to measure another JSONL file with a "text" field.

use std::path::PathBuf;
use std::time::Instant;

use sitrep_doc::{Doc, Meta};
use sitrep_extract::quote::QuoteAttributor;
use sitrep_extract::tone::ToneScorer;
use sitrep_extract::{Pipeline, Stage};

#[test]
#[ignore = "measurement: run in release mode with --ignored --nocapture"]
fn quote_and_tone_throughput() {
    let path = std::env::var_os("SITREP_CORPUS").map_or_else(
        || {
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("../../../shared/corpus/te3_silver_gigaword.jsonl")
        },
        PathBuf::from,
    );
    let Ok(data) = std::fs::read_to_string(&path) else {
        eprintln!("skipped: cannot read {}", path.display());
        return;
    };
    let pipeline = Pipeline::standard();
    let docs: Vec<Doc> = data
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter_map(|v| v.get("text")?.as_str().map(str::to_owned))
        .map(|text| {
            let mut doc = Doc::new(text, Meta::default());
            pipeline.run(&mut doc);
            doc
        })
        .collect();
    let words: usize = docs
        .iter()
        .map(|d| d.text().split_whitespace().count())
        .sum();
    let (quote, tone) = (QuoteAttributor::new(), ToneScorer::new());
    let mut best = [f64::INFINITY; 2];
    let mut quotes = 0;
    for _ in 0..5 {
        let mut work = docs.clone();
        let start = Instant::now();
        for doc in &mut work {
            quote.process(doc);
        }
        best[0] = best[0].min(start.elapsed().as_secs_f64());
        let start = Instant::now();
        for doc in &mut work {
            tone.process(doc);
        }
        best[1] = best[1].min(start.elapsed().as_secs_f64());
        quotes = work.iter().map(|d| d.quotes().len()).sum();
    }
    let wps = |s: f64| words as f64 / s / 1e6;
    println!(
        "{}: {} docs, {words} words, {quotes} quotes (direct and reported)",
        path.display(),
        docs.len()
    );
    println!(
        "best of 5 on one core: quote {:.2} M words/s, tone {:.2} M words/s, both {:.2} M words/s",
        wps(best[0]),
        wps(best[1]),
        wps(best[0] + best[1])
    );
}
