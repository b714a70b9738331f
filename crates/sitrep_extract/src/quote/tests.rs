use sitrep_doc::{Doc, Meta};

use crate::Pipeline;

fn run(text: &str) -> Doc {
    let mut doc = Doc::new(text, Meta::default());
    Pipeline::standard().run(&mut doc);
    doc.set_quotes(super::direct_quotes(&doc));
    doc
}

#[test]
fn quote_with_said_after() {
    let text = "“We will win,” Putin said.";
    let doc = run(text);
    let q = &doc.quotes()[0];
    assert_eq!(&text[q.span], "“We will win,”");
    assert_eq!(&text[q.speaker_span.unwrap()], "Putin");
    assert_eq!(&text[q.cue.unwrap()], "said");
}

#[test]
fn quote_with_cue_before() {
    let text = "Vladimir Putin told reporters: \"The task has been solved.\"";
    let doc = run(text);
    let q = &doc.quotes()[0];
    assert_eq!(&text[q.span], "\"The task has been solved.\"");
    assert_eq!(&text[q.speaker_span.unwrap()], "Vladimir Putin");
    assert_eq!(&text[q.cue.unwrap()], "told");
}

#[test]
fn interrupted_quote_is_one() {
    let text = "\"We came,\" said the minister, \"and we stayed.\"";
    let doc = run(text);
    assert_eq!(doc.quotes().len(), 1);
    let q = &doc.quotes()[0];
    assert_eq!(
        &text[q.span],
        text.trim_end_matches('.').trim_end_matches('"').to_string() + "\""
    );
    assert_eq!(&text[q.speaker_span.unwrap()], "the minister");
}

fn staged(text: &str) -> Doc {
    let mut doc = Doc::new(text, Meta::default());
    Pipeline::standard().run(&mut doc);
    crate::Stage::process(&super::QuoteAttributor::new(), &mut doc);
    doc
}

#[test]
fn reported_speech_is_indirect() {
    let text = "Putin said the task had been solved. Troops left.";
    let doc = staged(text);
    let q = &doc.quotes()[0];
    assert!(q.indirect);
    assert_eq!(&text[q.span], "the task had been solved");
    assert_eq!(&text[q.speaker_span.unwrap()], "Putin");
    assert_eq!(q.speaker.as_deref(), Some("Vladimir Putin"));
    assert_eq!(&text[q.cue.unwrap()], "said");
}

#[test]
fn reported_speech_with_that_and_object() {
    let text = "The minister told reporters that the border would stay closed.";
    let doc = staged(text);
    let q = &doc.quotes()[0];
    assert!(q.indirect);
    assert_eq!(&text[q.span], "the border would stay closed");
    assert_eq!(&text[q.speaker_span.unwrap()], "The minister");
}

#[test]
fn reported_speech_before_the_cue() {
    let text = "The border would stay closed until March, the minister said.";
    let doc = staged(text);
    let q = &doc.quotes()[0];
    assert!(q.indirect);
    assert_eq!(&text[q.span], "The border would stay closed until March");
}

#[test]
fn direct_quote_is_not_indirect() {
    let text = "“We will win,” Putin said.";
    let doc = staged(text);
    assert_eq!(doc.quotes().len(), 1);
    assert!(!doc.quotes()[0].indirect);
}

#[test]
fn partial_quote_inside_reported_speech() {
    let text = "Clinton says the tweet is “unhinged, even for him.”";
    let doc = staged(text);
    assert_eq!(doc.quotes().len(), 1, "{:?}", doc.quotes());
    let q = &doc.quotes()[0];
    assert!(q.indirect);
    assert_eq!(&text[q.span], "the tweet is “unhinged, even for him.”");
}

#[test]
fn nested_quote_stays_inside() {
    let text = "“He told me ‘never again,’ and left,” she said.";
    let doc = staged(text);
    assert_eq!(doc.quotes().len(), 1);
    assert_eq!(
        &text[doc.quotes()[0].span],
        "“He told me ‘never again,’ and left,”"
    );
    assert_eq!(&text[doc.quotes()[0].speaker_span.unwrap()], "she");
}
