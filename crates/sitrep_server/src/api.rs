//! The handlers under `/api/`: parameters checked ([`crate::params`]), the query run on a pooled
//! store connection in a blocking thread, the store's types written as JSON.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use serde_json::json;
use sitrep_doc::json::{to_json, JsonOptions};
use sitrep_doc::{Doc, Meta};
use sitrep_read::{Body, Origin, RawDoc};
use sitrep_store::{EventRecord, RunCounts, Store, StoreError, Written};

use crate::error::{ApiError, JSON};
use crate::params::{Params, FILTERS};
use crate::AppState;

type Shared = State<Arc<AppState>>;

/// Runs `f` on a pooled store connection in a blocking thread.
async fn blocking<T: Send + 'static>(
    state: &Arc<AppState>,
    f: impl FnOnce(&mut Store) -> Result<T, StoreError> + Send + 'static,
) -> Result<T, ApiError> {
    let state = Arc::clone(state);
    tokio::task::spawn_blocking(move || state.pool.with(f))
        .await
        .map_err(|err| {
            eprintln!("sitrep serve: error: a store query panicked: {err}");
            ApiError::Internal {
                message: "the query failed".to_owned(),
            }
        })?
        .map_err(ApiError::from)
}

/// Runs `f` like [`blocking`] and answers with its value as JSON, through the response cache
/// ([`crate::cache`]) under `key`, which must name the endpoint and every checked parameter.
async fn cached<T: Serialize + Send + 'static>(
    state: &Arc<AppState>,
    key: String,
    f: impl FnOnce(&mut Store) -> Result<T, StoreError> + Send + 'static,
) -> Result<Response, ApiError> {
    let Some(version) = state.cache.version() else {
        let value = blocking(state, f).await?;
        return Ok(Json(value).into_response());
    };
    if let Some(bytes) = state.cache.ready(&key, version) {
        return Ok(raw_json(bytes));
    }
    let worker = Arc::clone(state);
    let bytes = tokio::task::spawn_blocking(move || {
        worker.cache.get_or_compute(&key, version, || {
            let value = worker.pool.with(f).map_err(ApiError::from)?;
            serde_json::to_vec(&value)
                .map(Bytes::from)
                .map_err(|err| ApiError::Internal {
                    message: format!("could not write the answer: {err}"),
                })
        })
    })
    .await
    .map_err(|err| {
        eprintln!("sitrep serve: error: a store query panicked: {err}");
        ApiError::Internal {
            message: "the query failed".to_owned(),
        }
    })??;
    Ok(raw_json(bytes))
}

pub(crate) async fn health() -> Response {
    Json(json!({ "status": "ok", "version": env!("CARGO_PKG_VERSION") })).into_response()
}

pub(crate) async fn openapi() -> Response {
    raw_json(include_str!("openapi.json"))
}

pub(crate) async fn events(
    State(state): Shared,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let params = Params::parse(query.as_deref(), &[FILTERS, &["limit", "offset"]])?;
    let mut filter = params.filter()?;
    filter.limit = params.limit(50)?;
    filter.offset = params.offset()?;
    let key = format!("events {filter:?}");
    cached(&state, key, move |store| store.events(&filter)).await
}

/// A merged event and its mentions.
#[derive(Serialize)]
struct EventWithMentions {
    event: EventRecord,
    mentions: Vec<EventRecord>,
}

pub(crate) async fn event(
    State(state): Shared,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    Params::parse(query.as_deref(), &[])?;
    let Ok(id) = id.parse::<i64>() else {
        return Err(ApiError::bad(
            format!("event id {id:?} is not a number"),
            "take the id from /api/events",
        ));
    };
    let mentions = blocking(&state, move |store| store.mentions(id)).await?;
    let Some(event) = merged(id, &mentions) else {
        return Err(ApiError::not_found(format!("no event {id}")));
    };
    Ok(Json(EventWithMentions { event, mentions }).into_response())
}

/// The merged event `id` as its mentions (oldest document first) describe it: the first mention's
/// fields and evidence, counts over all of them, the highest confidence.
// The store has no single-event query yet; when it gains one, use it instead.
fn merged(id: i64, mentions: &[EventRecord]) -> Option<EventRecord> {
    let first = mentions.first()?;
    let mut documents: Vec<&str> = mentions.iter().map(|m| m.evidence.doc.as_str()).collect();
    documents.sort_unstable();
    documents.dedup();
    Some(EventRecord {
        id,
        mentions: u32::try_from(mentions.len()).unwrap_or(u32::MAX),
        documents: u32::try_from(documents.len()).unwrap_or(u32::MAX),
        confidence: mentions
            .iter()
            .map(|m| m.confidence)
            .fold(first.confidence, f64::max),
        ..first.clone()
    })
}

pub(crate) async fn timeline(
    State(state): Shared,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let params = Params::parse(query.as_deref(), &[FILTERS, &["by"]])?;
    let filter = params.filter()?;
    let by = params.period()?;
    let key = format!("timeline {by:?} {filter:?}");
    cached(&state, key, move |store| store.timeline(&filter, by)).await
}

pub(crate) async fn actors(
    State(state): Shared,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let params = Params::parse(query.as_deref(), &[FILTERS, &["limit"]])?;
    let filter = params.filter()?;
    let limit = params.limit(50)?;
    let key = format!("actors {limit} {filter:?}");
    cached(&state, key, move |store| store.actors(&filter, limit)).await
}

pub(crate) async fn network(
    State(state): Shared,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let params = Params::parse(query.as_deref(), &[FILTERS, &["limit"]])?;
    let filter = params.filter()?;
    let limit = params.limit(100)?;
    let key = format!("network {limit} {filter:?}");
    cached(&state, key, move |store| store.network(&filter, limit)).await
}

pub(crate) async fn places(
    State(state): Shared,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let params = Params::parse(query.as_deref(), &[FILTERS, &["limit"]])?;
    let filter = params.filter()?;
    let limit = params.limit(100)?;
    let key = format!("places {limit} {filter:?}");
    cached(&state, key, move |store| store.event_places(&filter, limit)).await
}

pub(crate) async fn documents(
    State(state): Shared,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let params = Params::parse(query.as_deref(), &[&["limit", "offset"]])?;
    let limit = params.limit(50)?;
    let offset = params.offset()?;
    let key = format!("documents {limit} {offset}");
    cached(&state, key, move |store| {
        let (total, documents) = store.documents(limit, offset)?;
        Ok(json!({
            "total": total,
            "offset": offset,
            "limit": limit,
            "documents": documents,
        }))
    })
    .await
}

pub(crate) async fn document(
    State(state): Shared,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    Params::parse(query.as_deref(), &[])?;
    let wanted = id.clone();
    let doc = blocking(&state, move |store| store.document(&wanted)).await?;
    match doc {
        Some(doc) => Ok(raw_json(to_json(&doc, JsonOptions::default()))),
        None => Err(ApiError::not_found(format!("no document {id}"))),
    }
}

pub(crate) async fn search(
    State(state): Shared,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let params = Params::parse(query.as_deref(), &[&["q", "limit"]])?;
    let limit = params.limit(20)?;
    let Some(text) = params
        .get("q")
        .filter(|q| q.chars().any(char::is_alphanumeric))
    else {
        return Err(ApiError::bad(
            "the search needs words in q",
            "search for words, e.g. /api/search?q=troops+withdrew",
        ));
    };
    let text = text.to_owned();
    let key = format!("search {limit} {text:?}");
    cached(&state, key, move |store| store.search(&text, limit)).await
}

/// One document posted to `/api/extract` or `/api/ingest`, as `sitrep ingest` reads JSONL.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Posted {
    text: Option<String>,
    html: Option<String>,
    id: Option<String>,
    url: Option<String>,
    title: Option<String>,
    source: Option<String>,
    published: Option<String>,
}

impl Posted {
    /// The document as `sitrep ingest` would clean it (`index` names it in errors).
    fn into_doc(self, index: Option<usize>) -> Result<Doc, ApiError> {
        let which = index.map_or_else(String::new, |i| format!("document {i}: "));
        let published = match self.published.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(value) => Some(sitrep_read::date::parse_date(value).ok_or_else(|| {
                ApiError::bad(
                    format!("{which}published {value:?} is not a date"),
                    "give YYYY-MM-DD or an RFC 3339 time, e.g. \"2017-12-11\"",
                )
            })?),
        };
        let body = match (self.text, self.html) {
            (Some(text), None) => Body::Text(text),
            (None, Some(html)) => Body::Html(html),
            _ => {
                return Err(ApiError::bad(
                    format!("{which}give either \"text\" or \"html\""),
                    "send {\"text\": \"…\"} with the article's text",
                ))
            }
        };
        let raw = RawDoc {
            origin: Origin::record("http", index.map_or_else(String::new, |i| i.to_string())),
            meta: Meta {
                id: self.id.filter(|id| !id.trim().is_empty()),
                url: self.url,
                title: self.title,
                source: self.source,
                published,
            },
            body,
            published_fallback: None,
        };
        Ok(raw.into_doc())
    }
}

/// The posted body as bytes, or the 413 a too-large body gets.
fn body_bytes(body: Result<Bytes, BytesRejection>, limit: usize) -> Result<Bytes, ApiError> {
    body.map_err(|rejection| {
        if rejection.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::TooLarge { limit }
        } else {
            ApiError::bad(
                format!("could not read the request body: {}", rejection.body_text()),
                "send the whole body",
            )
        }
    })
}

fn is_json(headers: &HeaderMap) -> Option<bool> {
    let Some(value) = headers.get(header::CONTENT_TYPE) else {
        return Some(false);
    };
    let essence = value
        .to_str()
        .ok()?
        .split(';')
        .next()?
        .trim()
        .to_ascii_lowercase();
    match essence.as_str() {
        "application/json" => Some(true),
        "text/plain" => Some(false),
        _ => None,
    }
}

fn parse_json<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    serde_json::from_slice(bytes).map_err(|err| {
        ApiError::bad(
            format!("the body is not the JSON this endpoint reads: {err}"),
            "send {\"text\": \"…\", \"published\": \"2017-12-11\", \"title\": \"…\"}",
        )
    })
}

fn text_body(bytes: Bytes) -> Result<String, ApiError> {
    String::from_utf8(bytes.to_vec()).map_err(|err| {
        ApiError::bad(
            format!(
                "the body is not UTF-8 (invalid byte at {})",
                err.utf8_error().valid_up_to()
            ),
            "send the text as UTF-8",
        )
    })
}

fn unsupported(headers: &HeaderMap) -> ApiError {
    let given = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("?");
    ApiError::UnsupportedMedia {
        message: format!("this endpoint does not read {given} bodies"),
    }
}

pub(crate) async fn extract(
    State(state): Shared,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    Params::parse(query.as_deref(), &[])?;
    let bytes = body_bytes(body, crate::EXTRACT_BODY_LIMIT)?;
    let posted = match is_json(&headers) {
        Some(true) => parse_json::<Posted>(&bytes)?,
        Some(false) => Posted {
            text: Some(text_body(bytes)?),
            html: None,
            id: None,
            url: None,
            title: None,
            source: None,
            published: None,
        },
        None => return Err(unsupported(&headers)),
    };
    let mut doc = posted.into_doc(None)?;
    let state = Arc::clone(&state);
    let json = tokio::task::spawn_blocking(move || {
        state.pipeline().run(&mut doc);
        to_json(&doc, JsonOptions::default())
    })
    .await
    .map_err(|err| {
        eprintln!("sitrep serve: error: extraction panicked: {err}");
        ApiError::Internal {
            message: "extraction failed".to_owned(),
        }
    })?;
    Ok(raw_json(json))
}

/// What one ingested document became.
#[derive(Serialize)]
struct IngestedDoc {
    id: String,
    /// stored | replaced | already_stored | skipped
    status: &'static str,
    events: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    language: Option<String>,
}

pub(crate) async fn ingest(
    State(state): Shared,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    Params::parse(query.as_deref(), &[])?;
    let bytes = body_bytes(body, crate::INGEST_BODY_LIMIT)?;
    if is_json(&headers) != Some(true) {
        return Err(unsupported(&headers));
    }
    let value: serde_json::Value = parse_json(&bytes)?;
    let posted: Vec<Posted> = match value {
        serde_json::Value::Array(items) => {
            if items.len() > crate::INGEST_MAX_DOCS {
                return Err(ApiError::bad(
                    format!("{} documents in one request", items.len()),
                    format!(
                        "send at most {} per request, or use `sitrep ingest`",
                        crate::INGEST_MAX_DOCS
                    ),
                ));
            }
            items
                .into_iter()
                .enumerate()
                .map(|(i, item)| {
                    serde_json::from_value(item).map_err(|err| {
                        ApiError::bad(
                            format!("document {i} is not the JSON this endpoint reads: {err}"),
                            "send objects like {\"text\": \"…\", \"published\": \"2017-12-11\"}",
                        )
                    })
                })
                .collect::<Result<_, _>>()?
        }
        other => vec![serde_json::from_value(other).map_err(|err| {
            ApiError::bad(
                format!("the body is not the JSON this endpoint reads: {err}"),
                "send {\"text\": \"…\"} or an array of such objects",
            )
        })?],
    };
    let many = posted.len() > 1;
    let docs = posted
        .into_iter()
        .enumerate()
        .map(|(i, p)| p.into_doc(many.then_some(i)))
        .collect::<Result<Vec<Doc>, ApiError>>()?;

    let worker = Arc::clone(&state);
    let (report, docs) = tokio::task::spawn_blocking(move || {
        let versions = worker.versions.clone();
        let mut report = Vec::with_capacity(docs.len());
        let mut keep = Vec::with_capacity(docs.len());
        for mut doc in docs {
            let mut language = None;
            worker.pipeline().run_while(&mut doc, |stage, doc| {
                if stage == "language" {
                    if let Some(l) = doc.language().filter(|l| !matches!(*l, "en" | "und")) {
                        language = Some(l.to_owned());
                        return false;
                    }
                }
                true
            });
            match language {
                Some(language) => report.push(IngestedDoc {
                    id: doc.id().to_owned(),
                    status: "skipped",
                    events: 0,
                    language: Some(language),
                }),
                None => keep.push(doc),
            }
        }
        (report, (keep, versions))
    })
    .await
    .map_err(|err| {
        eprintln!("sitrep serve: error: extraction panicked: {err}");
        ApiError::Internal {
            message: "extraction failed".to_owned(),
        }
    })?;
    let skipped = report.len() as u64;
    let (written, docs) = blocking(&state, move |store| {
        let (docs, versions) = docs;
        let run = store.begin_run(&versions)?;
        let written = store.write(&docs, &versions, Some(run), false)?;
        let mut counts = RunCounts {
            read: docs.len() as u64 + skipped,
            skipped,
            ..RunCounts::default()
        };
        for (doc, w) in docs.iter().zip(&written) {
            match w {
                Written::Stored => counts.stored += 1,
                Written::Replaced => counts.replaced += 1,
                Written::AlreadyStored => counts.already_stored += 1,
            }
            if *w != Written::AlreadyStored {
                counts.events += doc.events().len() as u64;
            }
        }
        store.finish_run(run, &counts)?;
        Ok((written, docs))
    })
    .await?;
    let mut report = report;
    for (doc, w) in docs.iter().zip(written) {
        report.push(IngestedDoc {
            id: doc.id().to_owned(),
            status: match w {
                Written::Stored => "stored",
                Written::Replaced => "replaced",
                Written::AlreadyStored => "already_stored",
            },
            events: doc.events().len(),
            language: None,
        });
    }
    let count = |s: &str| report.iter().filter(|d| d.status == s).count();
    Ok(Json(json!({
        "read": report.len(),
        "stored": count("stored"),
        "already_stored": count("already_stored"),
        "skipped": count("skipped"),
        "events": report.iter().filter(|d| d.status == "stored").map(|d| d.events).sum::<usize>(),
        "documents": report,
    }))
    .into_response())
}

/// A body that is JSON already.
fn raw_json(body: impl Into<Bytes>) -> Response {
    let body: Bytes = body.into();
    (
        [(header::CONTENT_TYPE, HeaderValue::from_static(JSON))],
        body,
    )
        .into_response()
}
