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

use crate::backend::{Cell, Conn, Value};
use crate::error::BackendError;

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

/// Merges the unmerged mentions of document `hash`, in their order in the document.
pub(crate) fn merge_doc(conn: &mut Conn, hash: &str) -> Result<(), BackendError> {
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
        let candidates = match (&start, &end) {
            (Some(start), Some(end)) if source.is_some() => conn.query(
                "SELECT id, place_name, place_country, lat, lon FROM merged_events \
                 WHERE merge_key = ?1 AND doc_only IS NULL AND date_start <= ?2 \
                 AND date_end >= ?3 ORDER BY id",
                &[
                    key.as_str().into(),
                    end.as_str().into(),
                    start.as_str().into(),
                ],
            )?,
            (Some(start), Some(end)) => conn.query(
                "SELECT id, place_name, place_country, lat, lon FROM merged_events \
                 WHERE merge_key = ?1 AND doc_only = ?2 AND date_start <= ?3 \
                 AND date_end >= ?4 ORDER BY id",
                &[
                    key.as_str().into(),
                    hash.into(),
                    end.as_str().into(),
                    start.as_str().into(),
                ],
            )?,
            _ => conn.query(
                "SELECT id, place_name, place_country, lat, lon FROM merged_events \
                 WHERE merge_key = ?1 AND doc_only = ?2 AND date_start IS NULL ORDER BY id",
                &[key.as_str().into(), hash.into()],
            )?,
        };
        let found = candidates
            .iter()
            .find(|c| places_compatible(place.as_ref(), PlaceKey::from_cells(&c[1..5]).as_ref()))
            .map(|c| c[0].int());
        let merged = match found {
            Some(merged) => merged,
            None => {
                let doc_only = if start.is_some() && source.is_some() {
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
                     WHERE e.id = ?3 RETURNING id",
                    &[key.as_str().into(), doc_only, Value::Int(id)],
                )?;
                let merged = rows.first().map(|r| r[0].int()).ok_or_else(|| {
                    BackendError::from(format!("mention {id} vanished while merging"))
                })?;
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
    for doc in docs {
        if let Some(hash) = doc[0].text() {
            merge_doc(conn, &hash)?;
        }
    }
    Ok(())
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
