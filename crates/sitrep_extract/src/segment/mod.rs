//! Sentences and tokens.

use sitrep_doc::{Doc, Layer, Sentence, Span, Token};

use crate::Stage;

/// Splits text into sentences and tokens.
#[derive(Debug, Default)]
pub struct Segmenter {}

impl Segmenter {
    pub fn new() -> Segmenter {
        Segmenter {}
    }
}

impl Stage for Segmenter {
    fn name(&self) -> &'static str {
        "segment"
    }

    fn assigns(&self) -> &'static [Layer] {
        &[Layer::Sentences, Layer::Tokens]
    }

    fn process(&self, doc: &mut Doc) {
        let text = doc.text();
        let mut sentences = Vec::new();
        let mut tokens = Vec::new();
        let mut start = None;
        for (i, c) in text.char_indices() {
            match (c.is_whitespace(), start) {
                (true, Some(s)) => {
                    tokens.push(Token::new(Span::new(s, i)));
                    start = None;
                }
                (false, None) => start = Some(i),
                _ => {}
            }
        }
        if let Some(s) = start {
            tokens.push(Token::new(Span::new(s, text.len())));
        }
        if let (Some(first), Some(last)) = (tokens.first(), tokens.last()) {
            sentences.push(Sentence {
                span: Span::new(first.span.start(), last.span.end()),
            });
        }
        doc.set_sentences(sentences);
        doc.set_tokens(tokens);
    }
}
