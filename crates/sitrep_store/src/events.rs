//! Event queries over the store: filtered, paged lists of merged events and of their mentions,
//! timeline counts, and the actors and places that appear in events.
//!
//! A *mention* is one event as the coder found it in one sentence of one document (a row of
//! `events`). A *merged event* groups the mentions from different documents that describe one
//! real-world event (same source and target actors, same CAMEO root, overlapping dates, same or
//! nearby place); [`Store::events`] lists merged events unless the filter asks for mentions.
//!
//! How the queries stay fast on a million events (migrations/*/0003): a filter becomes a list
//! of conditions ([`Cond`]); a page is read off an index led by one filter column and then in
//! page order (date_start, id), one index read per code of a prefix (RUS, RUSGOV, …), each
//! stopping after a page's rows, the newest of them making the page; each merged event's row
//! carries its evidence, so a page reads one row per event. Totals and month/year timelines of
//! filters on dates, quad class and one actor or country column are sums over
//! `merged_event_counts` (SQLite; kept by triggers); other totals count index entries, an
//! `either` filter as source + target − both.

use serde::Serialize;

use crate::backend::{Cell, Value};
use crate::{ErrorKind, Store, StoreError};

/// Which events a query wants. Every field is optional; `None` does not filter.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EventFilter {
    /// Source actor code, by prefix: "RUS" matches "RUS" and "RUSMIL".
    pub actor: Option<String>,
    /// Target actor code, by prefix.
    pub target: Option<String>,
    /// Source or target actor code, by prefix.
    pub either: Option<String>,
    /// CAMEO code by prefix: "19" is the family, "190" one code.
    pub code: Option<String>,
    /// Quad class 1–4 (verbal cooperation, material cooperation, verbal conflict, material conflict).
    pub quad: Option<u8>,
    /// First day, inclusive (YYYY, YYYY-MM or YYYY-MM-DD: a period's first day).
    pub from: Option<String>,
    /// Last day, inclusive (YYYY, YYYY-MM or YYYY-MM-DD: a period's last day).
    pub to: Option<String>,
    /// Place name, case-insensitive, whole name ("Aleppo").
    pub place: Option<String>,
    /// ISO 3166-1 alpha-2 country of the event's place ("SY").
    pub country: Option<String>,
    /// Full-text search over the evidence sentences.
    pub text: Option<String>,
    /// List mentions (one row per event found in a sentence) instead of merged events.
    pub mentions: bool,
    /// Page size (the store caps it at 10,000; 0 means the default, 100).
    pub limit: usize,
    /// Rows to skip.
    pub offset: usize,
    /// Keyset paging: only rows after this one in page order (offset still applies after
    /// it). Paging through millions of rows with `after` costs each page its own rows; with
    /// `offset`, every page reads all the rows before it again.
    pub after: Option<EventCursor>,
    /// Leave [`EventPage::total`] at 0 instead of counting the matches (a caller that pages
    /// through everything needs no total for each page).
    pub skip_total: bool,
}

/// A place in page order (newest first: date, then id; undated last), for
/// [`EventFilter::after`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EventCursor {
    /// The first day of the row's date (YYYY-MM-DD), `None` when undated.
    pub date_start: Option<String>,
    pub id: i64,
}

impl EventCursor {
    /// The cursor just after `event` (a row of a page of the same kind: merged or mentions).
    pub fn after(event: &EventRecord) -> EventCursor {
        EventCursor {
            date_start: crate::merge::date_range(event.date.as_deref()).map(|r| r.0),
            id: event.id,
        }
    }
}

/// Where an event happened.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EventPlaceRecord {
    pub name: String,
    /// ISO 3166-1 alpha-2.
    pub country: Option<String>,
    pub lat: f64,
    pub lon: f64,
}

/// The sentence an event was found in.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Evidence {
    /// The document's id (as [`Store::document`] takes it).
    pub doc: String,
    pub title: Option<String>,
    pub url: Option<String>,
    /// YYYY-MM-DD.
    pub published: Option<String>,
    /// Index of the sentence in the document.
    pub sentence: u32,
    /// The sentence's text.
    pub text: String,
    /// The trigger as a byte range of `text` (the sentence), checkable as `&text[start..end]`.
    pub trigger: [usize; 2],
}

/// A merged event, or one mention when the filter asked for mentions.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EventRecord {
    /// Merged events: the merged event's id; mentions: the mention's id.
    pub id: i64,
    /// CAMEO code ("0874").
    pub code: String,
    /// CAMEO root ("08").
    pub root: String,
    pub plover: Option<String>,
    pub goldstein: f64,
    pub quad: u8,
    /// Source actor code ("RUSGOV").
    pub source: Option<String>,
    /// The source as the text names it.
    pub source_text: Option<String>,
    pub target: Option<String>,
    pub target_text: Option<String>,
    /// YYYY-MM-DD, YYYY-MM or YYYY.
    pub date: Option<String>,
    /// "day", "month" or "year".
    pub date_precision: Option<String>,
    /// "text" or "published".
    pub date_from: String,
    pub place: Option<EventPlaceRecord>,
    /// How many mentions (1 for a mention).
    pub mentions: u32,
    /// How many documents the mentions come from (1 for a mention).
    pub documents: u32,
    pub confidence: f64,
    /// The first mention's sentence (merged events), or the mention's own.
    pub evidence: Evidence,
}

/// One page of events and how many match in all.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EventPage {
    pub total: u64,
    pub offset: usize,
    pub limit: usize,
    pub events: Vec<EventRecord>,
}

/// Timeline bucket width.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Period {
    Day,
    /// ISO weeks, named by their Monday.
    Week,
    #[default]
    Month,
    Year,
}

/// Event counts in one period, by quad class.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TimelineBucket {
    /// The period's first day, YYYY-MM-DD.
    pub period: String,
    /// Counts for quad classes 1, 2, 3, 4.
    pub quad: [u64; 4],
    pub total: u64,
}

/// An actor code and how often it is source and target of the events a filter selects.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ActorCount {
    pub actor: String,
    /// The name most often used for it in the text.
    pub name: Option<String>,
    pub as_source: u64,
    pub as_target: u64,
}

/// Who acts on whom: events from `source` to `target`, by quad class.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ActorEdge {
    pub source: String,
    pub target: String,
    pub quad: [u64; 4],
    pub total: u64,
}

/// A place where events happened, with their count.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PlaceCount {
    pub name: String,
    pub country: Option<String>,
    pub lat: f64,
    pub lon: f64,
    /// Events (merged) at this place.
    pub events: u64,
    /// Mentions of those events.
    pub mentions: u64,
}

/// Summary of one stored document, for lists.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DocumentSummary {
    pub id: String,
    pub title: Option<String>,
    pub url: Option<String>,
    pub source: Option<String>,
    pub published: Option<String>,
    pub events: u64,
}

/// The largest page [`Store::events`] returns.
pub const MAX_LIMIT: usize = 10_000;

/// The page size when the filter leaves it 0.
pub const DEFAULT_LIMIT: usize = 100;

impl Store {
    /// One page of events matching `filter`, newest first (by date, then id; undated last).
    pub fn events(&mut self, filter: &EventFilter) -> Result<EventPage, StoreError> {
        let limit = match filter.limit {
            0 => DEFAULT_LIMIT,
            n => n.min(MAX_LIMIT),
        };
        let mut page = EventPage {
            total: 0,
            offset: filter.offset,
            limit,
            events: Vec::new(),
        };
        let Some(mut q) = self.filtered(filter)? else {
            return Ok(page);
        };
        if !filter.skip_total {
            page.total = self.total(&q)?;
            if page.total <= filter.offset as u64 {
                return Ok(page);
            }
        }
        if let Some(cursor) = &filter.after {
            q.conds.push(Cond::After(cursor.clone()));
        }
        let (inner, params) = self.page_ids(&q, limit, filter.offset)?;
        let sql = if q.mentions {
            format!(
                "{MENTION_COLUMNS} FROM ({inner}) e {EVIDENCE_JOINS} ORDER BY {}",
                self.newest_first("e")
            )
        } else {
            format!(
                "{MERGED_COLUMNS} FROM ({inner}) m ORDER BY {}",
                self.newest_first("m")
            )
        };
        let rows = self.run(&sql, &params, "could not list events")?;
        page.events = rows.iter().map(|r| record(r)).collect();
        Ok(page)
    }

    /// How many events `q` selects. Filters on dates and quad classes alone add up
    /// `merged_event_counts`; an `either` filter is counted as source + target − both, each
    /// count read off one index.
    fn total(&mut self, q: &Filtered) -> Result<u64, StoreError> {
        let either = q.conds.iter().position(|c| matches!(c, Cond::Either(..)));
        let Some(i) = either else {
            return self.count_of(q, &q.conds);
        };
        let Cond::Either(s, t) = &q.conds[i] else {
            return self.count_of(q, &q.conds);
        };
        let mut rest = q.conds.clone();
        rest.remove(i);
        let with = |extra: &[Cond]| -> Vec<Cond> {
            let mut conds = rest.clone();
            conds.extend_from_slice(extra);
            conds
        };
        let source = Cond::In("source_actor", s.clone());
        let target = Cond::In("target_actor", t.clone());
        let sources = self.count_of(q, &with(std::slice::from_ref(&source)))?;
        let targets = self.count_of(q, &with(std::slice::from_ref(&target)))?;
        let both = self.count_of(q, &with(&[source, target]))?;
        Ok((sources + targets).saturating_sub(both))
    }

    /// How many rows `conds` select: a sum over `merged_event_counts` when it can tell,
    /// else count(*) read off the index [`index_for`] picks.
    fn count_of(&mut self, q: &Filtered, conds: &[Cond]) -> Result<u64, StoreError> {
        if let Some(months) = q.months(conds) {
            let mut params = Vec::new();
            let clause = months.clause(&mut params);
            let sql = format!(
                "SELECT CAST(coalesce(sum(n), 0) AS BIGINT) FROM merged_event_counts WHERE {clause}"
            );
            return self.count(&sql, &params);
        }
        let (table, a) = q.table();
        let mut params = Vec::new();
        let clause = q.render(conds, a, &mut params);
        let hint = self.index_hint(q, conds);
        let sql = format!("SELECT count(*) FROM {table} {a}{hint} WHERE {clause}");
        self.count(&sql, &params)
    }

    fn count(&mut self, sql: &str, params: &[Param]) -> Result<u64, StoreError> {
        let rows = self.run(sql, params, "could not count events")?;
        Ok(rows
            .first()
            .map_or(0, |r| u64::try_from(r[0].int()).unwrap_or(0)))
    }

    /// SQLite: ` INDEXED BY …` for rows filtered by `conds` (the query planner has no
    /// statistics to choose between the filter indexes); empty otherwise.
    fn index_hint(&self, q: &Filtered, conds: &[Cond]) -> String {
        if q.postgres {
            return String::new();
        }
        index_for(conds, q.mentions).map_or_else(String::new, |i| format!(" INDEXED BY {i}"))
    }

    /// A query for one page of `q`'s rows, newest first, and its parameters. Each value of
    /// the most selective filter column (each source actor code, say) reads its own newest
    /// rows off an index in page order, and the page is the newest of those: a page costs
    /// about its own rows times the number of codes, not every match.
    fn page_ids(
        &mut self,
        q: &Filtered,
        limit: usize,
        offset: usize,
    ) -> Result<(String, Vec<Param>), StoreError> {
        let (table, a) = q.table();
        let order = self.newest_first(a);
        let mut params = Vec::new();
        let Some(branches) = branches(&q.conds) else {
            let clause = q.render(&q.conds, a, &mut params);
            let hint = self.index_hint(q, &q.conds);
            let lim = push(&mut params, Param::Int(limit as i64));
            let off = push(&mut params, Param::Int(offset as i64));
            let sql = format!(
                "SELECT {a}.* FROM {table} {a}{hint} WHERE {clause} \
                 ORDER BY {order} LIMIT {lim} OFFSET {off}"
            );
            return Ok((sql, params));
        };
        let wanted = i64::try_from(limit.saturating_add(offset)).unwrap_or(i64::MAX);
        let mut selects = Vec::with_capacity(branches.len());
        for (i, conds) in branches.iter().enumerate() {
            let clause = q.render(conds, a, &mut params);
            let hint = self.index_hint(q, conds);
            let lim = push(&mut params, Param::Int(wanted));
            selects.push(format!(
                "SELECT * FROM (SELECT {a}.id, {a}.date_start FROM {table} {a}{hint} \
                 WHERE {clause} ORDER BY {order} LIMIT {lim}) b{i}"
            ));
        }
        let union = selects.join(" UNION ALL ");
        let lim = push(&mut params, Param::Int(limit as i64));
        let off = push(&mut params, Param::Int(offset as i64));
        let sql = format!(
            "SELECT {a}.* FROM {table} {a} WHERE {a}.id IN (SELECT u.id FROM ({union}) u \
             ORDER BY {} LIMIT {lim} OFFSET {off})",
            self.newest_first("u")
        );
        Ok((sql, params))
    }

    /// The mentions of merged event `id`, oldest document first; empty when there is no such id.
    pub fn mentions(&mut self, id: i64) -> Result<Vec<EventRecord>, StoreError> {
        let sql = format!(
            "{MENTION_COLUMNS} FROM events e {EVIDENCE_JOINS} WHERE e.merged = ?1 \
             ORDER BY d.published IS NULL, d.published, e.id"
        );
        let rows = self.run(
            &sql,
            &[Param::Int(id)],
            "could not list the mentions of an event",
        )?;
        Ok(rows.iter().map(|r| record(r)).collect())
    }

    /// Counts of the events `filter` selects (paging ignored) per period, oldest first,
    /// periods without events omitted. Events without a date are not counted; an event dated
    /// by month or year counts in the period of its first day.
    pub fn timeline(
        &mut self,
        filter: &EventFilter,
        by: Period,
    ) -> Result<Vec<TimelineBucket>, StoreError> {
        let Some(q) = self.filtered(filter)? else {
            return Ok(Vec::new());
        };
        // (period, quad class) → count; an `either` filter counts source + target − both.
        let mut counts: std::collections::BTreeMap<(String, i64), i64> = Default::default();
        let either = q.conds.iter().position(|c| matches!(c, Cond::Either(..)));
        let parts = match either.map(|i| (i, &q.conds[i])) {
            Some((i, Cond::Either(s, t))) => {
                let (source, target) = (
                    Cond::In("source_actor", s.clone()),
                    Cond::In("target_actor", t.clone()),
                );
                let mut by_source = q.conds.clone();
                by_source[i] = source.clone();
                let mut by_target = q.conds.clone();
                by_target[i] = target;
                let mut both = by_target.clone();
                both.push(source);
                vec![(by_source, 1), (by_target, 1), (both, -1)]
            }
            _ => vec![(q.conds.clone(), 1)],
        };
        for (conds, sign) in parts {
            for (period, quad, n) in self.timeline_rows(&q, &conds, by)? {
                *counts.entry((period, quad)).or_default() += sign * n;
            }
        }
        let mut buckets: Vec<TimelineBucket> = Vec::new();
        for ((period, quad), n) in counts {
            let n = u64::try_from(n).unwrap_or(0);
            if n == 0 {
                continue;
            }
            if buckets.last().is_none_or(|b| b.period != period) {
                buckets.push(TimelineBucket {
                    period,
                    quad: [0; 4],
                    total: 0,
                });
            }
            if let Some(b) = buckets.last_mut() {
                if let Some(slot) = usize::try_from(quad - 1)
                    .ok()
                    .and_then(|i| b.quad.get_mut(i))
                {
                    *slot += n;
                }
                b.total += n;
            }
        }
        Ok(buckets)
    }

    /// (period, quad class, count) of the dated rows `conds` select: sums of
    /// `merged_event_counts` (first month, quad class) when they can tell, else a count read
    /// off the index [`index_for`] picks.
    fn timeline_rows(
        &mut self,
        q: &Filtered,
        conds: &[Cond],
        by: Period,
    ) -> Result<Vec<(String, i64, i64)>, StoreError> {
        let (table, a) = q.table();
        let bucket = match (by, self.conn.is_postgres()) {
            (Period::Day, _) => format!("{a}.date_start"),
            (Period::Month, _) => format!("substr({a}.date_start, 1, 7) || '-01'"),
            (Period::Year, _) => format!("substr({a}.date_start, 1, 4) || '-01-01'"),
            (Period::Week, false) => format!("date({a}.date_start, 'weekday 0', '-6 days')"),
            (Period::Week, true) => {
                format!("to_char(date_trunc('week', CAST({a}.date_start AS DATE)), 'YYYY-MM-DD')")
            }
        };
        let months = q
            .months(conds)
            .filter(|_| matches!(by, Period::Month | Period::Year));
        let mut params = Vec::new();
        let sql = if let Some(months) = months {
            let bucket = if by == Period::Month {
                "start_month || '-01'"
            } else {
                "substr(start_month, 1, 4) || '-01-01'"
            };
            let clause = months.clause(&mut params);
            format!(
                "SELECT {bucket}, quad, CAST(sum(n) AS BIGINT) FROM merged_event_counts \
                 WHERE {clause} AND start_month <> '' GROUP BY 1, 2"
            )
        } else {
            let hint = if conds.is_empty() {
                String::new()
            } else {
                self.index_hint(q, conds)
            };
            let clause = q.render(conds, a, &mut params);
            format!(
                "SELECT {bucket}, {a}.quad, count(*) FROM {table} {a}{hint} \
                 WHERE {clause} AND {a}.date_start IS NOT NULL GROUP BY 1, 2"
            )
        };
        let rows = self.run(&sql, &params, "could not count events over time")?;
        Ok(rows
            .iter()
            .map(|r| (r[0].text().unwrap_or_default(), r[1].int(), r[2].int()))
            .collect())
    }

    /// Actors of the events `filter` selects, most frequent first, at most `limit`. Each
    /// actor's name is the text most often naming it among (up to 1,000 of) its mentions.
    pub fn actors(
        &mut self,
        filter: &EventFilter,
        limit: usize,
    ) -> Result<Vec<ActorCount>, StoreError> {
        let Some(mut q) = self.filtered(filter)? else {
            return Ok(Vec::new());
        };
        let (table, a) = q.table();
        let lim = push(&mut q.params, Param::Int(limit.min(MAX_LIMIT) as i64));
        let sql = format!(
            "SELECT x.actor, CAST(sum(x.s) AS BIGINT), CAST(sum(x.t) AS BIGINT) FROM (\
             SELECT {a}.source_actor AS actor, 1 AS s, 0 AS t FROM {table} {a} \
             WHERE {w} AND {a}.source_actor IS NOT NULL UNION ALL \
             SELECT {a}.target_actor, 0, 1 FROM {table} {a} \
             WHERE {w} AND {a}.target_actor IS NOT NULL) x \
             GROUP BY x.actor ORDER BY sum(x.s) + sum(x.t) DESC, x.actor LIMIT {lim}",
            w = q.clause
        );
        let rows = self.run(&sql, &q.params, "could not count actors")?;
        let mut actors = Vec::with_capacity(rows.len());
        for row in rows {
            let actor = row[0].text().unwrap_or_default();
            let names = self.run(
                "SELECT txt FROM (\
                 SELECT source_text AS txt FROM (SELECT source_text FROM events \
                 WHERE source_actor = ?1 LIMIT 500) s UNION ALL \
                 SELECT target_text FROM (SELECT target_text FROM events \
                 WHERE target_actor = ?1 LIMIT 500) t) x \
                 WHERE txt IS NOT NULL GROUP BY txt ORDER BY count(*) DESC, txt LIMIT 1",
                &[Param::Text(actor.clone())],
                "could not name an actor",
            )?;
            actors.push(ActorCount {
                name: names.first().and_then(|r| r[0].text()),
                actor,
                as_source: u64::try_from(row[1].int()).unwrap_or(0),
                as_target: u64::try_from(row[2].int()).unwrap_or(0),
            });
        }
        Ok(actors)
    }

    /// Source → target edges of the events `filter` selects, heaviest first, at most `limit`.
    pub fn network(
        &mut self,
        filter: &EventFilter,
        limit: usize,
    ) -> Result<Vec<ActorEdge>, StoreError> {
        let Some(q) = self.filtered(filter)? else {
            return Ok(Vec::new());
        };
        let (table, a) = q.table();
        let sql = format!(
            "SELECT {a}.source_actor, {a}.target_actor, {a}.quad, count(*) FROM {table} {a} \
             WHERE {} AND {a}.source_actor IS NOT NULL AND {a}.target_actor IS NOT NULL \
             GROUP BY 1, 2, 3 ORDER BY 1, 2",
            q.clause
        );
        let rows = self.run(&sql, &q.params, "could not count who acts on whom")?;
        let mut edges: Vec<ActorEdge> = Vec::new();
        for row in rows {
            let (source, target) = (
                row[0].text().unwrap_or_default(),
                row[1].text().unwrap_or_default(),
            );
            if edges
                .last()
                .is_none_or(|e| e.source != source || e.target != target)
            {
                edges.push(ActorEdge {
                    source,
                    target,
                    quad: [0; 4],
                    total: 0,
                });
            }
            let n = u64::try_from(row[3].int()).unwrap_or(0);
            if let Some(e) = edges.last_mut() {
                if let Some(slot) = usize::try_from(row[2].int() - 1)
                    .ok()
                    .and_then(|i| e.quad.get_mut(i))
                {
                    *slot += n;
                }
                e.total += n;
            }
        }
        edges.sort_by(|x, y| {
            y.total
                .cmp(&x.total)
                .then_with(|| (&x.source, &x.target).cmp(&(&y.source, &y.target)))
        });
        edges.truncate(limit.min(MAX_LIMIT));
        Ok(edges)
    }

    /// Places of the events `filter` selects, most events first, at most `limit`.
    pub fn event_places(
        &mut self,
        filter: &EventFilter,
        limit: usize,
    ) -> Result<Vec<PlaceCount>, StoreError> {
        let Some(mut q) = self.filtered(filter)? else {
            return Ok(Vec::new());
        };
        let (table, a) = q.table();
        let mentions = if q.mentions { "1" } else { "m.mentions" };
        let lim = push(&mut q.params, Param::Int(limit.min(MAX_LIMIT) as i64));
        let sql = format!(
            "SELECT {a}.place_name, {a}.place_country, avg({a}.lat), avg({a}.lon), count(*), \
             CAST(sum({mentions}) AS BIGINT) FROM {table} {a} \
             WHERE {} AND {a}.place_name IS NOT NULL GROUP BY {a}.place_name, {a}.place_country \
             ORDER BY count(*) DESC, {a}.place_name LIMIT {lim}",
            q.clause
        );
        let rows = self.run(&sql, &q.params, "could not count places")?;
        Ok(rows
            .iter()
            .map(|r| PlaceCount {
                name: r[0].text().unwrap_or_default(),
                country: r[1].text(),
                lat: r[2].real(),
                lon: r[3].real(),
                events: u64::try_from(r[4].int()).unwrap_or(0),
                mentions: u64::try_from(r[5].int()).unwrap_or(0),
            })
            .collect())
    }

    /// Stored documents, newest publication first, and how many there are. A document's
    /// `events` counts its mentions that are events (neither negated nor hypothetical).
    pub fn documents(
        &mut self,
        limit: usize,
        offset: usize,
    ) -> Result<(u64, Vec<DocumentSummary>), StoreError> {
        let total = self.run(
            "SELECT count(*) FROM documents",
            &[],
            "could not count documents",
        )?;
        let total = total
            .first()
            .map_or(0, |r| u64::try_from(r[0].int()).unwrap_or(0));
        let order = if self.conn.is_postgres() {
            "d.published DESC NULLS LAST, d.hash DESC"
        } else {
            "d.published DESC, d.rowid DESC"
        };
        let sql = format!(
            "SELECT d.id, d.title, d.url, d.source, CAST(d.published AS TEXT), \
             (SELECT count(*) FROM events e WHERE e.doc = d.hash AND e.merged IS NOT NULL) \
             FROM documents d ORDER BY {order} LIMIT ?1 OFFSET ?2"
        );
        let rows = self.run(
            &sql,
            &[
                Param::Int(limit.min(MAX_LIMIT) as i64),
                Param::Int(i64::try_from(offset).unwrap_or(i64::MAX)),
            ],
            "could not list documents",
        )?;
        Ok((
            total,
            rows.iter()
                .map(|r| DocumentSummary {
                    id: r[0].text().unwrap_or_default(),
                    title: r[1].text(),
                    url: r[2].text(),
                    source: r[3].text(),
                    published: r[4].text(),
                    events: u64::try_from(r[5].int()).unwrap_or(0),
                })
                .collect(),
        ))
    }

    fn newest_first(&self, alias: &str) -> String {
        if self.conn.is_postgres() {
            format!("{alias}.date_start DESC NULLS LAST, {alias}.id DESC")
        } else {
            format!("{alias}.date_start DESC, {alias}.id DESC")
        }
    }

    fn run(
        &mut self,
        sql: &str,
        params: &[Param],
        what: &str,
    ) -> Result<Vec<Vec<Cell>>, StoreError> {
        let values: Vec<Value<'_>> = params.iter().map(Param::value).collect();
        self.conn
            .query_dyn(sql, &values)
            .map_err(|e| StoreError::query(&self.db, what, e))
    }

    fn input(&self, message: String, hint: &str) -> StoreError {
        StoreError::new(&self.db, ErrorKind::Input, message).hint(hint)
    }

    /// The conditions `filter` asks for, or `None` when nothing can match (an actor or code
    /// prefix no event has).
    fn filtered(&mut self, filter: &EventFilter) -> Result<Option<Filtered>, StoreError> {
        let mentions = filter.mentions;
        // Merged events are events only; mentions include negated and hypothetical ones.
        let table = if mentions { "events" } else { "merged_events" };
        let mut conds: Vec<Cond> = Vec::new();
        if let Some(quad) = filter.quad {
            if !(1..=4).contains(&quad) {
                return Err(self.input(
                    format!("quad class {quad} does not exist"),
                    "a quad class is 1 (verbal cooperation), 2 (material cooperation), \
                     3 (verbal conflict) or 4 (material conflict)",
                ));
            }
            conds.push(Cond::Quad(quad.into()));
        }
        let from = match &filter.from {
            Some(s) => Some(day_bound(s, false).ok_or_else(|| bad_date(self, "from", s))?),
            None => None,
        };
        let to = match &filter.to {
            Some(s) => Some(day_bound(s, true).ok_or_else(|| bad_date(self, "to", s))?),
            None => None,
        };
        if let Some(from) = from {
            conds.push(Cond::From(from));
        }
        if let Some(to) = to {
            conds.push(Cond::To(to));
        }
        for (column, prefix) in [
            ("source_actor", &filter.actor),
            ("target_actor", &filter.target),
            ("code", &filter.code),
        ] {
            if let Some(prefix) = prefix {
                let codes = self.expand(table, column, prefix.trim())?;
                if codes.is_empty() {
                    return Ok(None);
                }
                conds.push(Cond::In(column, codes));
            }
        }
        if let Some(either) = &filter.either {
            let s = self.expand(table, "source_actor", either.trim())?;
            let t = self.expand(table, "target_actor", either.trim())?;
            match (s.is_empty(), t.is_empty()) {
                (true, true) => return Ok(None),
                (false, true) => conds.push(Cond::In("source_actor", s)),
                (true, false) => conds.push(Cond::In("target_actor", t)),
                (false, false) => conds.push(Cond::Either(s, t)),
            }
        }
        if let Some(place) = &filter.place {
            conds.push(Cond::Place(place.trim().to_owned()));
        }
        if let Some(country) = &filter.country {
            conds.push(Cond::Country(country.trim().to_ascii_uppercase()));
        }
        if let Some(text) = &filter.text {
            let query = if self.conn.is_postgres() {
                (!text.trim().is_empty()).then(|| text.clone())
            } else {
                crate::fts5_query(text)
            };
            let Some(query) = query else {
                return Err(crate::empty_search(&self.db));
            };
            conds.push(Cond::Text(query));
        }
        let mut q = Filtered {
            conds,
            clause: String::new(),
            params: Vec::new(),
            mentions,
            postgres: self.conn.is_postgres(),
        };
        let (_, a) = q.table();
        let mut params = Vec::new();
        q.clause = q.render(&q.conds, a, &mut params);
        q.params = params;
        Ok(Some(q))
    }

    /// The distinct values of `column` that start with `prefix`, read off its index one seek
    /// per value (a loose index scan): a few hundred codes at most, so that the query can look
    /// up (source, target, date) ranges instead of scanning every event of a prefix.
    fn expand(
        &mut self,
        table: &str,
        column: &str,
        prefix: &str,
    ) -> Result<Vec<String>, StoreError> {
        let sql = format!(
            "WITH RECURSIVE c(v) AS (\
             SELECT min({column}) FROM {table} WHERE {column} >= ?1 AND {column} < ?2 \
             UNION ALL \
             SELECT (SELECT min({column}) FROM {table} WHERE {column} > c.v AND {column} < ?2) \
             FROM c WHERE c.v IS NOT NULL) \
             SELECT v FROM c WHERE v IS NOT NULL"
        );
        let upper = format!("{prefix}\u{10FFFF}");
        let rows = self.run(
            &sql,
            &[Param::Text(prefix.to_owned()), Param::Text(upper)],
            "could not look up actor codes",
        )?;
        Ok(rows.iter().filter_map(|r| r[0].text()).collect())
    }
}

fn bad_date(store: &Store, which: &str, value: &str) -> StoreError {
    store.input(
        format!("{value:?} (--{which}) is not a date"),
        "write a date as YYYY, YYYY-MM or YYYY-MM-DD, e.g. 2017, 2017-12 or 2017-12-11",
    )
}

/// One condition of a filter.
#[derive(Clone, Debug, PartialEq)]
enum Cond {
    Quad(i64),
    /// First day: the event's last day is on or after it.
    From(String),
    /// Last day: the event's first day is on or before it.
    To(String),
    /// `column IN (codes)`: source_actor, target_actor or code.
    In(&'static str, Vec<String>),
    /// Source actor among the first codes or target actor among the second (both non-empty).
    Either(Vec<String>, Vec<String>),
    /// `column` missing or not among the codes.
    NotIn(&'static str, Vec<String>),
    /// Place name, compared case-insensitively.
    Place(String),
    Country(String),
    /// A full-text query (FTS5 syntax on SQLite, websearch text on PostgreSQL).
    Text(String),
    /// Rows after this one in page order (keyset paging; never counted).
    After(EventCursor),
}

/// A filter turned into conditions, and into one WHERE clause.
struct Filtered {
    conds: Vec<Cond>,
    /// All conditions as one WHERE clause over `table()`, with `params`.
    clause: String,
    params: Vec<Param>,
    mentions: bool,
    postgres: bool,
}

impl Filtered {
    fn table(&self) -> (&'static str, &'static str) {
        if self.mentions {
            ("events", "e")
        } else {
            ("merged_events", "m")
        }
    }

    /// `conds` as rows of `merged_event_counts` (SQLite), when they filter merged events by
    /// quad class, whole months (YYYY and YYYY-MM bounds are whole months) and at most one
    /// of source actor, target actor and country.
    fn months(&self, conds: &[Cond]) -> Option<Months> {
        if self.mentions || self.postgres {
            return None;
        }
        let mut months = Months::default();
        for cond in conds {
            match cond {
                Cond::Quad(quad) => months.quad = Some(*quad),
                Cond::In(column @ ("source_actor" | "target_actor"), codes)
                    if months.dim.is_none() =>
                {
                    let dim = if *column == "source_actor" { "s" } else { "t" };
                    months.dim = Some((dim, codes.clone()));
                }
                Cond::Country(country) if months.dim.is_none() => {
                    months.dim = Some(("c", vec![country.clone()]));
                }
                Cond::From(from) if from.ends_with("-01") => months.from = Some(from[..7].into()),
                Cond::To(to) => {
                    let day: jiff::civil::Date = to.parse().ok()?;
                    if day != day.last_of_month() {
                        return None;
                    }
                    months.to = Some(to[..7].into());
                }
                _ => return None,
            }
        }
        Some(months)
    }

    /// `conds` as a WHERE clause over alias `a` (`1 = 1` when there are none), their
    /// parameters appended to `params`.
    fn render(&self, conds: &[Cond], a: &str, params: &mut Vec<Param>) -> String {
        let mut clause: Vec<String> = Vec::new();
        let list = |params: &mut Vec<Param>, codes: &[String]| -> String {
            let list: Vec<String> = codes
                .iter()
                .map(|c| push(params, Param::Text(c.clone())))
                .collect();
            list.join(", ")
        };
        for cond in conds {
            clause.push(match cond {
                Cond::Quad(quad) => format!("{a}.quad = {}", push(params, Param::Int(*quad))),
                Cond::From(from) => {
                    // A date spans at most a year, so date_end >= from implies date_start >
                    // from - 1 year: a bound the date indexes can seek on.
                    let year: i32 = from[..4].parse().unwrap_or(0);
                    let earliest = format!("{:04}{}", year - 1, &from[4..]);
                    let p = push(params, Param::Text(from.clone()));
                    let q = push(params, Param::Text(earliest));
                    format!("{a}.date_end >= {p} AND {a}.date_start >= {q}")
                }
                Cond::To(to) => format!(
                    "{a}.date_start <= {}",
                    push(params, Param::Text(to.clone()))
                ),
                Cond::In(column, codes) if codes.len() == 1 => format!(
                    "{a}.{column} = {}",
                    push(params, Param::Text(codes[0].clone()))
                ),
                Cond::In(column, codes) => format!("{a}.{column} IN ({})", list(params, codes)),
                Cond::NotIn(column, codes) => format!(
                    "({a}.{column} IS NULL OR {a}.{column} NOT IN ({}))",
                    list(params, codes)
                ),
                Cond::Either(s, t) => format!(
                    "({a}.source_actor IN ({}) OR {a}.target_actor IN ({}))",
                    list(params, s),
                    list(params, t)
                ),
                Cond::Place(place) => format!(
                    "lower({a}.place_name) = lower({})",
                    push(params, Param::Text(place.clone()))
                ),
                Cond::Country(country) => format!(
                    "{a}.place_country = {}",
                    push(params, Param::Text(country.clone()))
                ),
                // Newest first puts undated rows last: after a dated row come earlier dates, the
                // same date with lower ids, and every undated row; after an undated row, undated
                // rows with lower ids. A row value compares as the indexes are ordered.
                Cond::After(EventCursor {
                    date_start: Some(day),
                    id,
                }) => {
                    let d = push(params, Param::Text(day.clone()));
                    let i = push(params, Param::Int(*id));
                    format!("(({a}.date_start, {a}.id) < ({d}, {i}) OR {a}.date_start IS NULL)")
                }
                Cond::After(EventCursor {
                    date_start: None,
                    id,
                }) => format!(
                    "({a}.date_start IS NULL AND {a}.id < {})",
                    push(params, Param::Int(*id))
                ),
                Cond::Text(query) => {
                    let wanted = if self.mentions { "x.id" } else { "x.merged" };
                    let p = push(params, Param::Text(query.clone()));
                    if self.postgres {
                        format!(
                            "{a}.id IN (SELECT {wanted} FROM sentences s JOIN events x \
                             ON x.doc = s.doc AND x.sentence = s.idx \
                             WHERE s.tsv @@ websearch_to_tsquery('english', {p}))"
                        )
                    } else {
                        format!(
                            "{a}.id IN (SELECT {wanted} FROM sentences_fts JOIN sentences s \
                             ON s.id = sentences_fts.rowid JOIN events x \
                             ON x.doc = s.doc AND x.sentence = s.idx WHERE sentences_fts MATCH {p})"
                        )
                    }
                }
            });
        }
        if clause.is_empty() {
            clause.push("1 = 1".to_owned());
        }
        clause.join(" AND ")
    }
}

/// A filter on `merged_event_counts`: one dimension's values ('s' source actor, 't' target
/// actor, 'c' country; none: all events), quad class, and months as YYYY-MM. An event's last
/// day is on or after the first day of month `from` exactly when its last month is on or after
/// `from`; its first day is on or before the last day of month `to` exactly when its first
/// month is on or before `to`.
#[derive(Debug, Default)]
struct Months {
    dim: Option<(&'static str, Vec<String>)>,
    quad: Option<i64>,
    from: Option<String>,
    to: Option<String>,
}

impl Months {
    /// The WHERE clause (undated events, month '', match no date bound).
    fn clause(&self, params: &mut Vec<Param>) -> String {
        let mut clause = Vec::new();
        match &self.dim {
            None => clause.push("dim = '' AND value = ''".to_owned()),
            Some((dim, values)) => {
                let list: Vec<String> = values
                    .iter()
                    .map(|v| push(params, Param::Text(v.clone())))
                    .collect();
                clause.push(format!("dim = '{dim}' AND value IN ({})", list.join(", ")));
            }
        }
        if let Some(quad) = self.quad {
            clause.push(format!("quad = {}", push(params, Param::Int(quad))));
        }
        if let Some(from) = &self.from {
            clause.push(format!(
                "end_month >= {}",
                push(params, Param::Text(from.clone()))
            ));
        }
        if let Some(to) = &self.to {
            clause.push(format!(
                "start_month <= {} AND start_month <> ''",
                push(params, Param::Text(to.clone()))
            ));
        }
        clause.join(" AND ")
    }
}

/// At most this many index reads are merged into one page ([`branches`]).
const MAX_BRANCHES: usize = 64;

/// The conditions of each index read that together give a page of `conds`: each read's
/// conditions select rows in page order off the index [`index_for`] picks, and no row comes up
/// in two reads. `None` when one read does (or too many would).
fn branches(conds: &[Cond]) -> Option<Vec<Vec<Cond>>> {
    if conds.iter().any(|c| matches!(c, Cond::Text(_))) {
        return None;
    }
    let codes = |column: &str| {
        conds.iter().enumerate().find_map(|(i, c)| match c {
            Cond::In(col, codes) if *col == column => Some((i, codes)),
            _ => None,
        })
    };
    let one = |reads: &mut Vec<Vec<Cond>>, i: usize, column: &'static str, code: &String| {
        let mut v = conds.to_vec();
        v[i] = Cond::In(column, vec![code.clone()]);
        reads.push(v);
    };
    let mut reads = Vec::new();
    if let Some(i) = conds.iter().position(|c| matches!(c, Cond::Either(..))) {
        let Cond::Either(s, t) = &conds[i] else {
            return None;
        };
        for code in s {
            one(&mut reads, i, "source_actor", code);
        }
        // Events whose source is among `s` come up in the reads by source already.
        for code in t {
            let mut v = conds.to_vec();
            v[i] = Cond::In("target_actor", vec![code.clone()]);
            v.push(Cond::NotIn("source_actor", s.clone()));
            reads.push(v);
        }
    } else {
        match (codes("source_actor"), codes("target_actor"), codes("code")) {
            (Some((i, s)), Some((j, t)), _) if s.len() * t.len() <= MAX_BRANCHES => {
                for source in s {
                    for target in t {
                        let mut v = conds.to_vec();
                        v[i] = Cond::In("source_actor", vec![source.clone()]);
                        v[j] = Cond::In("target_actor", vec![target.clone()]);
                        reads.push(v);
                    }
                }
            }
            (Some((i, s)), None, Some((j, c))) if s.len() * c.len() <= MAX_BRANCHES => {
                for source in s {
                    for code in c {
                        let mut v = conds.to_vec();
                        v[i] = Cond::In("source_actor", vec![source.clone()]);
                        v[j] = Cond::In("code", vec![code.clone()]);
                        reads.push(v);
                    }
                }
            }
            (Some((i, s)), _, _) => s
                .iter()
                .for_each(|code| one(&mut reads, i, "source_actor", code)),
            (None, Some((i, t)), _) => t
                .iter()
                .for_each(|code| one(&mut reads, i, "target_actor", code)),
            (None, None, Some((i, c))) => {
                c.iter().for_each(|code| one(&mut reads, i, "code", code))
            }
            (None, None, None) => {}
        }
    }
    (reads.len() > 1 && reads.len() <= MAX_BRANCHES).then_some(reads)
}

/// The index (migrations/sqlite/0003) a query of merged events or mentions with these
/// conditions reads: the one led by its most selective filter column.
fn index_for(conds: &[Cond], mentions: bool) -> Option<&'static str> {
    let has = |column: &str| {
        conds
            .iter()
            .any(|c| matches!(c, Cond::In(col, _) if *col == column))
    };
    if conds
        .iter()
        .any(|c| matches!(c, Cond::Text(_) | Cond::Either(..)))
    {
        return None;
    }
    if mentions {
        return if has("source_actor") {
            Some("events_source")
        } else if has("target_actor") {
            Some("events_target")
        } else {
            None
        };
    }
    // A pair of actors, or an actor and a code, read the source's index (its covering columns
    // hold target and code); quad classes read the date index and filter (a quarter of the rows
    // match: a page costs four times its rows). Migration 0004 says why no index of their own.
    Some(if has("source_actor") {
        "merged_events_by_source"
    } else if has("target_actor") {
        "merged_events_by_target"
    } else if has("code") {
        "merged_events_by_code"
    } else if conds.iter().any(|c| matches!(c, Cond::Country(_))) {
        "merged_events_by_country"
    } else {
        "merged_events_by_date"
    })
}

/// An owned query parameter.
#[derive(Clone, Debug)]
enum Param {
    Int(i64),
    Text(String),
}

impl Param {
    fn value(&self) -> Value<'_> {
        match self {
            Param::Int(i) => Value::Int(*i),
            Param::Text(t) => Value::Text(t),
        }
    }
}

/// Adds a parameter; returns its placeholder.
fn push(params: &mut Vec<Param>, param: Param) -> String {
    params.push(param);
    format!("?{}", params.len())
}

/// The first (or last) day of a period written YYYY, YYYY-MM or YYYY-MM-DD.
fn day_bound(s: &str, last: bool) -> Option<String> {
    let s = s.trim();
    if !s.is_ascii() {
        return None;
    }
    let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    match s.len() {
        4 if digits(s) => Some(format!("{s}-{}", if last { "12-31" } else { "01-01" })),
        7 if digits(&s[..4]) && &s[4..5] == "-" && digits(&s[5..]) => {
            let first =
                jiff::civil::Date::new(s[..4].parse().ok()?, s[5..].parse().ok()?, 1).ok()?;
            Some(if last { first.last_of_month() } else { first }.to_string())
        }
        10 => s.parse::<jiff::civil::Date>().ok().map(|d| d.to_string()),
        _ => None,
    }
}

/// The columns [`record`] reads, for a merged event `m` (its evidence columns are its first
/// mention's, copied by the trigger of migration 0003).
const MERGED_COLUMNS: &str = "SELECT m.id, m.code, m.root, m.plover, m.goldstein, m.quad, \
     m.source_actor, m.ev_source_text, m.target_actor, m.ev_target_text, m.date, \
     m.date_precision, m.date_from, m.place_name, m.place_country, m.lat, m.lon, m.mentions, \
     m.documents, m.confidence, m.ev_doc, m.ev_title, m.ev_url, m.ev_published, m.ev_sentence, \
     m.ev_text, m.ev_start, m.ev_trigger_start, m.ev_trigger_end, m.ev_trigger_text";

/// The columns [`record`] reads, for a mention `e`.
const MENTION_COLUMNS: &str = "SELECT e.id, e.code, e.root, e.plover, e.goldstein, e.quad, \
     e.source_actor, e.source_text, e.target_actor, e.target_text, e.date, e.date_precision, \
     e.date_from, e.place_name, e.place_country, e.lat, e.lon, 1, 1, \
     e.confidence, d.id, d.title, d.url, CAST(d.published AS TEXT), e.sentence, s.text, \
     s.start, e.trigger_start, e.trigger_end, e.trigger_text";

/// The document and sentence of mention `e`.
const EVIDENCE_JOINS: &str =
    "JOIN documents d ON d.hash = e.doc LEFT JOIN sentences s ON s.doc = e.doc AND s.idx = e.sentence";

fn record(r: &[Cell]) -> EventRecord {
    let count = |c: &Cell| u32::try_from(c.int()).unwrap_or(0);
    let place = r[13].text().map(|name| EventPlaceRecord {
        name,
        country: r[14].text(),
        lat: r[15].real(),
        lon: r[16].real(),
    });
    // The trigger as a range of the sentence; without the sentence, the trigger is the text.
    let trigger_text = r[29].text().unwrap_or_default();
    let (text, trigger) = match r[25].text() {
        Some(sentence) => {
            let start = r[26].int();
            let range = usize::try_from(r[27].int() - start)
                .ok()
                .zip(usize::try_from(r[28].int() - start).ok())
                .filter(|&(s, e)| sentence.get(s..e).is_some());
            match range {
                Some((s, e)) => (sentence, [s, e]),
                None => (trigger_text.clone(), [0, trigger_text.len()]),
            }
        }
        None => (trigger_text.clone(), [0, trigger_text.len()]),
    };
    EventRecord {
        id: r[0].int(),
        code: r[1].text().unwrap_or_default(),
        root: r[2].text().unwrap_or_default(),
        plover: r[3].text(),
        goldstein: r[4].real(),
        quad: u8::try_from(r[5].int()).unwrap_or(0),
        source: r[6].text(),
        source_text: r[7].text(),
        target: r[8].text(),
        target_text: r[9].text(),
        date: r[10].text(),
        date_precision: r[11].text(),
        date_from: r[12].text().unwrap_or_default(),
        place,
        mentions: count(&r[17]),
        documents: count(&r[18]),
        confidence: r[19].real(),
        evidence: Evidence {
            doc: r[20].text().unwrap_or_default(),
            title: r[21].text(),
            url: r[22].text(),
            published: r[23].text(),
            sentence: u32::try_from(r[24].int()).unwrap_or(0),
            text,
            trigger,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_become_their_first_and_last_day() {
        assert_eq!(day_bound("2015", false).as_deref(), Some("2015-01-01"));
        assert_eq!(day_bound("2015", true).as_deref(), Some("2015-12-31"));
        assert_eq!(day_bound("2016-02", true).as_deref(), Some("2016-02-29"));
        assert_eq!(day_bound("2017-02", false).as_deref(), Some("2017-02-01"));
        assert_eq!(day_bound("2017-12-11", true).as_deref(), Some("2017-12-11"));
        for bad in [
            "2017-13",
            "2017-02-30",
            "17",
            "2017/12",
            "",
            "2017-1",
            "é2017",
        ] {
            assert_eq!(day_bound(bad, false), None, "{bad}");
        }
    }

    #[test]
    fn placeholders_are_numbered_in_order() {
        let mut params = Vec::new();
        assert_eq!(push(&mut params, Param::Int(1)), "?1");
        assert_eq!(push(&mut params, Param::Text("x".into())), "?2");
    }
}
