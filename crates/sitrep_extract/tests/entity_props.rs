//! Property test: any string through the pipeline up to and including the entity and actor
//! stages never panics and yields valid spans.

use std::sync::{Arc, LazyLock};

use proptest::prelude::*;
use sitrep_doc::{Doc, Meta};
use sitrep_extract::actor::ActorCoder;
use sitrep_extract::chunk::Chunker;
use sitrep_extract::entity::EntityRecognizer;
use sitrep_extract::kb::{load, KnowledgeBase};
use sitrep_extract::lemma::Lemmatizer;
use sitrep_extract::segment::Segmenter;
use sitrep_extract::tag::PosTagger;
use sitrep_extract::Pipeline;

static KB: LazyLock<Arc<KnowledgeBase>> =
    LazyLock::new(|| Arc::new(KnowledgeBase::new(load::builtin())));

static PIPELINE: LazyLock<Pipeline> = LazyLock::new(|| {
    Pipeline::builder()
        .stage(Segmenter::new())
        .stage(PosTagger::new())
        .stage(Lemmatizer::new())
        .stage(Chunker::new())
        .stage(EntityRecognizer::new(KB.clone()))
        .stage(ActorCoder::new(KB.clone()))
        .build()
        .expect("stages in order")
});

/// Words the stages look for, glued with odd separators.
fn text() -> impl Strategy<Value = String> {
    const WORDS: [&str; 24] = [
        "Putin",
        "Russian",
        "President",
        "Vladimir",
        "the",
        "Kremlin",
        "in",
        "Moscow",
        "his",
        "forces",
        "'s",
        "’s",
        "IS",
        "said",
        "Gen.",
        "of",
        "Ministry",
        "River",
        "al-Assad",
        "U.S.",
        "Syrian",
        "rebels",
        "Türkiye",
        "Bush",
    ];
    let piece = prop_oneof![
        4 => prop::sample::select(&WORDS[..]).prop_map(str::to_owned),
        1 => "\\PC{1,6}",
        1 => prop::sample::select(&[" ", ". ", "\n\n", ", ", "-", "\"", "’"][..]).prop_map(str::to_owned),
    ];
    prop::collection::vec(piece, 0..40).prop_map(|v| v.join(" "))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn any_text_gives_valid_entities(text in text()) {
        let mut doc = Doc::new(text, Meta::default());
        PIPELINE.run(&mut doc);
        prop_assert!(doc.validate().is_ok(), "{:?}", doc.validate());
        let mut last_end = 0;
        for e in doc.entities() {
            prop_assert!(!e.span.is_empty());
            prop_assert!(e.span.start() >= last_end, "entities overlap");
            last_end = e.span.end();
        }
        let coder = ActorCoder::new(KB.clone());
        for i in 0..doc.noun_phrases().len() {
            let _ = coder.code_phrase(&doc, i);
        }
    }

    #[test]
    fn any_unicode_gives_valid_entities(text in "\\PC{0,200}") {
        let mut doc = Doc::new(text, Meta::default());
        PIPELINE.run(&mut doc);
        prop_assert!(doc.validate().is_ok(), "{:?}", doc.validate());
    }
}
