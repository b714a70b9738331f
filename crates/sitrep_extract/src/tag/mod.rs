//! Part-of-speech tagging (Universal POS tags).

use sitrep_doc::{Doc, Layer};

use crate::Stage;

/// Assigns a Universal POS tag to every token.
#[derive(Debug, Default)]
pub struct PosTagger {}

impl PosTagger {
    pub fn new() -> PosTagger {
        PosTagger {}
    }
}

impl Stage for PosTagger {
    fn name(&self) -> &'static str {
        "tag"
    }

    fn requires(&self) -> &'static [Layer] {
        &[Layer::Tokens]
    }

    fn assigns(&self) -> &'static [Layer] {
        &[Layer::PartsOfSpeech]
    }

    fn process(&self, _doc: &mut Doc) {}
}
