//! Merging event mentions into events, inside the write transaction.
//!
//! A mention joins an existing merged event when all of these hold, else it starts a new one:
//!
//! 1. the same *merge key*: source actor code, target actor code and CAMEO root (a missing code
//!    only equals a missing code);
//! 2. overlapping dates, each date taken as a range of days (a day, a month, a year): "2017-12"
//!    overlaps "2017-12-11" and "2017", not "2017-11";
//! 3. compatible places: either side has no place (it is unknown, not elsewhere), or both are in
//!    the same country (or a country is unknown) and within [`NEARBY_KM`] of each other, or they
//!    have the same name;
//! 4. a mention without a date or without a source actor code is too vague to identify an event
//!    across documents: it only joins events whose mentions all come from its own document (the
//!    same event mentioned twice in one article), recorded in `merged_events.doc_only`.
//!
//! Negated and hypothetical mentions are stored but never merged (`events.merged` stays NULL).
//! Everything a merged event shows besides its mentions (counts, first mention, code, the most
//! precise date, the first place) is recomputed from its mentions by [`refresh`] whenever one
//! joins or leaves, and an event left without mentions is deleted, so the counts cannot drift.
//!
//! Several PostgreSQL writers: each transaction first takes a transaction-scoped advisory lock
//! per merge key it will touch, in ascending order ([`lock_keys`]), so two writers never merge
//! the same key at once and never deadlock; SQLite has a single writer already.

use std::collections::{HashMap, HashSet};

use sitrep_doc::Doc;

use crate::backend::{Cell, Conn, Value};
use crate::error::BackendError;
use crate::name;

/// Places further apart than this are different places.
pub(crate) const NEARBY_KM: f64 = 50.0;

/// Namespace of the merge-key advisory locks (the two-key form; the migration lock uses the
/// one-key form, which does not overlap).
const LOCK_NAMESPACE: i64 = 0x5173_7265;

/// `source|target|root`, missing codes empty.
pub(crate) fn merge_key(source: Option<&str>, target: Option<&str>, root: &str) -> String {
    format!(
        "{}|{}|{}",
        source.unwrap_or_default(),
        target.unwrap_or_default(),
        root
    )
}

/// A date (YYYY, YYYY-MM or YYYY-MM-DD) as its first and last day, compared as text (a month's
/// last day is written 31 whatever its length). `None` for no date or a malformed one.
pub(crate) fn date_range(date: Option<&str>) -> Option<(String, String)> {
    let date = date.filter(|d| d.is_ascii())?;
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    match date.len() {
        4 if digits(date) => Some((format!("{date}-01-01"), format!("{date}-12-31"))),
        7 if digits(&date[..4])
            && &date[4..5] == "-"
            && matches!(date[5..].parse(), Ok(1..=12)) =>
        {
            Some((format!("{date}-01"), format!("{date}-31")))
        }
        10 if date.parse::<jiff::civil::Date>().is_ok() => Some((date.to_owned(), date.to_owned())),
        _ => None,
    }
}

/// Great-circle distance in km.
pub(crate) fn distance_km(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (lat1, lon1) = (a.0.to_radians(), a.1.to_radians());
    let (lat2, lon2) = (b.0.to_radians(), b.1.to_radians());
    let h = ((lat2 - lat1) / 2.0).sin().powi(2)
        + lat1.cos() * lat2.cos() * ((lon2 - lon1) / 2.0).sin().powi(2);
    2.0 * 6371.0 * h.sqrt().min(1.0).asin()
}

/// An event's place, as far as merging cares.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct PlaceKey {
    pub(crate) name: String,
    pub(crate) country: Option<String>,
    pub(crate) lat: f64,
    pub(crate) lon: f64,
}

impl PlaceKey {
    /// From the cells name, country, lat, lon; `None` when there is no place.
    fn from_cells(cells: &[Cell]) -> Option<PlaceKey> {
        let name = cells[0].text()?;
        let real = |c: &Cell| match c {
            Cell::Real(r) => *r,
            Cell::Int(i) => *i as f64,
            _ => 0.0,
        };
        Some(PlaceKey {
            name,
            country: cells[1].text(),
            lat: real(&cells[2]),
            lon: real(&cells[3]),
        })
    }
}

/// Rule 3 of the module documentation.
pub(crate) fn places_compatible(a: Option<&PlaceKey>, b: Option<&PlaceKey>) -> bool {
    let (Some(a), Some(b)) = (a, b) else {
        return true;
    };
    let same_country = match (&a.country, &b.country) {
        (Some(x), Some(y)) => x.eq_ignore_ascii_case(y),
        _ => true,
    };
    same_country
        && (a.name.eq_ignore_ascii_case(&b.name)
            || distance_km((a.lat, a.lon), (b.lat, b.lon)) <= NEARBY_KM)
}

/// PostgreSQL: takes the advisory lock of every key, in ascending lock order, until the end of
/// the transaction. SQLite: nothing to do.
pub(crate) fn lock_keys(conn: &mut Conn, keys: &[String]) -> Result<(), BackendError> {
    if !conn.is_postgres() {
        return Ok(());
    }
    let mut locks: Vec<i64> = keys.iter().map(|k| lock_id(k)).collect();
    locks.sort_unstable();
    locks.dedup();
    for lock in locks {
        conn.execute(
            "SELECT pg_advisory_xact_lock(?1, ?2)",
            &[Value::Int(LOCK_NAMESPACE), Value::Int(lock)],
        )?;
    }
    Ok(())
}

/// FNV-1a, folded to an int4: stable across processes and versions.
fn lock_id(key: &str) -> i64 {
    let mut h: u32 = 0x811c_9dc5;
    for b in key.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    i64::from(h as i32)
}

/// The merge keys of the merged events document `hash` has mentions in.
pub(crate) fn keys_of_doc(conn: &mut Conn, hash: &str) -> Result<Vec<String>, BackendError> {
    let rows = conn.query(
        "SELECT DISTINCT m.merge_key FROM events e JOIN merged_events m ON m.id = e.merged \
         WHERE e.doc = ?1",
        &[hash.into()],
    )?;
    Ok(rows.iter().filter_map(|r| r[0].text()).collect())
}

/// The merged events document `hash` has mentions in (to [`refresh`] after deleting it).
pub(crate) fn merged_of_doc(conn: &mut Conn, hash: &str) -> Result<Vec<i64>, BackendError> {
    let rows = conn.query(
        "SELECT DISTINCT merged FROM events WHERE doc = ?1 AND merged IS NOT NULL",
        &[hash.into()],
    )?;
    Ok(rows.iter().map(|r| r[0].int()).collect())
}

/// Hands out `events.id` values for mentions written with [`insert_events`]: SQLite counts up
/// from the largest stored id (one writer at a time holds the write lock); PostgreSQL draws from
/// the column's sequence (writers run concurrently).
#[derive(Debug, Default)]
pub(crate) struct EventIds {
    next: Option<i64>,
}

impl EventIds {
    fn next(&mut self, conn: &mut Conn) -> Result<i64, BackendError> {
        let id = match self.next {
            _ if conn.is_postgres() => {
                let rows = conn.query(
                    "SELECT nextval(pg_get_serial_sequence('events', 'id'))",
                    &[],
                )?;
                return Ok(rows.first().map_or(0, |r| r[0].int()));
            }
            Some(next) => next,
            None => {
                let rows = conn.query("SELECT coalesce(max(id), 0) + 1 FROM events", &[])?;
                rows.first().map_or(1, |r| r[0].int())
            }
        };
        self.next = Some(id + 1);
        Ok(id)
    }
}

/// New merged events not yet in `merged_event_counts` (SQLite; migration 0003 describes the
/// table), summed per count row: [`Counts::flush`] adds them with one upsert per row instead of
/// four per event. Flush before anything that can change or delete a merged event (the update
/// and delete triggers count from the table), and before the transaction ends.
#[derive(Debug, Default)]
pub(crate) struct Counts {
    pending: HashMap<CountKey, i64>,
}

/// (dim, value, first month, last month, quad class).
type CountKey = (&'static str, String, String, String, i64);

impl Counts {
    /// Counts one new merged event (a no-op on PostgreSQL, which has no count table).
    pub(crate) fn add(&mut self, conn: &Conn, event: &CountedEvent<'_>) {
        if conn.is_postgres() {
            return;
        }
        let month = |d: Option<&str>| d.map_or_else(String::new, |d| d.chars().take(7).collect());
        let (start, end) = (month(event.date_start), month(event.date_end));
        for (dim, value) in [
            ("", Some("")),
            ("s", event.source),
            ("t", event.target),
            ("c", event.country),
        ] {
            if let Some(value) = value {
                let key = (
                    dim,
                    value.to_owned(),
                    start.clone(),
                    end.clone(),
                    event.quad,
                );
                *self.pending.entry(key).or_default() += 1;
            }
        }
    }

    /// Adds the pending counts to `merged_event_counts`.
    pub(crate) fn flush(&mut self, conn: &mut Conn) -> Result<(), BackendError> {
        for ((dim, value, start, end, quad), n) in self.pending.drain() {
            conn.execute(
                "INSERT INTO merged_event_counts (dim, value, start_month, end_month, quad, n) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (dim, value, start_month, end_month, \
                 quad) DO UPDATE SET n = n + excluded.n",
                &[
                    dim.into(),
                    value.as_str().into(),
                    start.as_str().into(),
                    end.as_str().into(),
                    Value::Int(quad),
                    Value::Int(n),
                ],
            )?;
        }
        Ok(())
    }
}

/// What [`Counts`] needs of a merged event.
#[derive(Clone, Copy, Debug)]
pub(crate) struct CountedEvent<'a> {
    pub(crate) source: Option<&'a str>,
    pub(crate) target: Option<&'a str>,
    pub(crate) country: Option<&'a str>,
    pub(crate) date_start: Option<&'a str>,
    pub(crate) date_end: Option<&'a str>,
    pub(crate) quad: i64,
}

/// Inserts the event mentions of document `hash` (stored already, with its sentences), each
/// merged as it is written, in their order in the document: a mention that joins a merged event
/// is inserted pointing to it, which is then [`refresh`]ed; one that starts a merged event is
/// inserted after it, and the merged event is written whole from the mention's values (what
/// [`merge_doc`] computes from the stored rows).
pub(crate) fn insert_events(
    conn: &mut Conn,
    doc: &Doc,
    hash: &str,
    ids: &mut EventIds,
    counts: &mut Counts,
) -> Result<(), BackendError> {
    let text = doc.text();
    let meta = doc.meta();
    let published = doc.published().map(|d| d.to_string());
    let int = |v: usize| Value::Int(v as i64);
    // The merged events this document's mentions started or joined so far.
    let mut in_doc = HashSet::new();
    for (i, e) in doc.events().iter().enumerate() {
        let precision = e.date_precision.map(|p| name(&p));
        let date_from = name(&e.date_from);
        let place = e.place.as_ref();
        let range = date_range(e.date.as_deref());
        let source = e.source.as_ref().and_then(|a| a.actor.as_deref());
        let target = e.target.as_ref().and_then(|a| a.actor.as_deref());
        let source_text = e.source.as_ref().map(|a| &text[a.span]);
        let target_text = e.target.as_ref().map(|a| &text[a.span]);
        let mut merged = None;
        let mut new_event = None;
        // The first mention of the merged event this mention joins.
        let mut join = None;
        if !e.negated && !e.hypothetical {
            let key = merge_key(source, target, &e.root);
            let place_key = place.map(|p| PlaceKey {
                name: p.name.clone(),
                country: p.country.clone(),
                lat: p.lat,
                lon: p.lon,
            });
            let candidates = candidates(conn, &key, source.is_some(), range.as_ref(), hash)?;
            let found = candidates.iter().find(|c| {
                places_compatible(place_key.as_ref(), PlaceKey::from_cells(&c[1..5]).as_ref())
            });
            if let Some(c) = found {
                merged = Some(c[0].int());
                join = Some(c[5].int());
            }
            if merged.is_none() {
                let id = ids.next(conn)?;
                let doc_only = if range.is_some() && source.is_some() {
                    Value::Null
                } else {
                    Value::Text(hash)
                };
                let sentence = usize::try_from(e.sentence)
                    .ok()
                    .and_then(|i| doc.sentences().get(i));
                let rows = conn.query(
                    "INSERT INTO merged_events (merge_key, doc_only, source_actor, \
                     target_actor, root, code, plover, goldstein, quad, date_from, mentions, \
                     documents, confidence, first_mention, date, date_precision, date_start, \
                     date_end, place_name, place_country, lat, lon, ev_source_text, \
                     ev_target_text, ev_doc, ev_title, ev_url, ev_published, ev_sentence, \
                     ev_text, ev_start, ev_trigger_start, ev_trigger_end, ev_trigger_text) \
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 1, 1, ?11, ?12, ?13, ?14, \
                     ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, \
                     ?29, ?30, ?31, ?32) RETURNING id",
                    &[
                        key.as_str().into(),
                        doc_only,
                        source.into(),
                        target.into(),
                        e.root.as_str().into(),
                        e.code.as_str().into(),
                        e.plover.as_deref().into(),
                        e.goldstein.into(),
                        Value::Int(e.quad.into()),
                        date_from.as_str().into(),
                        e.confidence.into(),
                        Value::Int(id),
                        range.as_ref().and(e.date.as_deref()).into(),
                        range.as_ref().and(precision.as_deref()).into(),
                        range.as_ref().map(|r| r.0.as_str()).into(),
                        range.as_ref().map(|r| r.1.as_str()).into(),
                        place.map(|p| p.name.as_str()).into(),
                        place.and_then(|p| p.country.as_deref()).into(),
                        place.map(|p| p.lat).into(),
                        place.map(|p| p.lon).into(),
                        source_text.into(),
                        target_text.into(),
                        doc.id().into(),
                        meta.title.as_deref().into(),
                        meta.url.as_deref().into(),
                        published.as_deref().into(),
                        Value::Int(e.sentence.into()),
                        sentence.map(|s| &text[s.span]).into(),
                        sentence.map_or(Value::Null, |s| int(s.span.start())),
                        int(e.trigger.start()),
                        int(e.trigger.end()),
                        text[e.trigger].into(),
                    ],
                )?;
                merged = rows.first().map(|r| r[0].int());
                new_event = Some(id);
                counts.add(
                    conn,
                    &CountedEvent {
                        source,
                        target,
                        country: place.and_then(|p| p.country.as_deref()),
                        date_start: range.as_ref().map(|r| r.0.as_str()),
                        date_end: range.as_ref().map(|r| r.1.as_str()),
                        quad: e.quad.into(),
                    },
                );
            }
        }
        let id = match new_event {
            Some(id) => id,
            None => ids.next(conn)?,
        };
        insert_mention(conn, doc, hash, i, id, merged)?;
        if let (Some(merged), Some(first)) = (merged, join) {
            counts.flush(conn)?;
            let first_in_doc = !in_doc.contains(&merged);
            if !conn.is_postgres() && id > first {
                // SQLite has one writer: ids grow, so this mention is the event's latest.
                joined(conn, merged, e, range.as_ref(), first_in_doc)?;
            } else {
                // Concurrent PostgreSQL writers commit ids out of order: recompute all.
                refresh(conn, merged)?;
            }
        }
        if let Some(merged) = merged {
            in_doc.insert(merged);
        }
    }
    Ok(())
}

/// Inserts mention `i` of document `hash` (stored already) with id `id`, pointing to merged event
/// `merged` (none for negated and hypothetical mentions).
pub(crate) fn insert_mention(
    conn: &mut Conn,
    doc: &Doc,
    hash: &str,
    i: usize,
    id: i64,
    merged: Option<i64>,
) -> Result<(), BackendError> {
    let text = doc.text();
    let e = &doc.events()[i];
    let int = |v: usize| Value::Int(v as i64);
    let precision = e.date_precision.map(|p| name(&p));
    let date_from = name(&e.date_from);
    let range = date_range(e.date.as_deref());
    let place = e.place.as_ref();
    conn.execute(
        "INSERT INTO events (id, doc, idx, sentence, trigger_start, trigger_end, \
         trigger_text, code, root, plover, goldstein, quad, source_actor, source_text, \
         target_actor, target_text, date, date_precision, date_from, place_name, \
         place_country, lat, lon, negated, hypothetical, confidence, date_start, date_end, \
         merged) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, \
         ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29)",
        &[
            Value::Int(id),
            hash.into(),
            int(i),
            Value::Int(e.sentence.into()),
            int(e.trigger.start()),
            int(e.trigger.end()),
            text[e.trigger].into(),
            e.code.as_str().into(),
            e.root.as_str().into(),
            e.plover.as_deref().into(),
            e.goldstein.into(),
            Value::Int(e.quad.into()),
            e.source.as_ref().and_then(|a| a.actor.as_deref()).into(),
            e.source.as_ref().map(|a| &text[a.span]).into(),
            e.target.as_ref().and_then(|a| a.actor.as_deref()).into(),
            e.target.as_ref().map(|a| &text[a.span]).into(),
            e.date.as_deref().into(),
            precision.as_deref().into(),
            date_from.as_str().into(),
            place.map(|p| p.name.as_str()).into(),
            place.and_then(|p| p.country.as_deref()).into(),
            place.map(|p| p.lat).into(),
            place.map(|p| p.lon).into(),
            e.negated.into(),
            e.hypothetical.into(),
            e.confidence.into(),
            range.as_ref().map(|r| r.0.as_str()).into(),
            range.as_ref().map(|r| r.1.as_str()).into(),
            merged.map_or(Value::Null, Value::Int),
        ],
    )?;
    Ok(())
}

/// Merged event `id` after mention `e` (a later id than all of its mentions) joined it: what
/// [`refresh`] would compute, from the row and the mention alone. One more mention, one more
/// document unless the mention's document had one already; the higher confidence; the mention's
/// date if it is more precise (the longer date: refresh keeps the most precise, the earliest
/// among equals); its place if the event had none (refresh keeps the earliest place). The first
/// mention, and so the code and the evidence, stay.
fn joined(
    conn: &mut Conn,
    id: i64,
    e: &sitrep_doc::Event,
    range: Option<&(String, String)>,
    first_in_doc: bool,
) -> Result<(), BackendError> {
    let date = range.and(e.date.as_deref());
    let precision = range.and(e.date_precision).map(|p| name(&p));
    let place = e.place.as_ref();
    conn.execute(
        "UPDATE merged_events SET mentions = mentions + 1, documents = documents + ?2, \
         confidence = CASE WHEN confidence < ?3 THEN ?3 ELSE confidence END, \
         date = CASE WHEN ?4 AND (date_start IS NULL OR length(date) < ?5) THEN ?6 ELSE date END, \
         date_precision = CASE WHEN ?4 AND (date_start IS NULL OR length(date) < ?5) THEN ?7 \
             ELSE date_precision END, \
         date_start = CASE WHEN ?4 AND (date_start IS NULL OR length(date) < ?5) THEN ?8 \
             ELSE date_start END, \
         date_end = CASE WHEN ?4 AND (date_start IS NULL OR length(date) < ?5) THEN ?9 \
             ELSE date_end END, \
         place_name = CASE WHEN ?10 AND place_name IS NULL THEN ?11 ELSE place_name END, \
         place_country = CASE WHEN ?10 AND place_name IS NULL THEN ?12 ELSE place_country END, \
         lat = CASE WHEN ?10 AND place_name IS NULL THEN ?13 ELSE lat END, \
         lon = CASE WHEN ?10 AND place_name IS NULL THEN ?14 ELSE lon END \
         WHERE id = ?1",
        &[
            Value::Int(id),
            Value::Int(i64::from(first_in_doc)),
            e.confidence.into(),
            Value::Bool(date.is_some()),
            Value::Int(date.map_or(0, |d| d.len() as i64)),
            date.into(),
            precision.as_deref().into(),
            range.map(|r| r.0.as_str()).into(),
            range.map(|r| r.1.as_str()).into(),
            Value::Bool(place.is_some()),
            place.map(|p| p.name.as_str()).into(),
            place.and_then(|p| p.country.as_deref()).into(),
            place.map(|p| p.lat).into(),
            place.map(|p| p.lon).into(),
        ],
    )?;
    Ok(())
}

/// The merged events a mention with this merge key, date range and document may join, oldest
/// first (rules 1, 2 and 4 of the module documentation; the caller checks rule 3): id,
/// place_name, place_country, lat, lon, first_mention.
fn candidates(
    conn: &mut Conn,
    key: &str,
    has_source: bool,
    range: Option<&(String, String)>,
    hash: &str,
) -> Result<Vec<Vec<Cell>>, BackendError> {
    match range {
        Some((start, end)) if has_source => conn.query(
            "SELECT id, place_name, place_country, lat, lon, first_mention \
             FROM merged_events \
             WHERE merge_key = ?1 AND doc_only IS NULL AND date_start <= ?2 \
             AND date_end >= ?3 ORDER BY id",
            &[key.into(), end.as_str().into(), start.as_str().into()],
        ),
        Some((start, end)) => conn.query(
            "SELECT id, place_name, place_country, lat, lon, first_mention \
             FROM merged_events \
             WHERE merge_key = ?1 AND doc_only = ?2 AND date_start <= ?3 \
             AND date_end >= ?4 ORDER BY id",
            &[
                key.into(),
                hash.into(),
                end.as_str().into(),
                start.as_str().into(),
            ],
        ),
        None => conn.query(
            "SELECT id, place_name, place_country, lat, lon, first_mention \
             FROM merged_events \
             WHERE merge_key = ?1 AND doc_only = ?2 AND date_start IS NULL ORDER BY id",
            &[key.into(), hash.into()],
        ),
    }
}

/// Merges the unmerged mentions of document `hash`, in their order in the document.
fn merge_doc(conn: &mut Conn, hash: &str, counts: &mut Counts) -> Result<(), BackendError> {
    let mentions = conn.query(
        "SELECT id, source_actor, target_actor, root, date_start, date_end, \
         place_name, place_country, lat, lon FROM events \
         WHERE doc = ?1 AND merged IS NULL AND NOT negated AND NOT hypothetical ORDER BY idx",
        &[hash.into()],
    )?;
    for m in mentions {
        let id = m[0].int();
        let (source, target, root) = (m[1].text(), m[2].text(), m[3].text().unwrap_or_default());
        let key = merge_key(source.as_deref(), target.as_deref(), &root);
        let (start, end) = (m[4].text(), m[5].text());
        let place = PlaceKey::from_cells(&m[6..10]);
        let range = start.zip(end);
        let candidates = candidates(conn, &key, source.is_some(), range.as_ref(), hash)?;
        let found = candidates
            .iter()
            .find(|c| places_compatible(place.as_ref(), PlaceKey::from_cells(&c[1..5]).as_ref()))
            .map(|c| c[0].int());
        let merged = match found {
            Some(merged) => merged,
            None => {
                let doc_only = if range.is_some() && source.is_some() {
                    Value::Null
                } else {
                    Value::Text(hash)
                };
                // A new merged event is its one mention: written whole at once (what refresh
                // would compute), so no UPDATE and none of their triggers run for it.
                let rows = conn.query(
                    "INSERT INTO merged_events (merge_key, doc_only, source_actor, target_actor, \
                     root, code, plover, goldstein, quad, date_from, mentions, documents, \
                     confidence, first_mention, date, date_precision, date_start, date_end, \
                     place_name, place_country, lat, lon, ev_source_text, ev_target_text, ev_doc, \
                     ev_title, ev_url, ev_published, ev_sentence, ev_text, ev_start, \
                     ev_trigger_start, ev_trigger_end, ev_trigger_text) \
                     SELECT ?1, ?2, e.source_actor, e.target_actor, e.root, e.code, e.plover, \
                     e.goldstein, e.quad, e.date_from, 1, 1, e.confidence, e.id, \
                     CASE WHEN e.date_start IS NULL THEN NULL ELSE e.date END, \
                     CASE WHEN e.date_start IS NULL THEN NULL ELSE e.date_precision END, \
                     e.date_start, e.date_end, e.place_name, \
                     CASE WHEN e.place_name IS NULL THEN NULL ELSE e.place_country END, \
                     CASE WHEN e.place_name IS NULL THEN NULL ELSE e.lat END, \
                     CASE WHEN e.place_name IS NULL THEN NULL ELSE e.lon END, \
                     e.source_text, e.target_text, d.id, d.title, d.url, \
                     CAST(d.published AS TEXT), e.sentence, s.text, s.start, e.trigger_start, \
                     e.trigger_end, e.trigger_text \
                     FROM events e JOIN documents d ON d.hash = e.doc \
                     LEFT JOIN sentences s ON s.doc = e.doc AND s.idx = e.sentence \
                     WHERE e.id = ?3 \
                     RETURNING id, source_actor, target_actor, place_country, date_start, \
                     date_end, quad",
                    &[key.as_str().into(), doc_only, Value::Int(id)],
                )?;
                let row = rows.first().ok_or_else(|| {
                    BackendError::from(format!("mention {id} vanished while merging"))
                })?;
                let merged = row[0].int();
                let cells: Vec<Option<String>> = row[1..6].iter().map(Cell::text).collect();
                counts.add(
                    conn,
                    &CountedEvent {
                        source: cells[0].as_deref(),
                        target: cells[1].as_deref(),
                        country: cells[2].as_deref(),
                        date_start: cells[3].as_deref(),
                        date_end: cells[4].as_deref(),
                        quad: row[6].int(),
                    },
                );
                conn.execute(
                    "UPDATE events SET merged = ?1 WHERE id = ?2",
                    &[Value::Int(merged), Value::Int(id)],
                )?;
                continue;
            }
        };
        conn.execute(
            "UPDATE events SET merged = ?1 WHERE id = ?2",
            &[Value::Int(merged), Value::Int(id)],
        )?;
        counts.flush(conn)?;
        refresh(conn, merged)?;
    }
    Ok(())
}

/// Recomputes merged event `id` from its mentions; deletes it when it has none left.
pub(crate) fn refresh(conn: &mut Conn, id: i64) -> Result<(), BackendError> {
    let id = Value::Int(id);
    conn.execute(
        "UPDATE merged_events SET \
         mentions = (SELECT count(*) FROM events e WHERE e.merged = ?1), \
         documents = (SELECT count(DISTINCT e.doc) FROM events e WHERE e.merged = ?1), \
         first_mention = (SELECT min(e.id) FROM events e WHERE e.merged = ?1), \
         confidence = coalesce((SELECT max(e.confidence) FROM events e WHERE e.merged = ?1), 0) \
         WHERE id = ?1",
        &[id],
    )?;
    if conn.execute(
        "DELETE FROM merged_events WHERE id = ?1 AND mentions = 0",
        &[id],
    )? > 0
    {
        return Ok(());
    }
    conn.execute(
        "UPDATE merged_events SET (code, plover, goldstein, quad, date_from) = \
         (SELECT e.code, e.plover, e.goldstein, e.quad, e.date_from FROM events e \
          WHERE e.id = merged_events.first_mention) WHERE id = ?1",
        &[id],
    )?;
    conn.execute(
        "UPDATE merged_events SET (date, date_precision, date_start, date_end) = \
         (SELECT e.date, e.date_precision, e.date_start, e.date_end FROM events e \
          WHERE e.merged = ?1 AND e.date_start IS NOT NULL \
          ORDER BY length(e.date) DESC, e.id LIMIT 1) WHERE id = ?1",
        &[id],
    )?;
    conn.execute(
        "UPDATE merged_events SET (place_name, place_country, lat, lon) = \
         (SELECT e.place_name, e.place_country, e.lat, e.lon FROM events e \
          WHERE e.merged = ?1 AND e.place_name IS NOT NULL ORDER BY e.id LIMIT 1) \
         WHERE id = ?1",
        &[id],
    )?;
    Ok(())
}

/// Merges every mention not merged yet, document by document in the order they were stored
/// (the upgrade of a store written before merged events existed).
pub(crate) fn merge_unmerged(conn: &mut Conn) -> Result<(), BackendError> {
    let docs = conn.query(
        "SELECT hash FROM documents WHERE hash IN (SELECT doc FROM events \
         WHERE merged IS NULL AND NOT negated AND NOT hypothetical) ORDER BY stored_at, hash",
        &[],
    )?;
    let mut counts = Counts::default();
    for doc in docs {
        if let Some(hash) = doc[0].text() {
            merge_doc(conn, &hash, &mut counts)?;
        }
    }
    counts.flush(conn)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_become_ranges_of_days() {
        let r = |d| date_range(Some(d));
        assert_eq!(r("2017"), Some(("2017-01-01".into(), "2017-12-31".into())));
        assert_eq!(
            r("2017-02"),
            Some(("2017-02-01".into(), "2017-02-31".into()))
        );
        assert_eq!(
            r("2017-02-28"),
            Some(("2017-02-28".into(), "2017-02-28".into()))
        );
        assert_eq!(r("2017-02-30"), None);
        assert_eq!(r("2017-13"), None);
        assert_eq!(r("20x7"), None);
        assert_eq!(r("é"), None);
        assert_eq!(date_range(None), None);
    }

    #[test]
    fn nearby_places_in_one_country_are_compatible() {
        let p = |name: &str, country: &str, lat, lon| PlaceKey {
            name: name.into(),
            country: Some(country.into()),
            lat,
            lon,
        };
        let aleppo = p("Aleppo", "SY", 36.20, 37.16);
        let near = p("Aleppo countryside", "SY", 36.40, 37.30);
        let homs = p("Homs", "SY", 34.73, 36.71);
        let kilis = p("Kilis", "TR", 36.72, 37.12);
        assert!(places_compatible(Some(&aleppo), Some(&near)));
        assert!(!places_compatible(Some(&aleppo), Some(&homs)));
        assert!(!places_compatible(Some(&aleppo), Some(&kilis)));
        assert!(places_compatible(Some(&aleppo), None));
        assert!(places_compatible(None, None));
        assert!((distance_km((36.20, 37.16), (34.73, 36.71)) - 169.0).abs() < 5.0);
    }

    #[test]
    fn lock_ids_are_stable() {
        assert_eq!(lock_id("RUS|SYR|19"), lock_id("RUS|SYR|19"));
        assert_ne!(lock_id("RUS|SYR|19"), lock_id("RUS|SYR|18"));
        assert_eq!(merge_key(Some("RUS"), None, "19"), "RUS||19");
    }
}
