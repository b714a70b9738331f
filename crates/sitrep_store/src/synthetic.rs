//! Synthetic news for load tests and benchmarks: [`fill`] adds documents, sentences, event
//! mentions and merged events to a store, fast, from a seed.
//!
//! The vocabulary is `data/synthetic.tsv`: 40 country actors (the first the most frequent, a
//! Zipf-like skew) with role suffixes (`RUSMIL`, `SYRREB`), two wordings for each of the 20 CAMEO
//! roots, capitals with coordinates. Each generated document is a dispatch about 2–6 events
//! dated around its publication day (2000–2024; mostly day precision, some month or year, a few
//! without a date), one sentence each; about a third of the dispatches are followed by a second
//! one that reports half of the same events in other words, so those merged events have two
//! mentions from two documents. A few mentions are negated (stored, never merged).
//!
//! The rows are written directly (batched in transactions), with the merged events the merge
//! step would have made, so filling a million events takes seconds, not an ingest.
//!
//! ```
//! let dir = std::env::temp_dir().join(format!("sitrep-synthetic-doc-{}", std::process::id()));
//! std::fs::create_dir_all(&dir).unwrap();
//! let db = dir.join("load.db");
//! let mut store = sitrep_store::Store::open(db.to_str().unwrap()).unwrap();
//! sitrep_store::synthetic::fill(&mut store, 1000, 7).unwrap();
//! let stats = store.stats().unwrap();
//! assert_eq!((stats.merged_events, stats.orphans), (1000, 0));
//! # std::fs::remove_dir_all(&dir).unwrap();
//! ```

use jiff::civil::Date;
use sitrep_doc::json::{to_json, JsonOptions};
use sitrep_doc::{content_id, Argument, DateFrom, DatePrecision, Doc, Event, EventPlace, Meta};
use sitrep_doc::{Sentence, Span};

use crate::backend::{Conn, Value};
use crate::error::BackendError;
use crate::{merge, Store, StoreError};

const VOCABULARY: &str = include_str!("../data/synthetic.tsv");

/// Merged events per transaction.
const BATCH: usize = 20_000;

/// Adds `events` merged events (about 1.15 mentions each, in about `events / 3` documents) to
/// `store`. The same seed gives the same documents; filling twice with one seed stores the
/// documents once (they are keyed by content) but still adds events, so use a new seed.
pub fn fill(store: &mut Store, events: usize, seed: u64) -> Result<(), StoreError> {
    let vocabulary = Vocabulary::parse();
    // SQLite: index pages stay in memory while a batch is written (the default cache is 2 MB),
    // and checkpoints do not wait for the disk (test data: a power cut may lose the store).
    let sqlite = !store.conn.is_postgres();
    if sqlite {
        let _ = store
            .conn
            .batch("PRAGMA cache_size = -262144; PRAGMA synchronous = OFF");
    }
    let result = fill_all(store, &vocabulary, events, seed);
    if sqlite {
        let _ = store
            .conn
            .batch("PRAGMA cache_size = -2000; PRAGMA synchronous = NORMAL");
    }
    result
}

fn fill_all(
    store: &mut Store,
    vocabulary: &Vocabulary,
    events: usize,
    seed: u64,
) -> Result<(), StoreError> {
    let mut rng = Rng(seed ^ 0x9e37_79b9_7f4a_7c15);
    let mut remaining = events;
    let mut serial = 0u64;
    while remaining > 0 {
        let batch = remaining.min(BATCH);
        let db = store.db.clone();
        let conn = &mut store.conn;
        let begin = if conn.is_postgres() {
            "BEGIN"
        } else {
            "BEGIN IMMEDIATE"
        };
        conn.batch(begin)
            .map_err(|e| StoreError::query(&db, "could not start a transaction", e))?;
        let result = fill_batch(conn, vocabulary, &mut rng, batch, seed, &mut serial)
            .and_then(|()| conn.batch("COMMIT"));
        if let Err(err) = result {
            let _ = conn.batch("ROLLBACK");
            return Err(StoreError::query(
                &db,
                "could not store the synthetic events",
                err,
            ));
        }
        remaining -= batch;
    }
    if store.conn.is_postgres() {
        for sql in [
            "SELECT setval(pg_get_serial_sequence('merged_events', 'id'), max(id)) \
             FROM merged_events HAVING max(id) IS NOT NULL",
            "SELECT setval(pg_get_serial_sequence('events', 'id'), max(id)) \
             FROM events HAVING max(id) IS NOT NULL",
        ] {
            store
                .conn
                .query(sql, &[])
                .map_err(|e| StoreError::query(&store.db, "could not set the id sequences", e))?;
        }
    }
    Ok(())
}

struct Actor {
    code: &'static str,
    name: &'static str,
    adjective: &'static str,
    country: &'static str,
    city: &'static str,
    lat: f64,
    lon: f64,
}

struct Wording {
    root: &'static str,
    code: &'static str,
    quad: u8,
    goldstein: f64,
    plover: &'static str,
    text: &'static str,
}

struct Vocabulary {
    actors: Vec<Actor>,
    /// Cumulative Zipf-like weights of `actors`.
    weights: Vec<f64>,
    roles: Vec<(&'static str, &'static str)>,
    wordings: Vec<Wording>,
    whens: Vec<&'static str>,
}

impl Vocabulary {
    fn parse() -> Vocabulary {
        let mut v = Vocabulary {
            actors: Vec::new(),
            weights: Vec::new(),
            roles: Vec::new(),
            wordings: Vec::new(),
            whens: Vec::new(),
        };
        for line in VOCABULARY.lines().filter(|l| !l.starts_with('#')) {
            let f: Vec<&'static str> = line.split('\t').collect();
            match f.as_slice() {
                ["actor", code, name, adjective, country, city, lat, lon] => v.actors.push(Actor {
                    code,
                    name,
                    adjective,
                    country,
                    city,
                    lat: lat.parse().unwrap_or(0.0),
                    lon: lon.parse().unwrap_or(0.0),
                }),
                ["role", suffix, noun] => v.roles.push((suffix, noun)),
                ["event", root, code, quad, goldstein, plover, text] => v.wordings.push(Wording {
                    root,
                    code,
                    quad: quad.parse().unwrap_or(1),
                    goldstein: goldstein.parse().unwrap_or(0.0),
                    plover,
                    text,
                }),
                ["when", words] => v.whens.push(words),
                _ => {}
            }
        }
        let mut total = 0.0;
        for i in 0..v.actors.len() {
            total += 1.0 / ((i + 1) as f64).powf(0.7);
            v.weights.push(total);
        }
        v
    }

    fn actor(&self, rng: &mut Rng) -> usize {
        let total = self.weights.last().copied().unwrap_or(1.0);
        let x = rng.unit() * total;
        self.weights
            .partition_point(|&w| w < x)
            .min(self.actors.len() - 1)
    }
}

/// splitmix64: small, fast, good enough for test data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
}

/// One generated real-world event.
struct Planned {
    source: String,
    source_name: String,
    target: String,
    target_name: String,
    wording: usize,
    date: Option<(String, DatePrecision)>,
    place: Option<(String, String, f64, f64)>,
    when: &'static str,
    confidence: f64,
    negated: bool,
    merged: i64,
    /// Also reported by the follow-up dispatch.
    again: bool,
}

fn fill_batch(
    conn: &mut Conn,
    v: &Vocabulary,
    rng: &mut Rng,
    events: usize,
    seed: u64,
    serial: &mut u64,
) -> Result<(), BackendError> {
    let max = |conn: &mut Conn, sql: &'static str| -> Result<i64, BackendError> {
        Ok(conn.query(sql, &[])?.first().map_or(0, |r| r[0].int()))
    };
    let mut next_merged = max(conn, "SELECT coalesce(max(id), 0) FROM merged_events")? + 1;
    let mut next_mention = max(conn, "SELECT coalesce(max(id), 0) FROM events")? + 1;
    let first_sentence = max(conn, "SELECT coalesce(max(id), 0) FROM sentences")? + 1;
    let mut counts = merge::Counts::default();
    let first_day = jiff::civil::date(2000, 1, 1);
    let days = 25 * 365 + 6;
    let mut made = 0;
    while made < events {
        *serial += 1;
        let published = first_day
            .checked_add(jiff::Span::new().days(rng.below(days) as i64))
            .unwrap_or(first_day);
        let n = (2 + rng.below(5)).min(events - made);
        let mut planned: Vec<Planned> = (0..n).map(|_| plan(v, rng, published)).collect::<Vec<_>>();
        for p in planned.iter_mut().filter(|p| !p.negated) {
            p.merged = next_merged;
            next_merged += 1;
            made += 1;
        }
        let follow_up = rng.chance(0.33);
        for p in planned
            .iter_mut()
            .filter(|p| !p.negated && p.date.is_some())
        {
            p.again = follow_up && rng.chance(0.5);
        }
        let first = dispatch(v, &planned, false, published, seed, *serial);
        let hash = content_id(first.text());
        // The first dispatch's mentions get consecutive ids, in order.
        for (i, p) in planned.iter().enumerate().filter(|(_, p)| !p.negated) {
            insert_merged(conn, v, p, &hash, next_mention + i as i64, &mut counts)?;
        }
        let ids = insert_doc(conn, &first, &planned, next_mention)?;
        next_mention += ids.len() as i64;
        let again: Vec<&Planned> = planned.iter().filter(|p| p.again).collect();
        if !again.is_empty() {
            let second_plan: Vec<Planned> = again.iter().map(|p| p.reworded()).collect();
            let second = dispatch(v, &second_plan, true, published, seed, *serial);
            let ids = insert_doc(conn, &second, &second_plan, next_mention)?;
            next_mention += ids.len() as i64;
        }
    }
    counts.flush(conn)?;
    if !conn.is_postgres() {
        // The batch's sentences into the full-text index at once, as Store::write does.
        conn.execute(
            "INSERT INTO sentences_fts (rowid, text) SELECT id, text FROM sentences \
             WHERE id >= ?1 ORDER BY id",
            &[Value::Int(first_sentence)],
        )?;
    }
    Ok(())
}

fn plan(v: &Vocabulary, rng: &mut Rng, published: Date) -> Planned {
    let s = v.actor(rng);
    let mut t = v.actor(rng);
    if t == s {
        t = (t + 1 + rng.below(v.actors.len() - 1)) % v.actors.len();
    }
    let (source, source_name) = actor_name(v, rng, s);
    let (target, target_name) = actor_name(v, rng, t);
    let day = published
        .checked_sub(jiff::Span::new().days(rng.below(3) as i64))
        .unwrap_or(published);
    let r = rng.unit();
    let date = if r < 0.85 {
        Some((day.to_string(), DatePrecision::Day))
    } else if r < 0.93 {
        Some((day.strftime("%Y-%m").to_string(), DatePrecision::Month))
    } else if r < 0.98 {
        Some((day.year().to_string(), DatePrecision::Year))
    } else {
        None
    };
    let where_ = if rng.chance(0.7) { t } else { s };
    let a = &v.actors[where_];
    let r = rng.unit();
    let place = if r < 0.6 {
        Some((a.city.to_owned(), a.country.to_owned(), a.lat, a.lon))
    } else if r < 0.8 {
        Some((
            a.name.trim_start_matches("the ").to_owned(),
            a.country.to_owned(),
            a.lat,
            a.lon,
        ))
    } else {
        None
    };
    Planned {
        source,
        source_name,
        target,
        target_name,
        // Wordings come in pairs per root: the follow-up takes the other one.
        wording: rng.below(v.wordings.len() & !1),
        date,
        place,
        when: v.whens[rng.below(v.whens.len())],
        confidence: 0.5 + 0.5 * rng.unit(),
        negated: rng.chance(0.02),
        merged: 0,
        again: false,
    }
}

/// An actor code (with a role suffix half of the time) and how a sentence names it.
fn actor_name(v: &Vocabulary, rng: &mut Rng, i: usize) -> (String, String) {
    let a = &v.actors[i];
    if rng.chance(0.5) {
        let (suffix, noun) = v.roles[rng.below(v.roles.len())];
        (
            format!("{}{suffix}", a.code),
            format!("{} {noun}", a.adjective),
        )
    } else {
        let mut name = a.name.to_owned();
        if let Some(first) = name.get_mut(..1) {
            first.make_ascii_uppercase();
        }
        (a.code.to_owned(), name)
    }
}

impl Planned {
    /// The same event as another outlet words it: the other wording of its root, the same date
    /// and place.
    fn reworded(&self) -> Planned {
        Planned {
            source: self.source.clone(),
            source_name: self.source_name.clone(),
            target: self.target.clone(),
            target_name: self.target_name.clone(),
            wording: self.wording ^ 1,
            date: self.date.clone(),
            place: self.place.clone(),
            when: self.when,
            confidence: self.confidence * 0.9,
            negated: false,
            merged: self.merged,
            again: false,
        }
    }
}

/// A document with one sentence per planned event (after a dateline), and its events.
fn dispatch(
    v: &Vocabulary,
    planned: &[Planned],
    follow_up: bool,
    published: Date,
    seed: u64,
    serial: u64,
) -> Doc {
    let kind = if follow_up { "update" } else { "dispatch" };
    let mut text = format!("News {kind} {serial} ({seed}).");
    let mut sentences = vec![Sentence {
        span: Span::new(0, text.len()),
    }];
    let mut events = Vec::with_capacity(planned.len());
    for p in planned {
        let w = &v.wordings[p.wording];
        text.push(' ');
        let start = text.len();
        let (pre, rest) = w.text.split_once("{s}").unwrap_or(("", w.text));
        text.push_str(pre);
        let source_span = Span::new(text.len(), text.len() + p.source_name.len());
        text.push_str(&p.source_name);
        let (before_trigger, rest) = rest.split_once('[').unwrap_or((rest, ""));
        let (trigger, rest) = rest.split_once(']').unwrap_or((rest, ""));
        text.push_str(before_trigger);
        if p.negated {
            text.push_str("denied that it ");
        }
        let trigger_span = Span::new(text.len(), text.len() + trigger.len());
        text.push_str(trigger);
        let (before_target, after_target) = rest.split_once("{t}").unwrap_or((rest, ""));
        text.push_str(before_target);
        let target_span = Span::new(text.len(), text.len() + p.target_name.len());
        text.push_str(&p.target_name);
        text.push_str(after_target);
        let place = p.place.as_ref().map(|(name, country, lat, lon)| {
            text.push_str(" in ");
            let span = Span::new(text.len(), text.len() + name.len());
            text.push_str(name);
            EventPlace {
                span,
                name: name.clone(),
                country: Some(country.clone()),
                lat: *lat,
                lon: *lon,
            }
        });
        text.push(' ');
        text.push_str(p.when);
        text.push('.');
        let sentence = sentences.len() as u32;
        sentences.push(Sentence {
            span: Span::new(start, text.len()),
        });
        events.push(Event {
            sentence,
            trigger: trigger_span,
            code: w.code.to_owned(),
            root: w.root.to_owned(),
            plover: Some(w.plover.to_owned()),
            goldstein: w.goldstein,
            quad: w.quad,
            source: Some(Argument {
                span: source_span,
                actor: Some(p.source.clone()),
            }),
            target: Some(Argument {
                span: target_span,
                actor: Some(p.target.clone()),
            }),
            date: p.date.as_ref().map(|d| d.0.clone()),
            date_precision: p.date.as_ref().map(|d| d.1),
            date_from: DateFrom::Text,
            place,
            negated: p.negated,
            hypothetical: false,
            confidence: p.confidence,
        });
    }
    let outlets = ["example-news.org", "wire.example.com", "daily.example.net"];
    let meta = Meta {
        id: Some(format!("synthetic-{seed}-{serial}-{kind}")),
        url: Some(format!(
            "https://{}/{kind}/{seed}/{serial}",
            outlets[serial as usize % 3]
        )),
        title: Some(format!("News {kind} {serial}")),
        source: Some(outlets[serial as usize % 3].to_owned()),
        published: Some(published),
    };
    let mut doc = Doc::new(text, meta);
    doc.set_language("en");
    doc.set_sentences(sentences);
    doc.set_events(events);
    doc
}

fn insert_merged(
    conn: &mut Conn,
    v: &Vocabulary,
    p: &Planned,
    hash: &str,
    first_mention: i64,
    counts: &mut merge::Counts,
) -> Result<(), BackendError> {
    let w = &v.wordings[p.wording];
    let date = p.date.as_ref();
    let range = merge::date_range(date.map(|d| d.0.as_str()));
    let place = p.place.as_ref();
    let key = merge::merge_key(Some(&p.source), Some(&p.target), w.root);
    let again = i64::from(p.again);
    conn.execute(
        "INSERT INTO merged_events (id, merge_key, doc_only, source_actor, target_actor, root, \
         code, plover, goldstein, quad, date, date_precision, date_start, date_end, date_from, \
         place_name, place_country, lat, lon, mentions, documents, first_mention, confidence) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, \
         ?18, ?19, ?20, ?21, ?22, ?23)",
        &[
            Value::Int(p.merged),
            key.as_str().into(),
            if range.is_some() {
                Value::Null
            } else {
                Value::Text(hash)
            },
            p.source.as_str().into(),
            p.target.as_str().into(),
            w.root.into(),
            w.code.into(),
            w.plover.into(),
            w.goldstein.into(),
            Value::Int(w.quad.into()),
            date.map(|d| d.0.as_str()).into(),
            date.map(|d| precision(d.1)).into(),
            range.as_ref().map(|r| r.0.as_str()).into(),
            range.as_ref().map(|r| r.1.as_str()).into(),
            "text".into(),
            place.map(|p| p.0.as_str()).into(),
            place.map(|p| p.1.as_str()).into(),
            place.map(|p| p.2).into(),
            place.map(|p| p.3).into(),
            Value::Int(1 + again),
            Value::Int(1 + again),
            Value::Int(first_mention),
            p.confidence.into(),
        ],
    )?;
    counts.add(
        conn,
        &merge::CountedEvent {
            source: Some(&p.source),
            target: Some(&p.target),
            country: place.map(|p| p.1.as_str()),
            date_start: range.as_ref().map(|r| r.0.as_str()),
            date_end: range.as_ref().map(|r| r.1.as_str()),
            quad: w.quad.into(),
        },
    );
    Ok(())
}

fn precision(p: DatePrecision) -> &'static str {
    match p {
        DatePrecision::Day => "day",
        DatePrecision::Month => "month",
        DatePrecision::Year => "year",
    }
}

/// Inserts a document, its sentences and its event mentions (ids from `first_id` on); returns
/// the mention ids in order.
fn insert_doc(
    conn: &mut Conn,
    doc: &Doc,
    planned: &[Planned],
    first_id: i64,
) -> Result<Vec<i64>, BackendError> {
    let hash = content_id(doc.text());
    let hash = hash.as_str();
    let meta = doc.meta();
    let json = to_json(doc, JsonOptions::default());
    conn.execute(
        "INSERT INTO documents (hash, id, url, title, source, published, language, text, json, \
         sitrep_version, kb_version) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 'synthetic', 'synthetic')",
        &[
            hash.into(),
            doc.id().into(),
            meta.url.as_deref().into(),
            meta.title.as_deref().into(),
            meta.source.as_deref().into(),
            doc.published().map_or(Value::Null, Value::Date),
            doc.language().into(),
            doc.text().into(),
            json.as_str().into(),
        ],
    )?;
    crate::insert_sentences(conn, doc, hash)?;
    let mut ids = Vec::with_capacity(planned.len());
    for (i, p) in planned.iter().enumerate().take(doc.events().len()) {
        let id = first_id + i as i64;
        ids.push(id);
        let merged = (!p.negated).then_some(p.merged);
        merge::insert_mention(conn, doc, hash, i, id, merged)?;
    }
    Ok(ids)
}
