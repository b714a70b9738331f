//! Sentences and tokens for news English, by rules over the text's bytes.
//!
//! [`Segmenter`] tokenizes in one forward pass ([`token`](self) module), then places sentence
//! boundaries between tokens (`sentence` module) using word lists from `data/segment/`
//! (abbreviations, words that start sentences, top-level domains). Spans are byte offsets into the
//! unchanged text; every character that is not [whitespace](is_space) lies in exactly one token and
//! every token in exactly one sentence.
//!
//! Token conventions (Penn Treebank / Universal Dependencies where they have one):
//! - punctuation is its own token; runs of one mark stay together ("--", "...", "?!", "''");
//! - clitics split off: "don't" → "do" "n't", "Russia's" → "Russia" "'s" (also with ’);
//! - hyphenated words stay whole ("pro-Russian", "ex-president", "U.S.-led");
//! - abbreviations keep their period ("U.S.", "Gen.", "a.m.", the initial "W.");
//! - numbers stay whole ("2,839", "3.5", "1990s", "4.5bn", "10:30", "5.30pm", "'90s");
//! - currency symbols and "%" are separate tokens: "$4.5bn" → "$" "4.5bn", "3%" → "3" "%";
//! - URLs, bare domains with a known top-level domain, e-mail addresses, @handles and #hashtags
//!   are one token, less trailing sentence punctuation.

mod lexicon;
mod sentence;
mod token;

use sitrep_doc::{Doc, Layer, Sentence, Span, Token};

use crate::Stage;
use lexicon::Lexicon;
pub use token::is_space;

/// Splits text into sentences and tokens.
#[derive(Debug)]
pub struct Segmenter {
    lexicon: &'static Lexicon,
}

impl Default for Segmenter {
    fn default() -> Segmenter {
        Segmenter::new()
    }
}

impl Segmenter {
    pub fn new() -> Segmenter {
        Segmenter {
            lexicon: lexicon::lexicon(),
        }
    }

    /// The sentences and tokens of `text`, sorted, as [`Stage::process`] sets them.
    pub fn segment(&self, text: &str) -> (Vec<Sentence>, Vec<Token>) {
        let mut toks = Vec::with_capacity(text.len() / 5 + 1);
        token::tokenize(text, self.lexicon, &mut toks);
        let sentences = sentence::split(text, &toks, self.lexicon)
            .into_iter()
            .map(|(first, last)| Sentence {
                span: Span::new(toks[first].start as usize, toks[last].end as usize),
            })
            .collect();
        let tokens = toks
            .iter()
            .map(|t| Token::new(Span::new(t.start as usize, t.end as usize)))
            .collect();
        (sentences, tokens)
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
        let (sentences, tokens) = self.segment(doc.text());
        doc.set_sentences(sentences);
        doc.set_tokens(tokens);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sitrep_doc::Meta;

    #[test]
    fn sets_both_layers() {
        let mut doc = Doc::new("Putin didn't go. He stayed.", Meta::default());
        Segmenter::new().process(&mut doc);
        let sentences: Vec<&str> = doc.sentences().iter().map(|s| doc.slice(s.span)).collect();
        assert_eq!(sentences, ["Putin didn't go.", "He stayed."]);
        let tokens: Vec<&str> = doc.tokens().iter().map(|t| doc.slice(t.span)).collect();
        assert_eq!(
            tokens,
            ["Putin", "did", "n't", "go", ".", "He", "stayed", "."]
        );
        assert!(doc.validate().is_ok());
    }
}
