//! The store test suite, run on every backend: SQLite always, PostgreSQL when
//! `SITREP_TEST_POSTGRES=postgres://…` names a server where the tests may create databases.

use std::path::Path;

use sitrep_doc::json::{to_json, JsonOptions};
use sitrep_doc::{
    content_id, Argument, DateFrom, DatePrecision, Doc, Entity, EntityLabel, Event, EventPlace,
    Meta, Place, PlaceFeature, Quote, Sentence, Span, Time, TimeType,
};
use sitrep_store::testing::databases;
use sitrep_store::{Backend, ErrorKind, Prepared, RunCounts, Store, Versions, Written};

/// A fresh, empty database per backend for the test `name`.
fn backends(name: &str) -> Vec<String> {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("sitrep_store");
    databases(
        &dir.join(format!("{name}.db")),
        &format!("sitrep_test_{name}"),
    )
}

fn span(text: &str, covered: &str) -> Span {
    let start = text.find(covered).unwrap();
    Span::new(start, start + covered.len())
}

/// A document with every layer filled, as the pipeline would leave it.
fn sample(id: &str, extra: &str) -> Doc {
    let text = format!(
        "Russian President Vladimir Putin ordered a partial withdrawal of troops from Syria on \
         Monday. \"The task has been fulfilled,\" Putin said in Latakia. {extra}"
    );
    let text = text.trim_end();
    let meta = Meta {
        id: Some(id.to_owned()),
        url: Some(format!("https://example.org/{id}")),
        title: Some("Putin orders withdrawal".to_owned()),
        source: Some("example.org".to_owned()),
        published: Some(jiff::civil::date(2017, 12, 12)),
    };
    let mut doc = Doc::new(text, meta);
    doc.set_language("en");
    let first = span(text, "Russian President Vladimir Putin ordered a partial withdrawal of troops from Syria on Monday.");
    let mut sentences = vec![Sentence { span: first }];
    let second_start = first.end() + 1;
    let second_end = text[second_start..]
        .find("Latakia.")
        .map(|i| second_start + i + "Latakia.".len())
        .unwrap();
    sentences.push(Sentence {
        span: Span::new(second_start, second_end),
    });
    if second_end < text.len() {
        sentences.push(Sentence {
            span: Span::new(second_end + 1, text.len()),
        });
    }
    doc.set_sentences(sentences);
    doc.set_entities(vec![
        Entity {
            span: span(text, "Vladimir Putin"),
            label: EntityLabel::Person,
            canonical: Some("Vladimir Putin".into()),
            actor: Some("RUSGOV".into()),
        },
        Entity {
            span: span(text, "Syria"),
            label: EntityLabel::Gpe,
            canonical: None,
            actor: Some("SYR".into()),
        },
    ]);
    doc.set_times(vec![Time {
        span: span(text, "Monday"),
        kind: TimeType::Date,
        value: Some("2017-12-11".into()),
        modifier: None,
    }]);
    doc.set_places(vec![
        Place {
            span: span(text, "Syria"),
            name: "Syria".into(),
            country: Some("SY".into()),
            admin1: None,
            lat: 35.0,
            lon: 38.0,
            geonameid: Some(163843),
            feature: PlaceFeature::Country,
        },
        Place {
            span: span(text, "Latakia"),
            name: "Latakia".into(),
            country: Some("SY".into()),
            admin1: Some("02".into()),
            lat: 35.52,
            lon: 35.79,
            geonameid: None,
            feature: PlaceFeature::City,
        },
    ]);
    doc.set_quotes(vec![Quote {
        span: span(text, "\"The task has been fulfilled,\""),
        speaker: Some("Vladimir Putin".into()),
        speaker_span: Some(span(text, "Putin said")).map(|s| Span::new(s.start(), s.start() + 5)),
        speaker_actor: Some("RUSGOV".into()),
        cue: Some(span(text, "said")),
        indirect: false,
    }]);
    doc.set_events(vec![Event {
        sentence: 0,
        trigger: span(text, "ordered a partial withdrawal"),
        code: "0874".into(),
        root: "08".into(),
        plover: Some("RETREAT".into()),
        goldstein: 9.0,
        quad: 1,
        source: Some(Argument {
            span: span(text, "Russian President Vladimir Putin"),
            actor: Some("RUSGOV".into()),
        }),
        target: Some(Argument {
            span: span(text, "Syria"),
            actor: Some("SYR".into()),
        }),
        date: Some("2017-12-11".into()),
        date_precision: Some(DatePrecision::Day),
        date_from: DateFrom::Text,
        place: Some(EventPlace {
            span: span(text, "Syria"),
            name: "Syria".into(),
            country: Some("SY".into()),
            lat: 35.0,
            lon: 38.0,
        }),
        negated: false,
        hypothetical: false,
        confidence: 0.8,
    }]);
    doc.set_tone(-1.5);
    doc.validate().unwrap();
    doc
}

fn json(doc: &Doc) -> String {
    to_json(doc, JsonOptions::default())
}

fn v1() -> Versions {
    Versions::new("0.1.0", "kb-0")
}

#[test]
fn a_stored_document_reads_back_equal() {
    for db in backends("round_trip") {
        let mut store = Store::open(&db).unwrap();
        let doc = sample("a1", "");
        let plain = Doc::new("No annotations at all.", Meta::default());
        let written = store
            .write(&[doc.clone(), plain.clone()], &v1(), None, false)
            .unwrap();
        assert_eq!(written, [Written::Stored, Written::Stored], "{db}");
        let back = store.document("a1").unwrap().expect("stored");
        assert_eq!(json(&back), json(&doc), "{db}");
        // By content hash too, and a document without an input id is found by its hash.
        let by_hash = store.document(&content_id(doc.text())).unwrap().unwrap();
        assert_eq!(json(&by_hash), json(&doc), "{db}");
        let back = store.document(plain.id()).unwrap().unwrap();
        assert_eq!(json(&back), json(&plain), "{db}");
        assert!(store.document("nope").unwrap().is_none(), "{db}");
        let stats = store.stats().unwrap();
        assert_eq!(stats.documents, 2, "{db}");
        assert_eq!(stats.sentences, 2, "{db}");
        assert_eq!(stats.entities, 2, "{db}");
        assert_eq!(stats.times, 1, "{db}");
        assert_eq!(stats.places, 2, "{db}");
        assert_eq!(stats.quotes, 1, "{db}");
        assert_eq!(stats.events, 1, "{db}");
        assert_eq!(stats.orphans, 0, "{db}");
    }
}

#[test]
fn a_prepared_document_is_stored_as_the_document_itself() {
    for db in backends("prepared") {
        let mut store = Store::open(&db).unwrap();
        // As ingest writes: without the memory map (then with it again, for the queries).
        store.set_memory_map(false).unwrap();
        store.set_cache_mb(8).unwrap();
        let doc = sample("a1", "");
        let prepared = Prepared::new(doc.clone());
        // Preparing drops what the store does not keep (tokens, chunks), nothing else.
        assert_eq!(json(prepared.doc()), json(&doc), "{db}");
        let written = store
            .write_prepared(&[prepared], &v1(), None, false)
            .unwrap();
        assert_eq!(written, [Written::Stored], "{db}");
        store.set_memory_map(true).unwrap();
        assert_eq!(
            json(&store.document("a1").unwrap().unwrap()),
            json(&doc),
            "{db}"
        );
        let again = store
            .write_prepared(&[Prepared::new(doc)], &v1(), None, false)
            .unwrap();
        assert_eq!(again, [Written::AlreadyStored], "{db}");
        // Looked up many at once (more than one statement's worth), the stored one is found.
        let hash = content_id(sample("a1", "").text());
        let mut wanted: Vec<String> = (0..40).map(|i| format!("{i:064x}")).collect();
        wanted.insert(35, hash.clone());
        let refs: Vec<&str> = wanted.iter().map(String::as_str).collect();
        let found = store.versions_of(&refs).unwrap();
        assert_eq!(found.len(), 1, "{db}");
        assert_eq!(found.get(&hash), Some(&v1()), "{db}");
        assert!(store.versions_of(&[]).unwrap().is_empty(), "{db}");
        let stats = store.stats().unwrap();
        assert_eq!(
            (stats.documents, stats.events, stats.orphans),
            (1, 1, 0),
            "{db}"
        );
        assert_eq!(store.search("withdrawal", 5).unwrap().len(), 1, "{db}");
    }
}

#[test]
fn storing_the_same_text_again_changes_nothing() {
    for db in backends("idempotent") {
        let mut store = Store::open(&db).unwrap();
        let doc = sample("a1", "");
        assert_eq!(
            store
                .write(std::slice::from_ref(&doc), &v1(), None, false)
                .unwrap(),
            [Written::Stored]
        );
        let before = store.stats().unwrap();
        // Same text under another id, twice in one batch, and again later: all one document.
        let mut renamed = sample("other-id", "");
        renamed.set_tone(3.0);
        let written = store
            .write(&[doc.clone(), renamed], &v1(), None, true)
            .unwrap();
        assert_eq!(
            written,
            [Written::AlreadyStored, Written::AlreadyStored],
            "{db}"
        );
        let fresh = sample("b1", "Troops began leaving on Tuesday.");
        let written = store
            .write(&[fresh.clone(), fresh], &v1(), None, false)
            .unwrap();
        assert_eq!(written, [Written::Stored, Written::AlreadyStored], "{db}");
        let after = store.stats().unwrap();
        assert_eq!(after.documents, before.documents + 1, "{db}");
        assert_eq!(after.events, before.events + 1, "{db}");
        assert_eq!(after.orphans, 0, "{db}");
        drop(store);
        // Reopening runs no migration twice.
        let mut store = Store::open(&db).unwrap();
        assert_eq!(store.stats().unwrap(), after, "{db}");
    }
}

#[test]
fn a_version_change_replaces_annotations_only_when_asked() {
    for db in backends("reprocess") {
        let mut store = Store::open(&db).unwrap();
        let old = sample("a1", "");
        store
            .write(std::slice::from_ref(&old), &v1(), None, false)
            .unwrap();
        assert_eq!(store.versions(&content_id(old.text())).unwrap(), Some(v1()));
        let v2 = Versions::new("0.2.0", "kb-0");
        // The new version finds one event fewer and no quotes.
        let mut new = old.clone();
        new.set_events(Vec::new());
        new.set_quotes(Vec::new());
        assert_eq!(
            store.write(&[new.clone()], &v2, None, false).unwrap(),
            [Written::AlreadyStored],
            "{db}"
        );
        assert_eq!(store.stats().unwrap().events, 1, "{db}");
        assert_eq!(
            store.write(&[new.clone()], &v2, None, true).unwrap(),
            [Written::Replaced],
            "{db}"
        );
        let stats = store.stats().unwrap();
        assert_eq!(
            (stats.documents, stats.events, stats.quotes),
            (1, 0, 0),
            "{db}"
        );
        assert_eq!(stats.sentences, 2, "{db}");
        assert_eq!(stats.orphans, 0, "{db}");
        assert_eq!(
            store.versions(&content_id(old.text())).unwrap(),
            Some(v2.clone())
        );
        assert_eq!(
            json(&store.document("a1").unwrap().unwrap()),
            json(&new),
            "{db}"
        );
        // Current now: asking to replace again does nothing.
        assert_eq!(
            store.write(&[new], &v2, None, true).unwrap(),
            [Written::AlreadyStored],
            "{db}"
        );
        // Search sees the replaced sentences once each.
        assert_eq!(store.search("fulfilled", 10).unwrap().len(), 1, "{db}");
    }
}

#[test]
fn search_finds_sentences_with_their_document() {
    for db in backends("search") {
        let mut store = Store::open(&db).unwrap();
        store
            .write(
                &[
                    sample("a1", ""),
                    sample("b1", "Convoys withdrew from Aleppo overnight."),
                ],
                &v1(),
                None,
                false,
            )
            .unwrap();
        let hits = store.search("aleppo", 10).unwrap();
        assert_eq!(hits.len(), 1, "{db}");
        assert_eq!(hits[0].id, "b1");
        assert_eq!(hits[0].title.as_deref(), Some("Putin orders withdrawal"));
        assert_eq!(hits[0].published.as_deref(), Some("2017-12-12"), "{db}");
        assert_eq!(hits[0].index, 2);
        assert_eq!(hits[0].sentence, "Convoys withdrew from Aleppo overnight.");
        // Stemmed: "withdrawal" and "withdrew" share no stem, "withdrawals" and "withdrawal" do.
        assert_eq!(store.search("withdrawals", 10).unwrap().len(), 2, "{db}");
        assert_eq!(
            store.search("\"partial withdrawal\"", 10).unwrap().len(),
            2,
            "{db}"
        );
        assert_eq!(
            store.search("\"withdrawal partial\"", 10).unwrap().len(),
            0,
            "{db}"
        );
        assert_eq!(
            store.search("convoys OR fulfilled", 10).unwrap().len(),
            3,
            "{db}"
        );
        assert_eq!(store.search("putin", 1).unwrap().len(), 1, "{db}");
        // Punctuation and operators are taken literally, never a syntax error.
        assert!(store.search("NOT (aleppo* AND", 10).is_ok(), "{db}");
        assert!(store.search("zanzibar", 10).unwrap().is_empty(), "{db}");
        let err = store.search("  ", 10).unwrap_err();
        assert_eq!(err.kind, ErrorKind::Input, "{db}");
        assert!(err.hint.is_some());
    }
}

#[test]
fn runs_are_recorded_and_interrupted_ones_show() {
    for db in backends("runs") {
        let mut store = Store::open(&db).unwrap();
        let run = store.begin_run(&v1()).unwrap();
        store
            .write(&[sample("a1", "")], &v1(), Some(run), false)
            .unwrap();
        let counts = RunCounts {
            read: 1,
            stored: 1,
            events: 1,
            ..RunCounts::default()
        };
        store.finish_run(run, &counts).unwrap();
        store.begin_run(&v1()).unwrap();
        let stats = store.stats().unwrap();
        assert_eq!((stats.runs, stats.unfinished_runs), (2, 1), "{db}");
    }
}

#[test]
fn errors_name_the_database_and_suggest_a_fix() {
    let missing = Path::new(env!("CARGO_TARGET_TMPDIR")).join("no/such/dir/sitrep.db");
    let err = Store::open(missing.to_str().unwrap()).unwrap_err();
    assert_eq!(err.kind, ErrorKind::Open);
    assert!(err.to_string().contains("no/such/dir/sitrep.db"), "{err}");
    assert!(err
        .hint
        .as_deref()
        .unwrap()
        .contains("exists and is writable"));

    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("sitrep_store");
    std::fs::create_dir_all(&dir).unwrap();
    let not_a_db = dir.join("not-a-db.db");
    std::fs::write(
        &not_a_db,
        "just some text, long enough to be a header? no.\n".repeat(50),
    )
    .unwrap();
    let err = Store::open(not_a_db.to_str().unwrap()).unwrap_err();
    assert_eq!(err.kind, ErrorKind::Open, "{err}");
    assert!(
        err.hint
            .as_deref()
            .unwrap()
            .contains("not a sitrep database"),
        "{err:?}"
    );

    // Nothing listens on port 1; the password is not repeated.
    let err = Store::open("postgres://me:secret@127.0.0.1:1/news").unwrap_err();
    assert_eq!(err.kind, ErrorKind::Open);
    assert_eq!(
        err.to_string(),
        "database postgres://me:***@127.0.0.1:1/news: could not connect"
    );
    assert!(err.hint.as_deref().unwrap().contains("server is running"));
}

#[test]
fn both_backends_share_one_api() {
    for db in backends("backend") {
        let store = Store::open(&db).unwrap();
        assert_eq!(store.backend(), Backend::of(&db));
        assert!(!store.name().contains("secret"));
    }
}
