//! Property tests: any tag sequence over any token texts through the chunker never panics and
//! gives valid, in-bounds, non-overlapping chunks.

use proptest::prelude::*;
use sitrep_doc::{Doc, Meta, Pos, Sentence, Span, Token};
use sitrep_extract::chunk::{possessor, Chunker};
use sitrep_extract::Stage;

/// Token texts: the closed-class words the chunker looks for, and anything else.
fn word() -> impl Strategy<Value = String> {
    const CLOSED: [&str; 35] = [
        "not", "n't", "n’t", "never", "no", "longer", "to", "going", "is", "was", "been", "being",
        "has", "had", "'s", "’s", "'d", "did", "will", "wo", "would", "got", "off", "up", "by",
        "and", "his", "'", "more", "than", "at", "least", "what", "?", ".",
    ];
    prop_oneof![
        3 => prop::sample::select(&CLOSED[..]).prop_map(str::to_owned),
        1 => "[a-zA-Z]{1,8}",
        1 => "\\PC{1,3}",
    ]
}

fn token() -> impl Strategy<Value = (String, Option<Pos>, Option<String>, bool)> {
    (
        word(),
        prop::option::weighted(0.9, prop::sample::select(&Pos::ALL[..])),
        prop::option::of(prop_oneof!["[a-z]{0,6}", "\\PC{0,3}"]),
        prop::bool::weighted(0.15),
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn any_tags_give_valid_chunks(items in prop::collection::vec(token(), 0..40)) {
        let mut text = String::new();
        let mut tokens = Vec::new();
        let mut sentences = Vec::new();
        let mut sentence_start = 0;
        for (word, pos, lemma, ends_sentence) in &items {
            if !text.is_empty() {
                text.push(' ');
            }
            let start = text.len();
            text.push_str(word);
            tokens.push(Token {
                span: Span::new(start, text.len()),
                pos: *pos,
                lemma: lemma.clone().map(Into::into),
            });
            if *ends_sentence {
                sentences.push(Sentence { span: Span::new(sentence_start, text.len()) });
                sentence_start = text.len();
            }
        }
        let mut doc = Doc::new(text, Meta::default());
        doc.set_sentences(sentences);
        doc.set_tokens(tokens);
        Chunker::new().process(&mut doc);
        prop_assert!(doc.validate().is_ok(), "{:?}", doc.validate());
        let n = doc.tokens().len() as u32;
        let mut last_end = 0;
        for np in doc.noun_phrases() {
            prop_assert!(np.tokens.start < np.tokens.end && np.tokens.end <= n);
            prop_assert!(np.tokens.contains(&np.head.0));
            prop_assert!(np.tokens.start >= last_end, "noun phrases overlap");
            last_end = np.tokens.end;
            if let Some(p) = possessor(&doc, np) {
                prop_assert!(p.start >= np.tokens.start && p.end < np.tokens.end);
            }
        }
        let mut last_end = 0;
        for vg in doc.verb_groups() {
            prop_assert!(vg.tokens.start < vg.tokens.end && vg.tokens.end <= n);
            prop_assert!(vg.tokens.contains(&vg.head.0));
            prop_assert!(vg.tokens.start >= last_end, "verb groups overlap");
            last_end = vg.tokens.end;
            for t in [vg.particle, vg.modal].into_iter().flatten() {
                prop_assert!(t.0 < n);
            }
        }
    }
}
