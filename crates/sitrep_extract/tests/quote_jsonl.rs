//! A developer helper, ignored by default: runs the pipeline up to the quote stage over an input
//! JSONL file (`{"id", "text"}` per line) named by `$SITREP_QUOTE_IN` and writes sitrep's JSON
//! output to `$SITREP_QUOTE_OUT`, for scoring with ../shared/peers/sitrep_scores.py:
//!
//! ```text
//! SITREP_QUOTE_IN=in.jsonl SITREP_QUOTE_OUT=out.jsonl \
//!   cargo test --release -p sitrep_extract --test quote_jsonl -- --ignored
//! ```

use sitrep_doc::json::{to_json, JsonOptions};
use sitrep_doc::{Doc, Meta};
use sitrep_extract::quote::QuoteAttributor;
use sitrep_extract::tone::ToneScorer;
use sitrep_extract::Pipeline;

#[test]
#[ignore = "developer helper: needs $SITREP_QUOTE_IN"]
fn quote_jsonl() {
    let (Some(input), Some(output)) = (
        std::env::var_os("SITREP_QUOTE_IN"),
        std::env::var_os("SITREP_QUOTE_OUT"),
    ) else {
        return;
    };
    let pipeline = Pipeline::standard();
    let quote = QuoteAttributor::new();
    let tone = ToneScorer::new();
    let mut out = String::new();
    for line in std::fs::read_to_string(input)
        .expect("readable input")
        .lines()
    {
        let v: serde_json::Value = serde_json::from_str(line).expect("json line");
        let text = v["text"].as_str().unwrap_or_default();
        let meta = Meta {
            id: v["id"].as_str().map(str::to_string),
            ..Meta::default()
        };
        let mut doc = Doc::new(text, meta);
        pipeline.run(&mut doc);
        sitrep_extract::Stage::process(&quote, &mut doc);
        sitrep_extract::Stage::process(&tone, &mut doc);
        // The gold counts direct quotes only.
        let direct = doc
            .quotes()
            .iter()
            .filter(|q| !q.indirect)
            .cloned()
            .collect();
        doc.set_quotes(direct);
        out.push_str(&to_json(&doc, JsonOptions::default()));
        out.push('\n');
    }
    std::fs::write(output, out).expect("writable output");
}
