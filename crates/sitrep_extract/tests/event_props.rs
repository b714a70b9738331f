//! Property test: any string through the standard pipeline and the event coder never panics and
//! yields a valid document (events sorted, spans on character boundaries).

use std::sync::LazyLock;

use proptest::prelude::*;
use sitrep_doc::{Doc, Meta};
use sitrep_extract::event::EventCoder;
use sitrep_extract::{builtin_knowledge_base, Pipeline, Stage};

static PIPELINE: LazyLock<Pipeline> = LazyLock::new(Pipeline::standard);
static CODER: LazyLock<EventCoder> = LazyLock::new(|| EventCoder::new(builtin_knowledge_base()));

fn annotate(text: String) -> Doc {
    let mut doc = Doc::new(
        text,
        Meta {
            published: Some(jiff::civil::date(2017, 12, 12)),
            ..Meta::default()
        },
    );
    PIPELINE.run(&mut doc);
    CODER.process(&mut doc);
    doc
}

/// Words the coder looks for, glued with odd separators.
fn text() -> impl Strategy<Value = String> {
    const WORDS: [&str; 30] = [
        "Russia",
        "Syria",
        "Putin",
        "he",
        "attacked",
        "did",
        "not",
        "denied",
        "attacking",
        "threatened",
        "to",
        "strike",
        "against",
        "the",
        "capture",
        "of",
        "Aleppo",
        "by",
        "if",
        "called",
        "on",
        "and",
        ",",
        ".",
        "withdrew",
        "from",
        "Monday",
        "was",
        "would",
        "é",
    ];
    let piece = prop_oneof![
        4 => proptest::sample::select(&WORDS[..]).prop_map(str::to_owned),
        1 => ".{0,4}",
    ];
    let sep = proptest::sample::select(&[" ", " ", "  ", "\n", ""][..]);
    proptest::collection::vec((piece, sep), 0..40)
        .prop_map(|v| v.into_iter().map(|(p, s)| p + s).collect())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn never_panics_and_stays_valid(text in text()) {
        let doc = annotate(text);
        prop_assert!(doc.validate().is_ok(), "{:?}", doc.validate());
        for e in doc.events() {
            prop_assert!(!e.negated && !e.hypothetical);
            prop_assert_eq!(&e.root[..], &e.code[..2]);
        }
    }

    #[test]
    fn any_string(text in "\\PC{0,80}") {
        let doc = annotate(text);
        prop_assert!(doc.validate().is_ok());
    }
}
