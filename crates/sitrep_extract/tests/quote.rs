//! Golden tests of the quote stage on fixtures written for the project (tests/quote/*.txt).

use std::sync::LazyLock;

use sitrep_doc::{Doc, Meta, Quote};
use sitrep_extract::quote::QuoteAttributor;
use sitrep_extract::tone::ToneScorer;
use sitrep_extract::{Pipeline, Stage};

static PIPELINE: LazyLock<Pipeline> = LazyLock::new(Pipeline::standard);

fn run(text: &str) -> Doc {
    let mut doc = Doc::new(text, Meta::default());
    PIPELINE.run(&mut doc);
    if !PIPELINE.stage_names().contains(&"quote") {
        QuoteAttributor::new().process(&mut doc);
    }
    if !PIPELINE.stage_names().contains(&"tone") {
        ToneScorer::new().process(&mut doc);
    }
    doc
}

fn direct(doc: &Doc) -> Vec<Quote> {
    doc.quotes()
        .iter()
        .filter(|q| !q.indirect)
        .cloned()
        .collect()
}

fn speaker_text<'a>(doc: &'a Doc, q: &Quote) -> Option<&'a str> {
    q.speaker_span.map(|s| &doc.text()[s])
}

#[test]
fn putin_quotes_are_attributed_to_putin() {
    let doc = run(include_str!("quote/putin.txt"));
    let quotes = direct(&doc);
    assert_eq!(quotes.len(), 2, "{quotes:#?}");
    for q in &quotes {
        assert_eq!(q.speaker.as_deref(), Some("Vladimir Putin"));
        assert_eq!(speaker_text(&doc, q), Some("Putin"));
        assert_eq!(q.speaker_actor.as_deref(), Some("RUSGOV"));
    }
    let text = doc.text();
    assert!(text[quotes[0].span].starts_with("“The task of fighting"));
    assert!(text[quotes[0].span].ends_with("spectacularly,”"));
    assert_eq!(&text[quotes[0].cue.unwrap()], "told");
    assert!(text[quotes[1].span].starts_with("\"If the terrorists"));
    assert_eq!(&text[quotes[1].cue.unwrap()], "said");
}

#[test]
fn a_quote_spanning_two_paragraphs_is_one_quote() {
    let doc = run(include_str!("quote/paragraphs.txt"));
    let quotes = direct(&doc);
    assert_eq!(quotes.len(), 1, "{quotes:#?}");
    let text = &doc.text()[quotes[0].span];
    assert!(text.starts_with("\"We have waited"));
    assert!(text.ends_with("not endless,\""));
    assert!(text.contains("\n\n\"But"));
    assert_eq!(quotes[0].speaker.as_deref(), Some("Sergey Lavrov"));
}

#[test]
fn he_said_is_resolved() {
    let doc = run(include_str!("quote/he_said.txt"));
    let quotes = direct(&doc);
    assert_eq!(quotes.len(), 1, "{quotes:#?}");
    assert_eq!(speaker_text(&doc, &quotes[0]), Some("he"));
    assert_eq!(quotes[0].speaker.as_deref(), Some("Vladimir Putin"));
    assert_eq!(quotes[0].speaker_actor.as_deref(), Some("RUSGOV"));
}

#[test]
fn an_unbalanced_mark_does_not_swallow_the_article() {
    let doc = run(include_str!("quote/unbalanced.txt"));
    let text = doc.text();
    for q in direct(&doc) {
        assert!(!text[q.span].contains('\n'), "{:?}", &text[q.span]);
    }
    let quotes = direct(&doc);
    let last = quotes.last().expect("the last quote is found");
    assert_eq!(
        &text[last.span],
        "\"We thank residents for their patience,\""
    );
    assert_eq!(speaker_text(&doc, last), Some("the mayor's office"));
}

#[test]
fn reported_speech_in_the_putin_fixture() {
    let doc = run(include_str!("quote/putin.txt"));
    let reported: Vec<&Quote> = doc.quotes().iter().filter(|q| q.indirect).collect();
    let shoigu = reported
        .iter()
        .find(|q| {
            q.speaker.as_deref() == Some("Sergei Shoigu")
                || q.speaker_span
                    .is_some_and(|s| doc.text()[s].contains("Shoigu"))
        })
        .expect("Shoigu's reported speech");
    assert_eq!(&doc.text()[shoigu.span], "the pullout would begin soon");
}

#[test]
fn document_tone_is_set() {
    let doc = run(include_str!("quote/putin.txt"));
    assert!(doc.tone().is_some());
}
