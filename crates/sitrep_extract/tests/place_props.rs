//! Property tests of the place stage: never panics, spans valid on any input.

use proptest::prelude::*;
use sitrep_doc::{Doc, Meta};
use sitrep_extract::place::PlaceLinker;
use sitrep_extract::{Pipeline, Stage};

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn never_panics_and_spans_are_valid(text in "(\\PC|Paris|, |Texas|Syria|the |Aleppo|\n){0,40}") {
        let mut doc = Doc::new(text.clone(), Meta::default());
        Pipeline::standard().run(&mut doc);
        PlaceLinker::new().process(&mut doc);
        for p in doc.places() {
            prop_assert!(text.get(p.span.range()).is_some());
            prop_assert!(!p.span.is_empty());
        }
    }
}
