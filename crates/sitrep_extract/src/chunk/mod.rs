//! Base noun phrases and verb groups.

use sitrep_doc::{Doc, Layer};

use crate::Stage;

/// Finds base noun phrases and verb groups (auxiliaries, modals, negation, particles).
#[derive(Debug, Default)]
pub struct Chunker {}

impl Chunker {
    pub fn new() -> Chunker {
        Chunker {}
    }
}

impl Stage for Chunker {
    fn name(&self) -> &'static str {
        "chunk"
    }

    fn requires(&self) -> &'static [Layer] {
        &[Layer::Tokens, Layer::PartsOfSpeech, Layer::Lemmas]
    }

    fn assigns(&self) -> &'static [Layer] {
        &[Layer::Chunks]
    }

    fn process(&self, _doc: &mut Doc) {}
}
