//! Lemmas: the dictionary form of every token.

use sitrep_doc::{Doc, Layer};

use crate::Stage;

/// Assigns a lemma to every token, using its part of speech.
#[derive(Debug, Default)]
pub struct Lemmatizer {}

impl Lemmatizer {
    pub fn new() -> Lemmatizer {
        Lemmatizer {}
    }
}

impl Stage for Lemmatizer {
    fn name(&self) -> &'static str {
        "lemma"
    }

    fn requires(&self) -> &'static [Layer] {
        &[Layer::Tokens, Layer::PartsOfSpeech]
    }

    fn assigns(&self) -> &'static [Layer] {
        &[Layer::Lemmas]
    }

    fn process(&self, _doc: &mut Doc) {}
}
