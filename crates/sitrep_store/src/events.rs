//! Event queries over the store: filtered, paged lists of merged events and of their mentions,
//! timeline counts, and the actors and places that appear in events.
//!
//! A *mention* is one event as the coder found it in one sentence of one document (a row of
//! `events`). A *merged event* groups the mentions from different documents that describe one
//! real-world event (same source and target actors, same CAMEO root, overlapping dates, same or
//! nearby place); [`Store::events`] lists merged events unless the filter asks for mentions.

use serde::Serialize;

use crate::{Store, StoreError};

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
    /// Page size (the store caps it at 10,000).
    pub limit: usize,
    /// Rows to skip.
    pub offset: usize,
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

impl Store {
    /// One page of events matching `filter`, newest first (by date, then id).
    pub fn events(&mut self, filter: &EventFilter) -> Result<EventPage, StoreError> {
        let _ = filter;
        todo_stub()
    }

    /// The mentions of merged event `id`, oldest document first; empty when there is no such id.
    pub fn mentions(&mut self, id: i64) -> Result<Vec<EventRecord>, StoreError> {
        let _ = id;
        todo_stub()
    }

    /// Counts of the events `filter` selects (paging ignored) per period, oldest first,
    /// periods without events omitted. Events without a date are not counted.
    pub fn timeline(
        &mut self,
        filter: &EventFilter,
        by: Period,
    ) -> Result<Vec<TimelineBucket>, StoreError> {
        let _ = (filter, by);
        todo_stub()
    }

    /// Actors of the events `filter` selects, most frequent first, at most `limit`.
    pub fn actors(
        &mut self,
        filter: &EventFilter,
        limit: usize,
    ) -> Result<Vec<ActorCount>, StoreError> {
        let _ = (filter, limit);
        todo_stub()
    }

    /// Source → target edges of the events `filter` selects, heaviest first, at most `limit`.
    pub fn network(
        &mut self,
        filter: &EventFilter,
        limit: usize,
    ) -> Result<Vec<ActorEdge>, StoreError> {
        let _ = (filter, limit);
        todo_stub()
    }

    /// Places of the events `filter` selects, most events first, at most `limit`.
    pub fn event_places(
        &mut self,
        filter: &EventFilter,
        limit: usize,
    ) -> Result<Vec<PlaceCount>, StoreError> {
        let _ = (filter, limit);
        todo_stub()
    }

    /// Stored documents, newest publication first, and how many there are.
    pub fn documents(
        &mut self,
        limit: usize,
        offset: usize,
    ) -> Result<(u64, Vec<DocumentSummary>), StoreError> {
        let _ = (limit, offset);
        todo_stub()
    }
}

/// Placeholder while the queries are being written: every query fails with a clear message.
fn todo_stub<T>() -> Result<T, StoreError> {
    Err(StoreError::new(
        "store",
        crate::ErrorKind::Input,
        "event queries are not implemented yet",
    ))
}
