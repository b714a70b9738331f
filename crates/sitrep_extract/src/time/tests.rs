//! Golden tests: tests/time/golden.txt lists small documents written for sitrep, each with its
//! publication date and every expression the tagger must find, with type and value.
//!
//! Format: blocks separated by blank lines. `published YYYY-MM-DD` (or `published none`) sets the
//! date for the blocks that follow; a block is one or more lines of text, then lines
//! `  covered text => TYPE value [mod=MOD]` (value `-` for none), the complete list in text order.

use proptest::prelude::*;
use sitrep_doc::{Doc, Meta};

use super::*;
use crate::segment::Segmenter;

const GOLDEN: &str = include_str!("../../tests/time/golden.txt");

fn run(text: &str, published: Option<jiff::civil::Date>) -> Doc {
    let mut doc = Doc::new(
        text,
        Meta {
            published,
            ..Meta::default()
        },
    );
    Segmenter::new().process(&mut doc);
    TimeResolver::new().process(&mut doc);
    doc
}

fn kind_name(k: TimeType) -> &'static str {
    match k {
        TimeType::Date => "DATE",
        TimeType::Time => "TIME",
        TimeType::Duration => "DURATION",
        TimeType::Set => "SET",
    }
}

fn show(doc: &Doc) -> Vec<String> {
    doc.times()
        .iter()
        .map(|t| {
            let m = t
                .modifier
                .as_deref()
                .map(|m| format!(" mod={m}"))
                .unwrap_or_default();
            format!(
                "{} => {} {}{m}",
                doc.slice(t.span),
                kind_name(t.kind),
                t.value.as_deref().unwrap_or("-")
            )
        })
        .collect()
}

#[test]
fn golden() {
    let mut published = None;
    let mut failures = Vec::new();
    let mut blocks = 0;
    for block in GOLDEN.split("\n\n") {
        let mut text = String::new();
        let mut want = Vec::new();
        for line in block.lines() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            if let Some(d) = line.strip_prefix("published ") {
                published = if d.trim() == "none" {
                    None
                } else {
                    Some(d.trim().parse().expect("a date after `published`"))
                };
            } else if let Some(exp) = line.strip_prefix("  ") {
                want.push(exp.trim().to_owned());
            } else {
                if !text.is_empty() {
                    text.push(' ');
                }
                text.push_str(line);
            }
        }
        if text.is_empty() {
            continue;
        }
        blocks += 1;
        let got = show(&run(&text, published));
        if got != want {
            failures.push(format!(
                "text: {text}\n  published: {published:?}\n  want: {want:#?}\n  got:  {got:#?}"
            ));
        }
    }
    assert!(blocks > 40, "golden file has too few blocks");
    assert!(
        failures.is_empty(),
        "{} of {blocks} golden blocks differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn governing_time_and_fallback() {
    let text = "Officials said on Monday that troops had left. Talks continue.";
    let doc = run(text, Some("2017-12-12".parse().unwrap()));
    let n = doc.tokens().len() as u32;
    let t = TimeResolver::governing(&doc, 0, 0..n).unwrap();
    assert_eq!(doc.slice(t.span), "Monday");
    assert_eq!(
        event_date(&doc, 0, 0..3),
        Some(("2017-12-11".into(), DatePrecision::Day, DateFrom::Text))
    );
    // the second sentence has no time: the publication date
    assert_eq!(
        event_date(&doc, 1, n - 3..n),
        Some(("2017-12-12".into(), DatePrecision::Day, DateFrom::Published))
    );
    let none = run("Troops left.", None);
    assert_eq!(event_date(&none, 0, 0..2), None);
}

#[test]
fn precision_of_values() {
    let t = |v: &str| Time {
        span: Span::new(0, 0),
        kind: TimeType::Date,
        value: Some(v.into()),
        modifier: None,
    };
    assert_eq!(
        date_of(&t("2017-12-11")),
        Some(("2017-12-11".into(), DatePrecision::Day))
    );
    assert_eq!(
        date_of(&t("2017-12-09TMO")),
        Some(("2017-12-09".into(), DatePrecision::Day))
    );
    assert_eq!(
        date_of(&t("2015-09")),
        Some(("2015-09".into(), DatePrecision::Month))
    );
    assert_eq!(
        date_of(&t("2017-W50")),
        Some(("2017-12".into(), DatePrecision::Month))
    );
    assert_eq!(
        date_of(&t("2015")),
        Some(("2015".into(), DatePrecision::Year))
    );
    assert_eq!(
        date_of(&t("2016-SU")),
        Some(("2016".into(), DatePrecision::Year))
    );
    assert_eq!(date_of(&t("PRESENT_REF")), None);
    assert_eq!(date_of(&t("199")), None);
}

#[test]
fn stage_contract() {
    let r = TimeResolver::new();
    assert_eq!(r.name(), "time");
    assert_eq!(r.requires(), &[Layer::Sentences, Layer::Tokens]);
    assert_eq!(r.assigns(), &[Layer::Times]);
}

proptest! {
    #[test]
    fn any_text_gives_valid_sorted_spans(text in "\\PC{0,200}", dated in any::<bool>()) {
        let doc = run(&text, dated.then(|| "2017-12-12".parse().unwrap()));
        let mut last = 0;
        for t in doc.times() {
            prop_assert!(t.span.start() >= last);
            prop_assert!(t.span.end() <= text.len());
            prop_assert!(!doc.slice(t.span).is_empty());
            last = t.span.end();
        }
    }

    #[test]
    fn temporal_words_in_any_order(words in proptest::collection::vec(prop::sample::select(vec![
        "the", "last", "next", "Monday", "Dec.", "11", ",", "2017", "12/11/2017", "mid-2016",
        "three", "years", "ago", "later", "early", "of", "that", "year", "every", "week", "morning",
        "1990s", "'90s", "10:30", "p.m.", "fourth", "quarter", "summer", "following", "day", "-",
        "twenty", "four", "a", "few", "more", "than", "end", "May", "31st", "0", "99999999999",
    ]), 0..30)) {
        let text = words.join(" ");
        let doc = run(&text, Some("2017-12-12".parse().unwrap()));
        let mut last = 0;
        for t in doc.times() {
            prop_assert!(t.span.start() >= last);
            last = t.span.end();
        }
        let undated = run(&text, None);
        prop_assert!(undated.validate().is_ok());
    }
}
