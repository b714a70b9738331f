//! Property tests: any text through the segmenter gives valid, complete layers.

use proptest::prelude::*;
use sitrep_doc::{Doc, Meta};
use sitrep_extract::segment::{is_space, Segmenter};
use sitrep_extract::Stage;

/// Text built from pieces that stress the rules: abbreviations, quotes, dots, line breaks,
/// clitics, links, multi-byte characters.
fn newsy() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just(" ".to_owned()),
        Just("\n".to_owned()),
        Just("\n\n".to_owned()),
        Just("\r\n".to_owned()),
        Just(".".to_owned()),
        Just("...".to_owned()),
        Just("…".to_owned()),
        Just("?!".to_owned()),
        Just("\"".to_owned()),
        Just("'".to_owned()),
        Just("’".to_owned()),
        Just("“".to_owned()),
        Just("”".to_owned()),
        Just("(".to_owned()),
        Just(")".to_owned()),
        Just("U.S.".to_owned()),
        Just("Gen.".to_owned()),
        Just("No.".to_owned()),
        Just("p.m.".to_owned()),
        Just("The".to_owned()),
        Just("don't".to_owned()),
        Just("Russia’s".to_owned()),
        Just("2,839.5".to_owned()),
        Just("$".to_owned()),
        Just("-".to_owned()),
        Just("—".to_owned()),
        Just("1.".to_owned()),
        Just("•".to_owned()),
        Just("http://x.org/(a)".to_owned()),
        Just("a@b.com".to_owned()),
        Just("@".to_owned()),
        Just("#".to_owned()),
        Just("www.".to_owned()),
        Just("\u{200B}".to_owned()),
        Just("\u{a0}".to_owned()),
        Just("é".to_owned()),
        Just("\u{301}".to_owned()),
        Just("😀".to_owned()),
        "[a-zA-Z0-9]{1,6}",
        any::<char>().prop_map(String::from),
    ];
    prop::collection::vec(piece, 0..40).prop_map(|v| v.concat())
}

fn check(text: &str) -> Result<(), TestCaseError> {
    let mut doc = Doc::new(text, Meta::default());
    Segmenter::new().process(&mut doc);
    prop_assert!(doc.validate().is_ok(), "{:?}", doc.validate());
    let tokens = doc.tokens();
    let sentences = doc.sentences();
    let mut covered = vec![false; text.len()];
    let mut last_end = 0;
    for t in tokens {
        prop_assert!(!t.span.is_empty(), "empty token at {}", t.span);
        prop_assert!(
            t.span.start() >= last_end,
            "overlapping token at {}",
            t.span
        );
        last_end = t.span.end();
        let s = &text[t.span];
        prop_assert!(!s.chars().any(is_space), "whitespace in token {s:?}");
        for b in t.span.range() {
            covered[b] = true;
        }
    }
    for (i, c) in text.char_indices() {
        prop_assert!(
            is_space(c) || covered[i],
            "character {c:?} at {i} is in no token"
        );
    }
    let mut last_end = 0;
    let mut t = 0;
    for s in sentences {
        prop_assert!(
            s.span.start() >= last_end,
            "overlapping sentence at {}",
            s.span
        );
        last_end = s.span.end();
        let mut n = 0;
        while t < tokens.len() && s.span.contains(tokens[t].span) {
            t += 1;
            n += 1;
        }
        prop_assert!(n > 0, "sentence {} holds no token", s.span);
        prop_assert!(
            tokens[t - 1].span.end() == s.span.end(),
            "sentence {} does not end at a token",
            s.span
        );
    }
    prop_assert_eq!(t, tokens.len(), "some tokens are in no sentence");
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn any_string_gives_valid_layers(text in any::<String>()) {
        check(&text)?;
    }

    #[test]
    fn newsy_strings_give_valid_layers(text in newsy()) {
        check(&text)?;
    }
}

#[test]
fn edge_cases() {
    for text in [
        "", " ", "\n\n\n", ".", "....", "'", "’s", "n't", "U.S", "a.", "No.", "No. ", "http://",
        "www.", "@", "#1", "1.\n", "•", "\u{200B}", "\u{301}x", "1,", "1,000,", "10:", "'9",
    ] {
        check(text).unwrap_or_else(|e| panic!("{text:?}: {e}"));
    }
}
