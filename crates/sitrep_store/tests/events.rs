//! Event queries and the merge step, on every backend: SQLite always, PostgreSQL when
//! `SITREP_TEST_POSTGRES=postgres://…` names a server where the tests may create databases.

use std::path::Path;

use sitrep_doc::{Argument, DateFrom, DatePrecision, Doc, Event, EventPlace, Meta, Sentence, Span};
use sitrep_store::testing::databases;
use sitrep_store::{ErrorKind, EventCursor, EventFilter, Period, Store, Versions};

/// A fresh, empty database per backend for the test `name`.
fn backends(name: &str) -> Vec<String> {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("sitrep_store_events");
    databases(
        &dir.join(format!("{name}.db")),
        &format!("sitrep_test_ev_{name}"),
    )
}

/// One event mention to put in a test document.
#[derive(Clone)]
struct Ev {
    /// The sentence; its first word names the source, its last word the target.
    sentence: &'static str,
    trigger: &'static str,
    source: Option<&'static str>,
    target: Option<&'static str>,
    code: &'static str,
    date: Option<&'static str>,
    place: Option<(&'static str, &'static str, f64, f64)>,
    negated: bool,
}

fn ev(
    sentence: &'static str,
    trigger: &'static str,
    source: &'static str,
    target: &'static str,
    code: &'static str,
) -> Ev {
    Ev {
        sentence,
        trigger,
        source: Some(source),
        target: Some(target),
        code,
        date: None,
        place: None,
        negated: false,
    }
}

impl Ev {
    fn on(mut self, date: &'static str) -> Ev {
        self.date = Some(date);
        self
    }
    fn at(mut self, name: &'static str, country: &'static str, lat: f64, lon: f64) -> Ev {
        self.place = Some((name, country, lat, lon));
        self
    }
    fn negated(mut self) -> Ev {
        self.negated = true;
        self
    }
}

const ALEPPO: (&str, &str, f64, f64) = ("Aleppo", "SY", 36.20, 37.16);

fn quad(root: &str) -> u8 {
    match root {
        "01" | "02" | "03" | "04" | "05" => 1,
        "06" | "07" | "08" => 2,
        "09" | "10" | "11" | "12" | "13" => 3,
        _ => 4,
    }
}

/// A document made of the events' sentences.
fn doc(id: &str, published: &str, events: &[Ev]) -> Doc {
    let mut text = String::new();
    let mut sentences = Vec::new();
    let mut layer = Vec::new();
    for (i, e) in events.iter().enumerate() {
        if !text.is_empty() {
            text.push(' ');
        }
        let start = text.len();
        text.push_str(e.sentence);
        sentences.push(Sentence {
            span: Span::new(start, text.len()),
        });
        let trigger = start + e.sentence.find(e.trigger).expect("trigger in sentence");
        let first_word = e.sentence.find(' ').unwrap_or(e.sentence.len());
        let last_word = e
            .sentence
            .trim_end_matches('.')
            .rfind(' ')
            .map_or(0, |i| i + 1);
        let last_end = e.sentence.trim_end_matches('.').len();
        let root = &e.code[..2];
        layer.push(Event {
            sentence: i as u32,
            trigger: Span::new(trigger, trigger + e.trigger.len()),
            code: e.code.into(),
            root: root.into(),
            plover: None,
            goldstein: if quad(root) > 2 { -5.0 } else { 3.0 },
            quad: quad(root),
            source: e.source.map(|a| Argument {
                span: Span::new(start, start + first_word),
                actor: Some(a.into()),
            }),
            target: e.target.map(|a| Argument {
                span: Span::new(start + last_word, start + last_end),
                actor: Some(a.into()),
            }),
            date: e.date.map(Into::into),
            date_precision: e.date.map(|d| match d.len() {
                4 => DatePrecision::Year,
                7 => DatePrecision::Month,
                _ => DatePrecision::Day,
            }),
            date_from: DateFrom::Text,
            place: e.place.map(|(name, country, lat, lon)| EventPlace {
                span: Span::new(start, start + first_word),
                name: name.into(),
                country: Some(country.into()),
                lat,
                lon,
            }),
            negated: e.negated,
            hypothetical: false,
            confidence: 0.5 + i as f64 / 100.0,
        });
    }
    let meta = Meta {
        id: Some(id.to_owned()),
        url: Some(format!("https://example.org/{id}")),
        title: Some(format!("Title of {id}")),
        source: Some("example.org".into()),
        published: Some(published.parse().unwrap()),
    };
    let mut doc = Doc::new(text, meta);
    doc.set_sentences(sentences);
    doc.set_events(layer);
    doc.validate().unwrap();
    doc
}

fn v1() -> Versions {
    Versions::new("0.1.0", "kb-1")
}

/// Several wordings of one event (Russia bombs Syria in Aleppo on 2017-12-11), and three that
/// differ from it in one respect each.
fn one_event_many_reports() -> Vec<Doc> {
    let strike = |s, t| ev(s, t, "RUSMIL", "SYR", "195");
    vec![
        doc(
            "a",
            "2017-12-11",
            &[
                strike(
                    "Russian jets bombed rebel positions around Aleppo.",
                    "bombed",
                )
                .on("2017-12-11")
                .at(ALEPPO.0, ALEPPO.1, ALEPPO.2, ALEPPO.3),
                strike("The Russian raids hit Syria.", "raids").on("2017-12-11"),
            ],
        ),
        doc(
            "b",
            "2017-12-12",
            &[
                strike(
                    "Moscow carried out air strikes near Aleppo on Syria.",
                    "air strikes",
                )
                .on("2017-12")
                .at("Aleppo countryside", "SY", 36.35, 37.25),
                strike("Russia did not strike Syria.", "strike")
                    .on("2017-12-11")
                    .negated(),
            ],
        ),
        doc(
            "c",
            "2017-12-13",
            &[strike("Russian aircraft pounded Syria.", "pounded").on("2017-12-11")],
        ),
        // Another date.
        doc(
            "d",
            "2017-11-03",
            &[strike("Russian jets struck Syria.", "struck")
                .on("2017-11-02")
                .at(ALEPPO.0, ALEPPO.1, ALEPPO.2, ALEPPO.3)],
        ),
        // Another place.
        doc(
            "e",
            "2017-12-12",
            &[strike("Russian jets hit Homs in Syria.", "hit")
                .on("2017-12-11")
                .at("Homs", "SY", 34.73, 36.71)],
        ),
        // Another target.
        doc(
            "f",
            "2017-12-12",
            &[ev(
                "Russian jets bombed Turkey.",
                "bombed",
                "RUSMIL",
                "TUR",
                "195",
            )
            .on("2017-12-11")],
        ),
    ]
}

#[test]
fn reports_of_one_event_merge_and_others_stay_apart() {
    for db in backends("merge") {
        let mut store = Store::open(&db).unwrap();
        store
            .write(&one_event_many_reports(), &v1(), None, false)
            .unwrap();
        let page = store
            .events(&EventFilter {
                limit: 100,
                ..Default::default()
            })
            .unwrap();
        assert_eq!(page.total, 4, "{db}: {:#?}", page.events);
        let main = page
            .events
            .iter()
            .find(|e| e.mentions > 1)
            .expect("the merged event");
        assert_eq!((main.mentions, main.documents), (4, 3), "{db}");
        assert_eq!(main.date.as_deref(), Some("2017-12-11"));
        assert_eq!(main.date_precision.as_deref(), Some("day"));
        assert_eq!(main.place.as_ref().unwrap().name, "Aleppo");
        assert_eq!(main.evidence.doc, "a");
        let ev = &main.evidence;
        assert_eq!(&ev.text[ev.trigger[0]..ev.trigger[1]], "bombed");
        let others: Vec<_> = page.events.iter().filter(|e| e.mentions == 1).collect();
        assert_eq!(others.len(), 3);
        assert!(others.iter().all(|e| e.documents == 1));

        let mentions = store.mentions(main.id).unwrap();
        let docs: Vec<&str> = mentions.iter().map(|m| m.evidence.doc.as_str()).collect();
        assert_eq!(docs, ["a", "a", "b", "c"], "{db}: oldest document first");
        assert_eq!(
            mentions
                .iter()
                .map(|m| &m.evidence.text[m.evidence.trigger[0]..m.evidence.trigger[1]])
                .collect::<Vec<_>>(),
            ["bombed", "raids", "air strikes", "pounded"]
        );
        assert!(store.mentions(-1).unwrap().is_empty());

        // Mentions include the negated one.
        let all = store
            .events(&EventFilter {
                mentions: true,
                limit: 100,
                ..Default::default()
            })
            .unwrap();
        assert_eq!(all.total, 8);
        assert!(all
            .events
            .iter()
            .all(|e| e.mentions == 1 && e.documents == 1));
        let stats = store.stats().unwrap();
        assert_eq!(
            (stats.events, stats.merged_events, stats.orphans),
            (8, 4, 0),
            "{db}"
        );
    }
}

/// Every field of every merged event, and the same fields recomputed from its mentions by the
/// rules of src/merge.rs (SQLite: the writer updates a joined event from the row and the new
/// mention alone, and this checks it against the definition).
fn merged_against_mentions(db: &str) -> (Vec<Vec<String>>, Vec<Vec<String>>) {
    let conn = rusqlite::Connection::open(db).unwrap();
    let rows = |sql: &str| -> Vec<Vec<String>> {
        let mut statement = conn.prepare(sql).unwrap();
        let n = statement.column_count();
        statement
            .query_map([], |row| {
                Ok((0..n)
                    .map(|i| format!("{:?}", row.get_ref(i).unwrap()))
                    .collect())
            })
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    let stored = rows(
        "SELECT id, mentions, documents, confidence, first_mention, date, date_precision, \
         date_start, date_end, place_name, place_country, lat, lon FROM merged_events ORDER BY id",
    );
    let recomputed = rows(
        "SELECT m.id, (SELECT count(*) FROM events e WHERE e.merged = m.id), \
         (SELECT count(DISTINCT e.doc) FROM events e WHERE e.merged = m.id), \
         (SELECT max(e.confidence) FROM events e WHERE e.merged = m.id), \
         (SELECT min(e.id) FROM events e WHERE e.merged = m.id), \
         d.date, d.date_precision, d.date_start, d.date_end, \
         p.place_name, p.place_country, p.lat, p.lon FROM merged_events m \
         LEFT JOIN events d ON d.id = (SELECT e.id FROM events e WHERE e.merged = m.id \
           AND e.date_start IS NOT NULL ORDER BY length(e.date) DESC, e.id LIMIT 1) \
         LEFT JOIN events p ON p.id = (SELECT e.id FROM events e WHERE e.merged = m.id \
           AND e.place_name IS NOT NULL ORDER BY e.id LIMIT 1) ORDER BY m.id",
    );
    (stored, recomputed)
}

#[test]
fn a_joined_event_equals_one_recomputed_from_its_mentions() {
    let strike = |s, t| ev(s, t, "RUSMIL", "SYR", "195");
    let docs = vec![
        // Month first, then the day: the more precise date wins; the first place fills in.
        doc(
            "j1",
            "2017-12-12",
            &[strike("Russia bombed Syria.", "bombed").on("2017-12")],
        ),
        doc(
            "j2",
            "2017-12-12",
            &[
                strike("Russian jets bombed Aleppo in Syria.", "bombed")
                    .on("2017-12-11")
                    .at(ALEPPO.0, ALEPPO.1, ALEPPO.2, ALEPPO.3),
                // The same event again in the same document: one more mention, no more documents.
                strike("The raids hit Syria.", "raids").on("2017-12-11"),
            ],
        ),
        // Less precise, then as precise with another nearby place: both stay as they were.
        doc(
            "j3",
            "2017-12-13",
            &[strike("Russia struck Syria.", "struck").on("2017")],
        ),
        doc(
            "j4",
            "2017-12-13",
            &[strike("Russian aircraft pounded Syria.", "pounded")
                .on("2017-12-11")
                .at("Aleppo countryside", "SY", 36.35, 37.25)],
        ),
        // Undated reports in one document.
        doc(
            "j5",
            "2017-12-14",
            &[
                strike("Russia shelled Syria.", "shelled"),
                strike("The shelling of Syria went on.", "shelling")
                    .at(ALEPPO.0, ALEPPO.1, ALEPPO.2, ALEPPO.3),
            ],
        ),
    ];
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("sitrep_store");
    std::fs::create_dir_all(&dir).unwrap();
    for one_by_one in [true, false] {
        let db = dir
            .join(format!("joined-{one_by_one}.db"))
            .display()
            .to_string();
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{db}{suffix}"));
        }
        let mut store = Store::open(&db).unwrap();
        if one_by_one {
            for d in &docs {
                store
                    .write(std::slice::from_ref(d), &v1(), None, false)
                    .unwrap();
            }
        } else {
            store.write(&docs, &v1(), None, false).unwrap();
        }
        assert_eq!(store.stats().unwrap().orphans, 0);
        let (stored, recomputed) = merged_against_mentions(&db);
        assert_eq!(stored, recomputed, "written one by one: {one_by_one}");
        // The dated event took five mentions from four documents, the day, and Aleppo.
        let page = store.events(&EventFilter::default()).unwrap();
        let dated = page.events.iter().find(|e| e.date.is_some()).unwrap();
        assert_eq!((dated.mentions, dated.documents), (5, 4));
        assert_eq!(dated.date.as_deref(), Some("2017-12-11"));
        assert_eq!(
            dated.place.as_ref().map(|p| p.name.as_str()),
            Some(ALEPPO.0)
        );
    }
}

#[test]
fn replacing_or_deleting_a_document_fixes_counts() {
    for db in backends("replace") {
        let mut store = Store::open(&db).unwrap();
        let docs = one_event_many_reports();
        store.write(&docs, &v1(), None, false).unwrap();
        let biggest = |store: &mut Store| {
            let page = store
                .events(&EventFilter {
                    limit: 100,
                    ..Default::default()
                })
                .unwrap();
            let main = page
                .events
                .iter()
                .max_by_key(|e| e.mentions)
                .cloned()
                .unwrap();
            (page.total, main.mentions, main.documents)
        };
        assert_eq!(biggest(&mut store), (4, 4, 3));
        // Reprocessing with new versions: same events, same counts.
        let v2 = Versions::new("0.2.0", "kb-1");
        store.write(&docs[..1], &v2, None, true).unwrap();
        assert_eq!(biggest(&mut store), (4, 4, 3), "{db}");
        // The new version finds one mention fewer in document a.
        let mut fewer = docs[0].clone();
        let mut events = fewer.events().to_vec();
        events.pop();
        fewer.set_events(events);
        let v3 = Versions::new("0.3.0", "kb-1");
        store.write(&[fewer], &v3, None, true).unwrap();
        assert_eq!(biggest(&mut store), (4, 3, 3), "{db}");
        assert_eq!(store.delete_document("b").unwrap(), 1);
        assert_eq!(biggest(&mut store), (4, 2, 2), "{db}");
        for id in ["a", "c", "d", "e"] {
            assert_eq!(store.delete_document(id).unwrap(), 1);
        }
        assert_eq!(store.delete_document("nothing").unwrap(), 0);
        let stats = store.stats().unwrap();
        assert_eq!(
            (stats.merged_events, stats.orphans),
            (1, 0),
            "{db}: only f's event is left"
        );
        store.delete_document("f").unwrap();
        assert_eq!(store.stats().unwrap().merged_events, 0);
    }
}

#[test]
fn same_event_twice_in_one_document_merges_but_vague_mentions_stay_in_their_document() {
    for db in backends("vague") {
        let mut store = Store::open(&db).unwrap();
        let undated = |s| ev(s, "protested", "UKR", "RUS", "141");
        store
            .write(
                &[
                    doc(
                        "x",
                        "2020-01-02",
                        &[
                            undated("Ukrainians protested against Russia."),
                            undated("Crowds protested against Russia."),
                        ],
                    ),
                    doc(
                        "y",
                        "2020-01-03",
                        &[undated("Kyiv protested against Russia.")],
                    ),
                ],
                &v1(),
                None,
                false,
            )
            .unwrap();
        let page = store.events(&EventFilter::default()).unwrap();
        let mut counts: Vec<(u32, u32)> = page
            .events
            .iter()
            .map(|e| (e.mentions, e.documents))
            .collect();
        counts.sort();
        assert_eq!(counts, [(1, 1), (2, 1)], "{db}");
        assert_eq!(store.stats().unwrap().orphans, 0);
    }
}

/// A small corpus for the filters.
fn corpus() -> Vec<Doc> {
    vec![
        doc(
            "p1",
            "2015-03-02",
            &[
                ev(
                    "Russia criticized Ukraine.",
                    "criticized",
                    "RUS",
                    "UKR",
                    "111",
                )
                .on("2015-03-02"),
                ev(
                    "Russian forces attacked Ukraine.",
                    "attacked",
                    "RUSMIL",
                    "UKRMIL",
                    "190",
                )
                .on("2015-03-01")
                .at("Donetsk", "UA", 48.0, 37.8),
            ],
        ),
        doc(
            "p2",
            "2016-06-10",
            &[
                ev(
                    "America sent aid to Syria.",
                    "sent aid",
                    "USA",
                    "SYR",
                    "070",
                )
                .on("2016-06")
                .at("Aleppo", "SY", 36.2, 37.16),
                ev("Syria praised Russia.", "praised", "SYRGOV", "RUS", "051").on("2016-06-09"),
            ],
        ),
        doc(
            "p3",
            "2017-12-12",
            &[
                ev(
                    "Russian jets bombed Syria.",
                    "bombed",
                    "RUSMIL",
                    "SYRREB",
                    "195",
                )
                .on("2017-12-11")
                .at("Idlib", "SY", 35.93, 36.63),
                ev(
                    "Turkey threatened Syria.",
                    "threatened",
                    "TUR",
                    "SYR",
                    "130",
                )
                .on("2017"),
            ],
        ),
        doc(
            "p4",
            "2017-12-18",
            &[
                ev(
                    "Russia withdrew troops from Syria.",
                    "withdrew troops",
                    "RUS",
                    "SYR",
                    "0874",
                )
                .on("2017-12-18")
                .at("Aleppo", "SY", 36.2, 37.16),
                ev("Iran met Turkey.", "met", "IRN", "TUR", "040"),
            ],
        ),
    ]
}

fn ids(page: &sitrep_store::EventPage) -> Vec<String> {
    page.events
        .iter()
        .map(|e| {
            format!(
                "{}>{}:{}",
                e.source.as_deref().unwrap_or("-"),
                e.target.as_deref().unwrap_or("-"),
                e.code
            )
        })
        .collect()
}

#[test]
fn filters_compose_and_pages_are_newest_first() {
    for db in backends("filters") {
        let mut store = Store::open(&db).unwrap();
        store.write(&corpus(), &v1(), None, false).unwrap();
        let mut q = |f: EventFilter| store.events(&f).unwrap();
        let all = q(EventFilter::default());
        assert_eq!(all.total, 8);
        // Newest first by first day: a year-dated event counts from January 1st; undated last.
        let expected_order = [
            "RUS>SYR:0874",
            "RUSMIL>SYRREB:195",
            "TUR>SYR:130",
            "SYRGOV>RUS:051",
            "USA>SYR:070",
            "RUS>UKR:111",
            "RUSMIL>UKRMIL:190",
            "IRN>TUR:040",
        ];
        assert_eq!(ids(&all), expected_order, "{db}");
        let f = |actor: Option<&str>, target: Option<&str>| EventFilter {
            actor: actor.map(Into::into),
            target: target.map(Into::into),
            ..Default::default()
        };
        assert_eq!(
            ids(&q(f(Some("RUS"), None))),
            [
                "RUS>SYR:0874",
                "RUSMIL>SYRREB:195",
                "RUS>UKR:111",
                "RUSMIL>UKRMIL:190"
            ]
        );
        assert_eq!(
            ids(&q(f(Some("RUSMIL"), None))),
            ["RUSMIL>SYRREB:195", "RUSMIL>UKRMIL:190"]
        );
        assert_eq!(
            ids(&q(f(Some("RUS"), Some("SYR")))),
            ["RUS>SYR:0874", "RUSMIL>SYRREB:195"]
        );
        assert_eq!(q(f(Some("XYZ"), None)).total, 0);
        assert_eq!(q(f(None, Some("TUR"))).total, 1);
        let either = q(EventFilter {
            either: Some("TUR".into()),
            ..Default::default()
        });
        assert_eq!(ids(&either), ["TUR>SYR:130", "IRN>TUR:040"]);
        let mut code = |c: &str| {
            q(EventFilter {
                code: Some(c.into()),
                ..Default::default()
            })
            .total
        };
        assert_eq!(
            (code("19"), code("195"), code("08"), code("0874"), code("2")),
            (2, 1, 1, 1, 0)
        );
        let mut quad = |n: u8| {
            q(EventFilter {
                quad: Some(n),
                ..Default::default()
            })
            .total
        };
        assert_eq!((quad(1), quad(2), quad(3), quad(4)), (2, 2, 2, 2));
        let mut dates = |from: Option<&str>, to: Option<&str>| {
            ids(&q(EventFilter {
                from: from.map(Into::into),
                to: to.map(Into::into),
                ..Default::default()
            }))
        };
        assert_eq!(
            dates(Some("2017-12"), None),
            ["RUS>SYR:0874", "RUSMIL>SYRREB:195", "TUR>SYR:130"],
            "{db}: a year overlaps its months"
        );
        assert_eq!(
            dates(Some("2017-12-12"), Some("2017-12-17")),
            ["TUR>SYR:130"]
        );
        assert_eq!(
            dates(None, Some("2015")),
            ["RUS>UKR:111", "RUSMIL>UKRMIL:190"]
        );
        assert_eq!(
            dates(Some("2015-03-02"), Some("2015-03-02")),
            ["RUS>UKR:111"]
        );
        assert_eq!(
            dates(Some("2016-06-05"), Some("2016-06-05")),
            ["USA>SYR:070"],
            "a month overlaps its days"
        );
        let place = q(EventFilter {
            place: Some("aleppo".into()),
            ..Default::default()
        });
        assert_eq!(ids(&place), ["RUS>SYR:0874", "USA>SYR:070"]);
        assert_eq!(
            q(EventFilter {
                country: Some("sy".into()),
                ..Default::default()
            })
            .total,
            3
        );
        assert_eq!(
            q(EventFilter {
                country: Some("UA".into()),
                ..Default::default()
            })
            .total,
            1
        );
        let text = q(EventFilter {
            text: Some("withdrew troops".into()),
            ..Default::default()
        });
        assert_eq!(ids(&text), ["RUS>SYR:0874"], "{db}");
        let composed = q(EventFilter {
            actor: Some("RUS".into()),
            country: Some("SY".into()),
            from: Some("2017".into()),
            quad: Some(4),
            ..Default::default()
        });
        assert_eq!(ids(&composed), ["RUSMIL>SYRREB:195"]);
        // Paging.
        let p1 = q(EventFilter {
            limit: 3,
            offset: 0,
            ..Default::default()
        });
        assert_eq!(
            (p1.total, p1.events.len(), p1.limit, p1.offset),
            (8, 3, 3, 0)
        );
        let p3 = q(EventFilter {
            limit: 3,
            offset: 6,
            ..Default::default()
        });
        assert_eq!(ids(&p3), ["RUSMIL>UKRMIL:190", "IRN>TUR:040"]);
        let beyond = q(EventFilter {
            limit: 3,
            offset: 60,
            ..Default::default()
        });
        assert_eq!((beyond.total, beyond.events.len()), (8, 0));
        assert_eq!(
            q(EventFilter {
                limit: 1_000_000,
                ..Default::default()
            })
            .limit,
            10_000
        );
        assert_eq!(
            q(EventFilter {
                limit: 0,
                ..Default::default()
            })
            .limit,
            100
        );
        // Mentions.
        let m = q(EventFilter {
            mentions: true,
            actor: Some("RUS".into()),
            ..Default::default()
        });
        assert_eq!(m.total, 4);
        assert_eq!(m.events[0].evidence.doc, "p4");
        assert_eq!(
            m.events[0].evidence.text,
            "Russia withdrew troops from Syria."
        );
        assert_eq!(
            m.events[0].evidence.published.as_deref(),
            Some("2017-12-18")
        );
        assert_eq!(m.events[0].evidence.title.as_deref(), Some("Title of p4"));
        assert_eq!(m.events[0].source_text.as_deref(), Some("Russia"));
    }
}

#[test]
fn bad_input_is_an_input_error_with_a_hint() {
    for db in backends("bad_input") {
        let mut store = Store::open(&db).unwrap();
        for (filter, hint) in [
            (
                EventFilter {
                    from: Some("2017-13".into()),
                    ..Default::default()
                },
                "YYYY-MM",
            ),
            (
                EventFilter {
                    to: Some("yesterday".into()),
                    ..Default::default()
                },
                "YYYY-MM-DD",
            ),
            (
                EventFilter {
                    from: Some("2017-02-30".into()),
                    ..Default::default()
                },
                "YYYY",
            ),
            (
                EventFilter {
                    quad: Some(5),
                    ..Default::default()
                },
                "material conflict",
            ),
            (
                EventFilter {
                    text: Some("  ".into()),
                    ..Default::default()
                },
                "search",
            ),
        ] {
            let err = store.events(&filter).unwrap_err();
            assert_eq!(err.kind, ErrorKind::Input, "{db}: {filter:?}");
            assert!(
                err.hint.as_deref().unwrap_or_default().contains(hint),
                "{err:?}"
            );
            let err = store.timeline(&filter, Period::Month).unwrap_err();
            assert_eq!(err.kind, ErrorKind::Input);
        }
        let err = store
            .events(&EventFilter {
                from: Some("2017-13".into()),
                ..Default::default()
            })
            .unwrap_err();
        assert!(err.message.contains("2017-13"), "{}", err.message);
    }
}

#[test]
fn timeline_counts_by_period_and_quad() {
    for db in backends("timeline") {
        let mut store = Store::open(&db).unwrap();
        store.write(&corpus(), &v1(), None, false).unwrap();
        let t = |store: &mut Store, by| {
            store
                .timeline(&EventFilter::default(), by)
                .unwrap()
                .into_iter()
                .map(|b| (b.period, b.quad, b.total))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            t(&mut store, Period::Year),
            [
                ("2015-01-01".to_string(), [0, 0, 1, 1], 2),
                ("2016-01-01".to_string(), [1, 1, 0, 0], 2),
                ("2017-01-01".to_string(), [0, 1, 1, 1], 3),
            ],
            "{db}"
        );
        assert_eq!(
            t(&mut store, Period::Month),
            [
                ("2015-03-01".to_string(), [0, 0, 1, 1], 2),
                ("2016-06-01".to_string(), [1, 1, 0, 0], 2),
                ("2017-01-01".to_string(), [0, 0, 1, 0], 1),
                ("2017-12-01".to_string(), [0, 1, 0, 1], 2),
            ]
        );
        let weeks: Vec<(String, u64)> = t(&mut store, Period::Week)
            .into_iter()
            .map(|b| (b.0, b.2))
            .collect();
        assert_eq!(
            weeks,
            [
                ("2015-02-23".to_string(), 1), // Sunday 2015-03-01
                ("2015-03-02".to_string(), 1), // Monday
                ("2016-05-30".to_string(), 1), // 2016-06-01, a Wednesday
                ("2016-06-06".to_string(), 1),
                ("2016-12-26".to_string(), 1), // 2017-01-01, a Sunday
                ("2017-12-11".to_string(), 1),
                ("2017-12-18".to_string(), 1),
            ],
            "{db}"
        );
        let days = t(&mut store, Period::Day);
        assert_eq!(days.len(), 7);
        assert_eq!(days[0].0, "2015-03-01");
        let syria = store
            .timeline(
                &EventFilter {
                    country: Some("SY".into()),
                    ..Default::default()
                },
                Period::Year,
            )
            .unwrap();
        assert_eq!(syria.iter().map(|b| b.total).sum::<u64>(), 3);
        let mentions = store
            .timeline(
                &EventFilter {
                    mentions: true,
                    ..Default::default()
                },
                Period::Year,
            )
            .unwrap();
        assert_eq!(mentions.iter().map(|b| b.total).sum::<u64>(), 7);
    }
}

#[test]
fn actors_network_places_and_documents() {
    for db in backends("aggregates") {
        let mut store = Store::open(&db).unwrap();
        store.write(&corpus(), &v1(), None, false).unwrap();
        let all = EventFilter::default();
        let actors = store.actors(&all, 3).unwrap();
        let top: Vec<(&str, u64, u64)> = actors
            .iter()
            .map(|a| (a.actor.as_str(), a.as_source, a.as_target))
            .collect();
        assert_eq!(
            top,
            [("RUS", 2, 1), ("SYR", 0, 3), ("RUSMIL", 2, 0)],
            "{db}"
        );
        assert_eq!(actors[0].name.as_deref(), Some("Russia"));
        assert_eq!(actors[1].name.as_deref(), Some("Syria"));
        let network = store
            .network(
                &EventFilter {
                    either: Some("SYR".into()),
                    ..Default::default()
                },
                10,
            )
            .unwrap();
        assert_eq!(network.len(), 5);
        assert!(network
            .iter()
            .all(|e| e.total == 1 && e.quad.iter().sum::<u64>() == 1));
        let rus_syr = network
            .iter()
            .find(|e| e.source == "RUS" && e.target == "SYR")
            .unwrap();
        assert_eq!(rus_syr.quad, [0, 1, 0, 0]);
        assert_eq!(store.network(&all, 2).unwrap().len(), 2);
        let places = store.event_places(&all, 10).unwrap();
        assert_eq!(places[0].name, "Aleppo");
        assert_eq!((places[0].events, places[0].mentions), (2, 2));
        assert_eq!(places[0].country.as_deref(), Some("SY"));
        assert!((places[0].lat - 36.2).abs() < 1e-9);
        assert_eq!(places.len(), 3);
        let (total, docs) = store.documents(2, 0).unwrap();
        assert_eq!(total, 4);
        let names: Vec<&str> = docs.iter().map(|d| d.id.as_str()).collect();
        assert_eq!(names, ["p4", "p3"], "{db}: newest first");
        assert_eq!(docs[0].events, 2);
        assert_eq!(docs[0].published.as_deref(), Some("2017-12-18"));
        assert_eq!(docs[0].title.as_deref(), Some("Title of p4"));
        let (_, rest) = store.documents(10, 2).unwrap();
        assert_eq!(
            rest.iter().map(|d| d.id.as_str()).collect::<Vec<_>>(),
            ["p2", "p1"]
        );
    }
}

/// The 0001 schema, as a previous sitrep left it, with two reports of one event.
#[test]
fn a_store_from_before_merged_events_upgrades_in_place() {
    for db in backends("upgrade") {
        let schema = if db.starts_with("postgres") {
            include_str!("../migrations/postgres/0001_documents.sql")
        } else {
            include_str!("../migrations/sqlite/0001_documents.sql")
        };
        let f = "FALSE";
        let mut sql = format!(
            "{schema};\nCREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, \
             applied TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP);\n\
             INSERT INTO schema_migrations (version, name) VALUES (1, 'documents');\n"
        );
        for (hash, day, sentence) in [
            ("h1", "2020-05-01", "Israel struck Gaza."),
            ("h2", "2020-05-02", "Israeli jets hit Gaza."),
        ] {
            sql.push_str(&format!(
                "INSERT INTO documents (hash, id, published, text, json, sitrep_version, kb_version) \
                 VALUES ('{hash}', '{hash}', '{day}', '{sentence}', '{{}}', '0.0.1', 'kb-0');\n\
                 INSERT INTO sentences (doc, idx, start, \"end\", text) VALUES ('{hash}', 0, 0, {len}, '{sentence}');\n\
                 INSERT INTO events (doc, idx, sentence, trigger_start, trigger_end, trigger_text, code, root, \
                 goldstein, quad, source_actor, target_actor, date, date_precision, date_from, negated, \
                 hypothetical, confidence) VALUES ('{hash}', 0, 0, 7, 13, 'struck', '190', '19', -10, 4, \
                 'ISR', 'PSE', '2020-05-01', 'day', 'text', {f}, {f}, 0.9);\n",
                len = sentence.len()
            ));
        }
        if db.starts_with("postgres") {
            let mut client = postgres::Client::connect(&db, postgres::NoTls).unwrap();
            client.batch_execute(&sql).unwrap();
        } else {
            let conn = rusqlite::Connection::open(&db).unwrap();
            conn.execute_batch(&sql).unwrap();
        }
        let mut store = Store::open(&db).unwrap();
        let page = store.events(&EventFilter::default()).unwrap();
        assert_eq!(page.total, 1, "{db}");
        assert_eq!((page.events[0].mentions, page.events[0].documents), (2, 2));
        assert_eq!(page.events[0].evidence.text, "Israel struck Gaza.");
        let stats = store.stats().unwrap();
        assert_eq!(
            (stats.events, stats.merged_events, stats.orphans),
            (2, 1, 0),
            "{db}"
        );
        // Reopening changes nothing.
        drop(store);
        let mut store = Store::open(&db).unwrap();
        assert_eq!(store.events(&EventFilter::default()).unwrap().total, 1);
    }
}

/// Several writers storing reports of one event at once still make one event.
#[test]
fn concurrent_writers_merge_into_one_event() {
    for db in backends("concurrent") {
        Store::open(&db).unwrap();
        let threads: Vec<_> = (0..4)
            .map(|w| {
                let db = db.clone();
                std::thread::spawn(move || {
                    let mut store = Store::open(&db).unwrap();
                    for i in 0..5 {
                        let id = format!("w{w}-{i}");
                        let sentence: &'static str = Box::leak(
                            format!("Writer {w} report {i}: China warned Japan.").into_boxed_str(),
                        );
                        let d = doc(
                            &id,
                            "2021-03-04",
                            &[ev(sentence, "warned", "CHN", "JPN", "130").on("2021-03-04")],
                        );
                        store.write(&[d], &v1(), None, false).unwrap();
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        let mut store = Store::open(&db).unwrap();
        let page = store.events(&EventFilter::default()).unwrap();
        assert_eq!(page.total, 1, "{db}");
        assert_eq!(
            (page.events[0].mentions, page.events[0].documents),
            (20, 20)
        );
        assert_eq!(store.stats().unwrap().orphans, 0);
    }
}

/// Many generated documents: every filter's total and pages (read off indexes, counts and
/// unions of index reads) equal the unfiltered list filtered here, before and after
/// documents are deleted and replaced.
#[test]
fn fast_paths_agree_with_the_unfiltered_list() {
    const ACTORS: &[&str] = &[
        "RUS", "RUSMIL", "SYR", "SYRGOV", "TUR", "USA", "FRA", "FRAGOV",
    ];
    const CODES: &[&str] = &["040", "043", "111", "190", "195", "070", "130", "0874"];
    const DATES: &[Option<&str>] = &[
        Some("2015-03-02"),
        Some("2015-03"),
        Some("2016"),
        Some("2016-12-31"),
        Some("2017-01-01"),
        Some("2017-06"),
        Some("2017-06-15"),
        Some("2018-02-28"),
        None,
    ];
    const PLACES: &[Option<(&str, &str, f64, f64)>] = &[
        Some(("Aleppo", "SY", 36.2, 37.16)),
        Some(("Donetsk", "UA", 48.0, 37.8)),
        Some(("Ankara", "TR", 39.93, 32.86)),
        None,
    ];
    let mut seed: u64 = 7;
    let mut pick = |n: usize| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) as usize % n
    };
    let mut docs = Vec::new();
    for d in 0..60 {
        let mut evs = Vec::new();
        for i in 0..3 {
            let (s, t) = (ACTORS[pick(ACTORS.len())], ACTORS[pick(ACTORS.len())]);
            let sentence: &'static str =
                Box::leak(format!("{s} acted on doc {d} item {i} towards {t}.").into_boxed_str());
            let mut e = ev(sentence, "acted", s, t, CODES[pick(CODES.len())]);
            if let Some(date) = DATES[pick(DATES.len())] {
                e = e.on(date);
            }
            if let Some((name, country, lat, lon)) = PLACES[pick(PLACES.len())] {
                e = e.at(name, country, lat, lon);
            }
            evs.push(e);
        }
        docs.push(doc(&format!("g{d}"), "2018-03-01", &evs));
    }
    let filters: Vec<EventFilter> = {
        let s = |v: &str| Some(v.to_owned());
        let mut f = vec![
            EventFilter::default(),
            EventFilter {
                actor: s("RUS"),
                ..Default::default()
            },
            EventFilter {
                target: s("SYR"),
                ..Default::default()
            },
            EventFilter {
                actor: s("RUS"),
                target: s("SYR"),
                ..Default::default()
            },
            EventFilter {
                actor: s("RUSMIL"),
                target: s("SYR"),
                ..Default::default()
            },
            EventFilter {
                actor: s("RUS"),
                target: s("TUR"),
                ..Default::default()
            },
            EventFilter {
                either: s("FRA"),
                ..Default::default()
            },
            EventFilter {
                either: s("SYR"),
                quad: Some(1),
                ..Default::default()
            },
            EventFilter {
                either: s("RUS"),
                target: s("SYR"),
                ..Default::default()
            },
            EventFilter {
                code: s("19"),
                ..Default::default()
            },
            EventFilter {
                code: s("04"),
                actor: s("RUS"),
                ..Default::default()
            },
            EventFilter {
                quad: Some(4),
                ..Default::default()
            },
            EventFilter {
                from: s("2016-01"),
                to: s("2017-06"),
                ..Default::default()
            },
            EventFilter {
                from: s("2016-12-31"),
                to: s("2017-06-14"),
                ..Default::default()
            },
            EventFilter {
                from: s("2017"),
                quad: Some(1),
                ..Default::default()
            },
            EventFilter {
                to: s("2016"),
                ..Default::default()
            },
            EventFilter {
                actor: s("SYR"),
                from: s("2015"),
                to: s("2017"),
                ..Default::default()
            },
            EventFilter {
                country: s("SY"),
                ..Default::default()
            },
            EventFilter {
                country: s("UA"),
                quad: Some(4),
                ..Default::default()
            },
            EventFilter {
                either: s("TUR"),
                country: s("tr"),
                from: s("2016"),
                ..Default::default()
            },
        ];
        let mentions: Vec<EventFilter> = f
            .iter()
            .map(|f| EventFilter {
                mentions: true,
                ..f.clone()
            })
            .collect();
        f.extend(mentions);
        f
    };
    let starts = |p: &Option<String>, v: Option<&str>| {
        p.as_deref()
            .is_none_or(|p| v.is_some_and(|v| v.starts_with(p)))
    };
    let range = |date: &str| -> (String, String) {
        match date.len() {
            4 => (format!("{date}-01-01"), format!("{date}-12-31")),
            7 => (format!("{date}-01"), format!("{date}-31")),
            _ => (date.to_owned(), date.to_owned()),
        }
    };
    let bound = |d: &str, last: bool| -> String {
        match (d.len(), last) {
            (4, false) => format!("{d}-01-01"),
            (4, true) => format!("{d}-12-31"),
            (7, false) => format!("{d}-01"),
            (7, true) => {
                let first: jiff::civil::Date = format!("{d}-01").parse().unwrap();
                first.last_of_month().to_string()
            }
            _ => d.to_owned(),
        }
    };
    let matches = |f: &EventFilter, e: &sitrep_store::EventRecord| -> bool {
        let dated = e.date.as_deref().map(range);
        starts(&f.actor, e.source.as_deref())
            && starts(&f.target, e.target.as_deref())
            && starts(&f.code, Some(&e.code))
            && (f.either.is_none()
                || starts(&f.either, e.source.as_deref())
                || starts(&f.either, e.target.as_deref()))
            && f.quad.is_none_or(|q| q == e.quad)
            && f.from.as_deref().is_none_or(|d| {
                dated
                    .as_ref()
                    .is_some_and(|(_, end)| *end >= bound(d, false))
            })
            && f.to.as_deref().is_none_or(|d| {
                dated
                    .as_ref()
                    .is_some_and(|(start, _)| *start <= bound(d, true))
            })
            && f.country.as_deref().is_none_or(|c| {
                e.place.as_ref().and_then(|p| p.country.as_deref()) == Some(&c.to_uppercase())
            })
    };
    for db in backends("fast_paths") {
        let mut store = Store::open(&db).unwrap();
        store.write(&docs, &v1(), None, false).unwrap();
        let check = |store: &mut Store, when: &str| {
            for mentions in [false, true] {
                let all = store
                    .events(&EventFilter {
                        mentions,
                        limit: 10_000,
                        ..Default::default()
                    })
                    .unwrap();
                assert_eq!(all.total as usize, all.events.len(), "{db} {when}");
                for f in filters.iter().filter(|f| f.mentions == mentions) {
                    let expected: Vec<i64> = all
                        .events
                        .iter()
                        .filter(|e| matches(f, e))
                        .map(|e| e.id)
                        .collect();
                    for by in [Period::Day, Period::Month, Period::Year] {
                        let mut want: Vec<(String, [u64; 4])> = Vec::new();
                        let mut events: Vec<_> = all
                            .events
                            .iter()
                            .filter(|e| matches(f, e) && e.date.is_some())
                            .map(|e| {
                                let start = range(e.date.as_deref().unwrap()).0;
                                let period = match by {
                                    Period::Day => start,
                                    Period::Month => format!("{}-01", &start[..7]),
                                    _ => format!("{}-01-01", &start[..4]),
                                };
                                (period, e.quad)
                            })
                            .collect();
                        events.sort();
                        for (period, quad) in events {
                            if want.last().is_none_or(|w| w.0 != period) {
                                want.push((period.clone(), [0; 4]));
                            }
                            want.last_mut().unwrap().1[usize::from(quad) - 1] += 1;
                        }
                        let got: Vec<(String, [u64; 4])> = store
                            .timeline(f, by)
                            .unwrap()
                            .into_iter()
                            .map(|b| {
                                assert_eq!(b.total, b.quad.iter().sum::<u64>());
                                (b.period, b.quad)
                            })
                            .collect();
                        assert_eq!(got, want, "{db} {when} {f:?} {by:?}");
                    }
                    for (limit, offset) in [(10_000, 0), (3, 0), (4, 5), (7, 20)] {
                        let page = store
                            .events(&EventFilter {
                                limit,
                                offset,
                                ..f.clone()
                            })
                            .unwrap();
                        let got: Vec<i64> = page.events.iter().map(|e| e.id).collect();
                        let want: Vec<i64> =
                            expected.iter().copied().skip(offset).take(limit).collect();
                        assert_eq!(page.total as usize, expected.len(), "{db} {when} {f:?}");
                        assert_eq!(got, want, "{db} {when} {f:?} limit {limit} offset {offset}");
                    }
                    // Keyset paging (as export pages): the same rows in the same order.
                    let mut after = None;
                    let mut keyset = Vec::new();
                    loop {
                        let page = store
                            .events(&EventFilter {
                                limit: 4,
                                after: after.clone(),
                                skip_total: true,
                                ..f.clone()
                            })
                            .unwrap();
                        assert_eq!(page.total, 0, "{db} {when} {f:?}: total skipped");
                        let Some(last) = page.events.last() else {
                            break;
                        };
                        after = Some(EventCursor::after(last));
                        keyset.extend(page.events.iter().map(|e| e.id));
                    }
                    assert_eq!(keyset, expected, "{db} {when} {f:?} keyset");
                }
            }
        };
        // A merged event shows its first (lowest id) mention's evidence.
        let evidence = |store: &mut Store, when: &str| {
            let all = store
                .events(&EventFilter {
                    limit: 10_000,
                    ..Default::default()
                })
                .unwrap();
            for e in &all.events {
                let mentions = store.mentions(e.id).unwrap();
                let first = mentions.iter().min_by_key(|m| m.id).unwrap();
                assert_eq!(e.evidence, first.evidence, "{db} {when}");
                assert_eq!(
                    (&e.source_text, &e.target_text),
                    (&first.source_text, &first.target_text)
                );
            }
        };
        evidence(&mut store, "after writing");
        check(&mut store, "after writing");
        for d in [3, 17, 40] {
            assert_eq!(store.delete_document(&format!("g{d}")).unwrap(), 1);
        }
        check(&mut store, "after deleting");
        let newer = Versions::new("0.2.0", "kb-2");
        store.write(&docs[..30], &newer, None, true).unwrap();
        check(&mut store, "after replacing");
        evidence(&mut store, "after replacing");
        assert_eq!(store.stats().unwrap().orphans, 0);
    }
}

/// Timings of the page's filters on a large store: `SITREP_BENCH_DB=target/bench-store/events-1000000.db
/// cargo test --release -p sitrep_store --test events -- --ignored --nocapture filter_timings`.
#[test]
#[ignore]
fn filter_timings() {
    let Ok(db) = std::env::var("SITREP_BENCH_DB") else {
        return;
    };
    let mut store = Store::open(&db).unwrap();
    let f = |s: &str| {
        let mut f = EventFilter::default();
        for kv in s.split('&').filter(|kv| !kv.is_empty()) {
            let (k, v) = kv.split_once('=').unwrap();
            let (n, v) = (v, Some(v.to_owned()));
            match k {
                "actor" => f.actor = v,
                "target" => f.target = v,
                "either" => f.either = v,
                "code" => f.code = v,
                "quad" => f.quad = n.parse().ok(),
                "from" => f.from = v,
                "to" => f.to = v,
                "country" => f.country = v,
                "offset" => f.offset = n.parse().unwrap_or(0),
                "mentions" => f.mentions = true,
                _ => panic!("{k}"),
            }
        }
        f
    };
    for q in [
        "",
        "actor=RUS",
        "target=SYR",
        "actor=USA&target=IRN",
        "either=TUR",
        "code=19",
        "code=04&actor=CHN",
        "quad=4",
        "quad=1&either=FRA",
        "from=2016-01&to=2017-12",
        "actor=RUS&from=2015&to=2017",
        "country=SY",
        "country=UA&quad=4",
        "offset=100",
        "actor=ISR&offset=50",
        "mentions=true&actor=IRQ",
    ] {
        let mut line = format!("{q:<32}");
        for limit in [1, 1000] {
            let filter = EventFilter { limit, ..f(q) };
            let mut times = Vec::new();
            for _ in 0..7 {
                let t = std::time::Instant::now();
                store.events(&filter).unwrap();
                times.push(t.elapsed().as_secs_f64() * 1e3);
            }
            times.sort_by(f64::total_cmp);
            line += &format!("  limit {limit:>4}: {:>7.2} ms", times[3]);
        }
        println!("{line}");
    }
}
