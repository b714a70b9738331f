//! Property tests: any word with any tag gets a lemma, without panicking.

use proptest::prelude::*;
use sitrep_doc::{Doc, Meta, Pos, Span, Token};
use sitrep_extract::lemma::Lemmatizer;
use sitrep_extract::Stage;

fn any_pos() -> impl Strategy<Value = Pos> {
    (0..Pos::ALL.len()).prop_map(|i| Pos::ALL[i])
}

/// Words that stress the suffix rules and the case handling, plus arbitrary strings.
fn wordish() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[A-Za-z'’-]{0,12}(s|es|ies|ves|ed|ied|ing|er|est|men|'s|n't)?",
        "[A-ZÀ-Ö][a-zß-ÿİı]{0,8}",
        "[0-9,.]{1,10}",
        Just("İ".to_owned()),
        Just("ß".repeat(40)),
        Just("A".repeat(100)),
    ]
}

proptest! {
    #[test]
    fn any_word_any_tag(word in wordish(), pos in any_pos(), start in any::<bool>()) {
        let lemmatizer = Lemmatizer::new();
        let lemma = lemmatizer.lemma_at(&word, pos, start);
        if !word.is_empty() {
            prop_assert!(!lemma.is_empty(), "empty lemma for {word:?} as {pos}");
        }
        let untagged = lemmatizer.lemma_untagged(&word);
        if !word.is_empty() {
            prop_assert!(!untagged.is_empty());
        }
    }

    #[test]
    fn the_stage_fills_every_token(words in prop::collection::vec((wordish(), prop::option::of(any_pos())), 0..12)) {
        let mut text = String::new();
        let mut tokens = Vec::new();
        for (word, pos) in &words {
            let start = text.len();
            text.push_str(word);
            let mut token = Token::new(Span::new(start, text.len()));
            token.pos = *pos;
            tokens.push(token);
            text.push(' ');
        }
        let mut doc = Doc::new(text, Meta::default());
        doc.set_tokens(tokens);
        Lemmatizer::new().process(&mut doc);
        for token in doc.tokens() {
            prop_assert!(token.lemma.is_some());
        }
    }
}
