//! Golden tests for the event coder: a fixture article written for sitrep, and negation,
//! denial, threat and conditional cases.

use jiff::civil::date;
use sitrep_doc::layer::{DateFrom, Event};
use sitrep_doc::{Doc, Meta};
use sitrep_extract::event::EventCoder;
use sitrep_extract::{builtin_knowledge_base, Pipeline};

fn run(text: &str, published: jiff::civil::Date) -> Doc {
    let mut doc = Doc::new(
        text,
        Meta {
            published: Some(published),
            ..Meta::default()
        },
    );
    Pipeline::standard().run(&mut doc);
    let coder = EventCoder::new(builtin_knowledge_base());
    let events = coder.code(&doc);
    doc.set_events(events);
    doc
}

fn show(doc: &Doc, e: &Event) -> String {
    let arg = |a: &Option<sitrep_doc::layer::Argument>| match a {
        Some(a) => format!(
            "{:?}({:?})",
            &doc.text()[a.span],
            a.actor.as_deref().unwrap_or("-")
        ),
        None => "-".into(),
    };
    format!(
        "{} {:?} {} -> {} date {:?} ({:?}) plover {:?}",
        e.code,
        &doc.text()[e.trigger],
        arg(&e.source),
        arg(&e.target),
        e.date.as_deref().unwrap_or("-"),
        e.date_from,
        e.plover.as_deref().unwrap_or("-"),
    )
}

fn dump(doc: &Doc) -> String {
    doc.events()
        .iter()
        .map(|e| format!("  {}", show(doc, e)))
        .collect::<Vec<_>>()
        .join("\n")
}

/// An expected event: trigger text, code prefix, source and target actor prefixes, date.
struct Want {
    trigger: &'static str,
    code: &'static str,
    source: &'static str,
    target: &'static str,
    date: &'static str,
}

fn find<'a>(doc: &'a Doc, w: &Want) -> Option<&'a Event> {
    doc.events().iter().find(|e| {
        let actor = |a: &Option<sitrep_doc::layer::Argument>| {
            a.as_ref().and_then(|a| a.actor.clone()).unwrap_or_default()
        };
        doc.text()[e.trigger].eq_ignore_ascii_case(w.trigger)
            && e.code.starts_with(w.code)
            && actor(&e.source).starts_with(w.source)
            && actor(&e.target).starts_with(w.target)
            && e.date.as_deref() == Some(w.date)
    })
}

#[test]
fn syria_withdrawal_article() {
    let text = include_str!("event/syria_withdrawal.txt");
    let doc = run(text, date(2017, 12, 12));
    assert!(doc.validate().is_ok());
    let wants = [
        Want {
            trigger: "withdrew",
            code: "08",
            source: "RUS",
            target: "SYR",
            date: "2017-12-11",
        },
        Want {
            trigger: "visited",
            code: "04",
            source: "RUS",
            target: "SYR",
            date: "2017-12-11",
        },
        Want {
            trigger: "asked",
            code: "02",
            source: "SYR",
            target: "RUS",
            date: "2015",
        },
        Want {
            trigger: "strike",
            code: "19",
            source: "RUS",
            target: "",
            date: "2015-09",
        },
        Want {
            trigger: "captured",
            code: "19",
            source: "SYR",
            target: "SYRREB",
            date: "2016-12",
        },
        Want {
            trigger: "captured",
            code: "19",
            source: "SYR",
            target: "",
            date: "2017-11",
        },
        Want {
            trigger: "threatened",
            code: "13",
            source: "RUS",
            target: "",
            date: "2017-12-12",
        },
        Want {
            trigger: "called",
            code: "02",
            source: "RUS",
            target: "IRN",
            date: "2017-12-12",
        },
        Want {
            trigger: "called",
            code: "02",
            source: "RUS",
            target: "TUR",
            date: "2017-12-12",
        },
    ];
    let missing: Vec<String> = wants
        .iter()
        .filter(|w| find(&doc, w).is_none())
        .map(|w| {
            format!(
                "  {} {}x {} -> {} on {}",
                w.trigger, w.code, w.source, w.target, w.date
            )
        })
        .collect();
    assert!(
        missing.is_empty(),
        "missing events:\n{}\ncoded:\n{}",
        missing.join("\n"),
        dump(&doc)
    );
    let withdrawal = find(&doc, &wants[0]).unwrap();
    assert_eq!(withdrawal.date_from, DateFrom::Text);
    assert_eq!(withdrawal.plover.as_deref(), Some("RETREAT"));
}

/// Sentences that must not yield an attack (19x); `threat` says whether a 13x is expected.
#[test]
fn negation_and_hypotheticals() {
    let cases = [
        ("Turkey did not attack Syria on Tuesday.", false),
        ("Turkey denied attacking Syria on Tuesday.", false),
        ("Iran threatened to attack Israel on Tuesday.", true),
        ("If Israel attacks Iran, Iran will respond.", false),
        ("Russia could attack Ukraine.", false),
    ];
    let mut failures = Vec::new();
    for (text, threat) in cases {
        let doc = run(text, date(2017, 12, 12));
        let attacks = doc.events().iter().any(|e| e.root == "19");
        let threats = doc.events().iter().any(|e| e.root == "13");
        if attacks || threats != threat {
            failures.push(format!(
                "{text:?} (threat expected: {threat}):\n{}",
                dump(&doc)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn reported_speech_codes_the_reported_act() {
    let doc = run(
        "Syrian officials said Turkey attacked Syria on Tuesday.",
        date(2017, 12, 12),
    );
    let want = Want {
        trigger: "attacked",
        code: "19",
        source: "TUR",
        target: "SYR",
        date: "2017-12-12",
    };
    assert!(find(&doc, &want).is_some(), "coded:\n{}", dump(&doc));
}

#[test]
fn plain_attack_is_coded() {
    let doc = run("Turkey attacked Syria on Tuesday.", date(2017, 12, 12));
    assert!(
        doc.events().iter().any(|e| e.code == "190"),
        "coded:\n{}",
        dump(&doc)
    );
}
