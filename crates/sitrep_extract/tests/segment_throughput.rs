//! Segmentation throughput on the newswire corpus in ../shared (measurement only, skipped when
//! the corpus is absent). Run in release mode:
//!
//! ```text
//! cargo test -p sitrep_extract --release --test segment_throughput -- --ignored --nocapture
//! ```
//!
//! Set SITREP_CORPUS to measure another JSONL file with a "text" field, and SITREP_DUMP to a file
//! name to write every sentence there, one per line (line breaks inside shown as ⏎), for review.

use std::path::PathBuf;
use std::time::Instant;

use sitrep_doc::{Doc, Meta};
use sitrep_extract::segment::Segmenter;
use sitrep_extract::Stage;

#[test]
#[ignore = "measurement: run in release mode with --ignored --nocapture"]
fn segment_throughput() {
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
    let texts: Vec<String> = data
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter_map(|v| v.get("text")?.as_str().map(str::to_owned))
        .collect();
    let bytes: usize = texts.iter().map(String::len).sum();
    let segmenter = Segmenter::new();
    let mut best = f64::INFINITY;
    let (mut sentences, mut tokens) = (0, 0);
    for _ in 0..5 {
        let start = Instant::now();
        sentences = 0;
        tokens = 0;
        for text in &texts {
            let (s, t) = segmenter.segment(text);
            sentences += s.len();
            tokens += t.len();
        }
        best = best.min(start.elapsed().as_secs_f64());
    }
    println!(
        "{}: {} docs, {:.1} MB, {sentences} sentences, {tokens} tokens",
        path.display(),
        texts.len(),
        bytes as f64 / 1e6,
    );
    println!(
        "Segmenter::segment, best of 5: {best:.4} s = {:.1} MB/s on one core",
        bytes as f64 / 1e6 / best
    );

    // Through the Stage API, with the document's layer checks (documents made outside the clock).
    let mut best = f64::INFINITY;
    for _ in 0..5 {
        let mut docs: Vec<Doc> = texts
            .iter()
            .map(|t| Doc::new(t.as_str(), Meta::default()))
            .collect();
        let start = Instant::now();
        for doc in &mut docs {
            segmenter.process(doc);
        }
        best = best.min(start.elapsed().as_secs_f64());
    }
    println!(
        "Segmenter::process (Stage), best of 5: {best:.4} s = {:.1} MB/s on one core",
        bytes as f64 / 1e6 / best
    );

    if let Some(dump) = std::env::var_os("SITREP_DUMP") {
        let mut out = String::new();
        for text in &texts {
            for s in segmenter.segment(text).0 {
                out.push_str(&text[s.span].replace('\n', "⏎"));
                out.push('\n');
            }
        }
        std::fs::write(&dump, out).expect("SITREP_DUMP names a writable file");
    }
}
