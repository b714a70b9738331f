//! Part-of-speech tagging (Universal POS tags).
//!
//! A greedy averaged-perceptron tagger: each token's tag is chosen left to right from about thirty
//! hashed features (the word, its affixes, shape and capitalization, its word classes in the
//! lexicon, the neighbouring words and the two previous tags). The weights
//! (data/model/pos-tagger.bin) are trained on the GUM corpus by `cargo run --release -p xtask --
//! train tagger`; see data/model/SOURCE.md.
//!
//! ```
//! use sitrep_doc::Pos;
//! let tags = sitrep_extract::tag::PosTagger::new().tag_words(&["Troops", "left", "Syria", "."]);
//! assert_eq!(tags, [Pos::Noun, Pos::Verb, Pos::Propn, Pos::Punct]);
//! ```

mod features;
mod lexicon;
mod model;
mod table;
mod train;

use std::sync::LazyLock;

use sitrep_doc::{Doc, Layer, Pos};

use crate::Stage;
use features::{sentence_infos, TokenInfo};
use lexicon::Lexicon;
use model::Model;
pub use model::ModelError;
pub use train::Trainer;

const LEXICON: &str = include_str!("../../../../data/model/pos-lexicon.tsv");
const MODEL: &[u8] = include_bytes!("../../../../data/model/pos-tagger.bin");

static LEXICON_DATA: LazyLock<Lexicon> = LazyLock::new(|| Lexicon::parse(LEXICON));
static MODEL_DATA: LazyLock<Result<Model, ModelError>> = LazyLock::new(|| Model::from_bytes(MODEL));

fn lexicon() -> &'static Lexicon {
    &LEXICON_DATA
}

/// The compiled-in model, or an empty one if the file is broken (then every tag is the same;
/// [`PosTagger::check`] reports why).
fn model() -> &'static Model {
    static EMPTY: LazyLock<Model> = LazyLock::new(Model::default);
    MODEL_DATA.as_ref().unwrap_or(&EMPTY)
}

/// Assigns a Universal POS tag to every token.
#[derive(Debug, Clone, Copy)]
pub struct PosTagger {
    lexicon: &'static Lexicon,
    model: &'static Model,
}

impl Default for PosTagger {
    fn default() -> PosTagger {
        PosTagger::new()
    }
}

impl PosTagger {
    /// The tagger with the compiled-in model, loaded once per process.
    pub fn new() -> PosTagger {
        PosTagger {
            lexicon: lexicon(),
            model: model(),
        }
    }

    /// A tagger with another model (a model file's bytes, as written by [`Trainer::finish`]). The
    /// model is leaked to live as long as the process: for training and evaluation tools.
    pub fn from_model_bytes(bytes: &[u8]) -> Result<PosTagger, ModelError> {
        Ok(PosTagger {
            lexicon: lexicon(),
            model: Box::leak(Box::new(Model::from_bytes(bytes)?)),
        })
    }

    /// Whether the compiled-in model loaded, with its number of features.
    pub fn check() -> Result<usize, &'static ModelError> {
        MODEL_DATA.as_ref().map(Model::len)
    }

    /// Tags one sentence given as words.
    pub fn tag_words(&self, words: &[&str]) -> Vec<Pos> {
        let mut ctx = Vec::with_capacity(words.len() + 4);
        let mut out = Vec::with_capacity(words.len());
        self.tag_into(words.iter().copied(), &mut ctx, &mut out);
        out
    }

    /// Tags one sentence, appending to `out`; `ctx` is scratch space reused between calls.
    fn tag_into<'a>(
        &self,
        words: impl IntoIterator<Item = &'a str>,
        ctx: &mut Vec<TokenInfo>,
        out: &mut Vec<Pos>,
    ) {
        sentence_infos(words, self.lexicon, ctx);
        self.model.decode(ctx, out);
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

    fn process(&self, doc: &mut Doc) {
        let text = doc.text();
        let tokens = doc.tokens();
        let sentences = doc.sentences();
        let mut tags = Vec::with_capacity(tokens.len());
        let mut ctx = Vec::new();
        // Runs of tokens in the same sentence (tokens outside every sentence form runs of their own).
        let mut cursor = 0;
        let mut sentence_of = |t: &sitrep_doc::Token| {
            while cursor < sentences.len() && sentences[cursor].span.end() <= t.span.start() {
                cursor += 1;
            }
            sentences
                .get(cursor)
                .filter(|s| s.span.start() <= t.span.start() && t.span.end() <= s.span.end())
                .map(|_| cursor)
        };
        let mut start = 0;
        while start < tokens.len() {
            let key = sentence_of(&tokens[start]);
            let mut end = start + 1;
            while end < tokens.len() && sentence_of(&tokens[end]) == key {
                end += 1;
            }
            let words = tokens[start..end]
                .iter()
                .map(|t| text.get(t.span.range()).unwrap_or(""));
            self.tag_into(words, &mut ctx, &mut tags);
            start = end;
        }
        for (token, pos) in doc.tokens_mut().iter_mut().zip(tags) {
            token.pos = Some(pos);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::segment::Segmenter;
    use proptest::prelude::*;
    use sitrep_doc::Meta;

    fn tagged(text: &str) -> Vec<(String, Pos)> {
        let mut doc = Doc::new(text, Meta::default());
        Segmenter::new().process(&mut doc);
        PosTagger::new().process(&mut doc);
        doc.tokens()
            .iter()
            .map(|t| (doc.text()[t.span.range()].to_owned(), t.pos.unwrap()))
            .collect()
    }

    #[test]
    fn the_committed_model_loads() {
        let n = PosTagger::check().unwrap();
        assert!(n > 10_000, "{n} features");
        assert!(lexicon().len() > 50_000);
    }

    #[test]
    fn tags_a_news_sentence() {
        let tags = tagged(
            "Russian President Vladimir Putin ordered a partial withdrawal of his forces from Syria on Monday.",
        );
        let want = [
            ("Russian", Pos::Adj),
            ("President", Pos::Propn),
            ("Vladimir", Pos::Propn),
            ("Putin", Pos::Propn),
            ("ordered", Pos::Verb),
            ("a", Pos::Det),
            ("partial", Pos::Adj),
            ("withdrawal", Pos::Noun),
            ("of", Pos::Adp),
            ("his", Pos::Pron),
            ("forces", Pos::Noun),
            ("from", Pos::Adp),
            ("Syria", Pos::Propn),
            ("on", Pos::Adp),
            ("Monday", Pos::Propn),
            (".", Pos::Punct),
        ];
        let got: Vec<(&str, Pos)> = tags.iter().map(|(w, p)| (w.as_str(), *p)).collect();
        // "President" may be NOUN or PROPN (GUM's guidelines waver); every other tag is clear.
        for ((w, p), (gw, gp)) in want.iter().zip(&got) {
            assert_eq!(w, gw);
            if *w != "President" {
                assert_eq!(p, gp, "{w} in {got:?}");
            }
        }
        assert_eq!(got.len(), want.len());
    }

    #[test]
    fn tags_auxiliaries_negation_and_particles() {
        let tags = tagged("The talks were called off. They did not attack.");
        let get = |w: &str| tags.iter().find(|(t, _)| t == w).unwrap().1;
        assert_eq!(get("were"), Pos::Aux);
        assert_eq!(get("called"), Pos::Verb);
        assert_eq!(get("did"), Pos::Aux);
        assert_eq!(get("not"), Pos::Part);
        assert_eq!(get("attack"), Pos::Verb);
    }

    #[test]
    fn tokens_outside_sentences_and_empty_docs_are_fine() {
        let mut doc = Doc::new("", Meta::default());
        PosTagger::new().process(&mut doc);
        assert!(tagged("").is_empty());
        assert_eq!(PosTagger::new().tag_words(&[]), []);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]
        #[test]
        fn every_token_gets_a_tag(text in "\\PC{0,200}") {
            let mut doc = Doc::new(text.as_str(), Meta::default());
            Segmenter::new().process(&mut doc);
            PosTagger::new().process(&mut doc);
            prop_assert!(doc.tokens().iter().all(|t| t.pos.is_some()));
        }

        #[test]
        fn words_of_any_text_get_tags(words in proptest::collection::vec("\\PC{0,12}", 0..30)) {
            let words: Vec<&str> = words.iter().map(String::as_str).collect();
            prop_assert_eq!(PosTagger::new().tag_words(&words).len(), words.len());
        }
    }
}
