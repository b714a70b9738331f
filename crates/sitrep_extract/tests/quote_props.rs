//! Property test: any string through the pipeline up to and including the quote and tone stages
//! never panics and yields valid, ordered quote spans.

use std::sync::LazyLock;

use proptest::prelude::*;
use sitrep_doc::{Doc, Meta, Span};
use sitrep_extract::quote::QuoteAttributor;
use sitrep_extract::tone::{span_tone, ToneScorer};
use sitrep_extract::{Pipeline, Stage};

static PIPELINE: LazyLock<Pipeline> = LazyLock::new(Pipeline::standard);

fn annotate(text: String) -> Doc {
    let mut doc = Doc::new(text, Meta::default());
    PIPELINE.run(&mut doc);
    QuoteAttributor::new().process(&mut doc);
    ToneScorer::new().process(&mut doc);
    doc
}

/// Words and marks the stage looks for, glued with odd separators.
fn text() -> impl Strategy<Value = String> {
    const WORDS: [&str; 24] = [
        "Putin",
        "said",
        "told",
        "he",
        "she",
        "according",
        "to",
        "the",
        "minister",
        "added",
        "\"",
        "“",
        "”",
        "«",
        "»",
        "„",
        "‘",
        "’",
        ":",
        ",",
        ".",
        "―",
        "not",
        "good",
    ];
    let piece = prop_oneof![
        4 => prop::sample::select(&WORDS[..]).prop_map(str::to_owned),
        1 => "\\PC{1,6}",
        1 => prop::sample::select(&[" ", ". ", "\n\n", "\n", ", ", "-", "\"", "“", "”"][..]).prop_map(str::to_owned),
    ];
    prop::collection::vec(piece, 0..60).prop_map(|v| v.join(" "))
}

fn check(doc: &Doc) -> Result<(), TestCaseError> {
    prop_assert!(doc.validate().is_ok(), "{:?}", doc.validate());
    let mut last_end = 0;
    for q in doc.quotes() {
        prop_assert!(!q.span.is_empty());
        prop_assert!(q.span.start() >= last_end, "quotes overlap");
        last_end = q.span.end();
    }
    let tone = doc.tone().expect("tone is set");
    prop_assert!(tone.is_finite() && (-100.0..=100.0).contains(&tone));
    let t = span_tone(doc, Span::new(0, doc.text().len()));
    prop_assert!(t.is_finite());
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn any_text_gives_valid_quotes(text in text()) {
        check(&annotate(text))?;
    }

    #[test]
    fn any_unicode_gives_valid_quotes(text in "\\PC{0,200}") {
        check(&annotate(text))?;
    }
}
