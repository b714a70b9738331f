//! The JSON output contract (DESIGN.md §4): one object per document, every layer present.
//!
//! Spans are written as `"start"`/`"end"` byte offsets, with the covered `"text"` beside them where
//! the contract has it. [`to_json`] writes; [`from_json`] reads the same shape back and checks that
//! every `"text"` matches its span.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::layer::{
    Argument, DateFrom, DatePrecision, Entity, Event, EventPlace, Place, Quote, Sentence, Time,
    Token,
};
use crate::{Doc, InvariantError, Meta, Span};

/// What to write besides the layers that are always present.
#[derive(Clone, Copy, Debug, Default)]
pub struct JsonOptions {
    /// Write the `tokens` layer.
    pub tokens: bool,
    /// Indent for humans instead of one line per document.
    pub pretty: bool,
}

#[derive(Serialize, Deserialize)]
struct DocJson<'a> {
    id: String,
    url: Option<String>,
    title: Option<String>,
    source: Option<String>,
    published: Option<Date>,
    language: Option<String>,
    text: String,
    sentences: Vec<Sentence>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    tokens: Option<Vec<Token>>,
    entities: Vec<WithText<Entity>>,
    times: Vec<WithText<Time>>,
    places: Vec<WithText<Place>>,
    quotes: Vec<QuoteJson>,
    events: Vec<EventJson>,
    tone: Option<f64>,
    #[serde(skip)]
    _borrow: std::marker::PhantomData<&'a ()>,
}

/// A layer item written with its span and covered text in front of its own fields.
#[derive(Serialize, Deserialize)]
struct WithText<T> {
    start: u32,
    end: u32,
    text: String,
    #[serde(flatten)]
    item: T,
}

#[derive(Serialize, Deserialize)]
struct SpanText {
    start: u32,
    end: u32,
    text: String,
}

#[derive(Serialize, Deserialize)]
struct QuoteJson {
    start: u32,
    end: u32,
    text: String,
    speaker: Option<String>,
    speaker_span: Option<Span>,
    speaker_actor: Option<String>,
    cue: Option<SpanText>,
    #[serde(default)]
    indirect: bool,
}

#[derive(Serialize, Deserialize)]
struct ArgumentJson {
    start: u32,
    end: u32,
    text: String,
    actor: Option<String>,
}

#[derive(Serialize, Deserialize)]
struct PlaceRef {
    start: u32,
    end: u32,
    text: String,
    name: String,
    country: Option<String>,
    lat: f64,
    lon: f64,
}

#[derive(Serialize, Deserialize)]
struct EventJson {
    sentence: u32,
    trigger: SpanText,
    code: String,
    root: String,
    plover: Option<String>,
    goldstein: f64,
    quad: u8,
    source: Option<ArgumentJson>,
    target: Option<ArgumentJson>,
    date: Option<String>,
    date_precision: Option<DatePrecision>,
    date_from: DateFrom,
    place: Option<PlaceRef>,
    negated: bool,
    hypothetical: bool,
    confidence: f64,
}

fn span_text(text: &str, span: Span) -> SpanText {
    SpanText {
        start: span.start() as u32,
        end: span.end() as u32,
        text: text[span].to_owned(),
    }
}

fn with_text<T: Clone>(text: &str, span: Span, item: &T) -> WithText<T> {
    WithText {
        start: span.start() as u32,
        end: span.end() as u32,
        text: text[span].to_owned(),
        item: item.clone(),
    }
}

fn to_doc_json(doc: &Doc, options: JsonOptions) -> DocJson<'_> {
    let text = doc.text();
    let meta = doc.meta();
    DocJson {
        id: doc.id().to_owned(),
        url: meta.url.clone(),
        title: meta.title.clone(),
        source: meta.source.clone(),
        published: meta.published,
        language: doc.language().map(str::to_owned),
        text: text.to_owned(),
        sentences: doc.sentences().to_vec(),
        tokens: options.tokens.then(|| doc.tokens().to_vec()),
        entities: doc
            .entities()
            .iter()
            .map(|e| with_text(text, e.span, e))
            .collect(),
        times: doc
            .times()
            .iter()
            .map(|t| with_text(text, t.span, t))
            .collect(),
        places: doc
            .places()
            .iter()
            .map(|p| with_text(text, p.span, p))
            .collect(),
        quotes: doc
            .quotes()
            .iter()
            .map(|q| QuoteJson {
                start: q.span.start() as u32,
                end: q.span.end() as u32,
                text: text[q.span].to_owned(),
                speaker: q.speaker.clone(),
                speaker_span: q.speaker_span,
                speaker_actor: q.speaker_actor.clone(),
                cue: q.cue.map(|c| span_text(text, c)),
                indirect: q.indirect,
            })
            .collect(),
        events: doc
            .events()
            .iter()
            .map(|e| {
                let arg = |a: &Argument| ArgumentJson {
                    start: a.span.start() as u32,
                    end: a.span.end() as u32,
                    text: text[a.span].to_owned(),
                    actor: a.actor.clone(),
                };
                EventJson {
                    sentence: e.sentence,
                    trigger: span_text(text, e.trigger),
                    code: e.code.clone(),
                    root: e.root.clone(),
                    plover: e.plover.clone(),
                    goldstein: e.goldstein,
                    quad: e.quad,
                    source: e.source.as_ref().map(arg),
                    target: e.target.as_ref().map(arg),
                    date: e.date.clone(),
                    date_precision: e.date_precision,
                    date_from: e.date_from,
                    place: e.place.as_ref().map(|p| PlaceRef {
                        start: p.span.start() as u32,
                        end: p.span.end() as u32,
                        text: text[p.span].to_owned(),
                        name: p.name.clone(),
                        country: p.country.clone(),
                        lat: p.lat,
                        lon: p.lon,
                    }),
                    negated: e.negated,
                    hypothetical: e.hypothetical,
                    confidence: e.confidence,
                }
            })
            .collect(),
        tone: doc.tone(),
        _borrow: std::marker::PhantomData,
    }
}

/// Writes `doc` as one JSON object (no trailing newline).
pub fn to_json(doc: &Doc, options: JsonOptions) -> String {
    let json = to_doc_json(doc, options);
    let result = if options.pretty {
        serde_json::to_string_pretty(&json)
    } else {
        serde_json::to_string(&json)
    };
    result.expect("a document always serializes")
}

/// Why a JSON document could not be read back.
#[derive(Debug, thiserror::Error)]
pub enum FromJsonError {
    #[error("not a sitrep document: {0}")]
    Json(#[from] serde_json::Error),
    #[error("{layer}[{index}]: \"text\" is {found:?} but its span covers {expected:?}")]
    TextMismatch {
        layer: &'static str,
        index: usize,
        found: String,
        expected: String,
    },
    #[error(transparent)]
    Invariant(#[from] InvariantError),
}

/// Reads a document written by [`to_json`].
pub fn from_json(json: &str) -> Result<Doc, FromJsonError> {
    let d: DocJson<'_> = serde_json::from_str(json)?;
    let text = d.text;
    let check = |layer: &'static str,
                 index: usize,
                 start: u32,
                 end: u32,
                 found: &str|
     -> Result<Span, FromJsonError> {
        if start > end {
            return Err(InvariantError::Span {
                layer,
                index,
                source: crate::SpanError::OutOfBounds {
                    span: Span::default(),
                    len: text.len(),
                },
            }
            .into());
        }
        let span = Span::new(start as usize, end as usize);
        span.check(&text).map_err(|source| InvariantError::Span {
            layer,
            index,
            source,
        })?;
        if &text[span] != found {
            return Err(FromJsonError::TextMismatch {
                layer,
                index,
                found: found.to_owned(),
                expected: text[span].to_owned(),
            });
        }
        Ok(span)
    };
    let mut entities = Vec::with_capacity(d.entities.len());
    for (i, w) in d.entities.into_iter().enumerate() {
        let span = check("entities", i, w.start, w.end, &w.text)?;
        entities.push(Entity { span, ..w.item });
    }
    let mut times = Vec::with_capacity(d.times.len());
    for (i, w) in d.times.into_iter().enumerate() {
        let span = check("times", i, w.start, w.end, &w.text)?;
        times.push(Time { span, ..w.item });
    }
    let mut places = Vec::with_capacity(d.places.len());
    for (i, w) in d.places.into_iter().enumerate() {
        let span = check("places", i, w.start, w.end, &w.text)?;
        places.push(Place { span, ..w.item });
    }
    let mut quotes = Vec::with_capacity(d.quotes.len());
    for (i, q) in d.quotes.into_iter().enumerate() {
        let span = check("quotes", i, q.start, q.end, &q.text)?;
        let cue = match q.cue {
            Some(c) => Some(check("quotes", i, c.start, c.end, &c.text)?),
            None => None,
        };
        quotes.push(Quote {
            span,
            speaker: q.speaker,
            speaker_span: q.speaker_span,
            speaker_actor: q.speaker_actor,
            cue,
            indirect: q.indirect,
        });
    }
    let mut events = Vec::with_capacity(d.events.len());
    for (i, e) in d.events.into_iter().enumerate() {
        let trigger = check("events", i, e.trigger.start, e.trigger.end, &e.trigger.text)?;
        let arg = |a: Option<ArgumentJson>| -> Result<Option<Argument>, FromJsonError> {
            a.map(|a| {
                Ok(Argument {
                    span: check("events", i, a.start, a.end, &a.text)?,
                    actor: a.actor,
                })
            })
            .transpose()
        };
        let source = arg(e.source)?;
        let target = arg(e.target)?;
        let place = match e.place {
            Some(p) => Some(EventPlace {
                span: check("events", i, p.start, p.end, &p.text)?,
                name: p.name,
                country: p.country,
                lat: p.lat,
                lon: p.lon,
            }),
            None => None,
        };
        events.push(Event {
            sentence: e.sentence,
            trigger,
            code: e.code,
            root: e.root,
            plover: e.plover,
            goldstein: e.goldstein,
            quad: e.quad,
            source,
            target,
            date: e.date,
            date_precision: e.date_precision,
            date_from: e.date_from,
            place,
            negated: e.negated,
            hypothetical: e.hypothetical,
            confidence: e.confidence,
        });
    }
    let meta = Meta {
        id: Some(d.id),
        url: d.url,
        title: d.title,
        source: d.source,
        published: d.published,
    };
    let mut doc = Doc::new(text, meta);
    if let Some(language) = d.language {
        doc.set_language(language);
    }
    doc.replace_layers(
        d.sentences,
        d.tokens.unwrap_or_default(),
        entities,
        times,
        places,
        quotes,
        events,
    )?;
    if let Some(tone) = d.tone {
        doc.set_tone(tone);
    }
    Ok(doc)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layer::{EntityLabel, PlaceFeature, TimeType};

    fn sample() -> Doc {
        let text = "Russian President Vladimir Putin ordered a withdrawal from Syria on Monday.";
        let meta = Meta {
            id: Some("a1".into()),
            published: Some(jiff::civil::date(2017, 12, 12)),
            ..Meta::default()
        };
        let mut doc = Doc::new(text, meta);
        let find = |s: &str| {
            let i = text.find(s).unwrap();
            Span::new(i, i + s.len())
        };
        doc.set_language("en");
        doc.set_sentences(vec![Sentence {
            span: Span::new(0, text.len()),
        }]);
        doc.set_entities(vec![Entity {
            span: find("Vladimir Putin"),
            label: EntityLabel::Person,
            canonical: Some("Vladimir Putin".into()),
            actor: Some("RUSGOV".into()),
        }]);
        doc.set_times(vec![Time {
            span: find("Monday"),
            kind: TimeType::Date,
            value: Some("2017-12-11".into()),
            modifier: Some("START".into()),
        }]);
        doc.set_places(vec![Place {
            span: find("Syria"),
            name: "Syria".into(),
            country: Some("SY".into()),
            admin1: None,
            lat: 35.0,
            lon: 38.0,
            geonameid: Some(163843),
            feature: PlaceFeature::Country,
        }]);
        doc.set_events(vec![Event {
            sentence: 0,
            trigger: find("ordered a withdrawal"),
            code: "0874".into(),
            root: "08".into(),
            plover: Some("RETREAT".into()),
            goldstein: 9.0,
            quad: 2,
            source: Some(Argument {
                span: find("Russian President Vladimir Putin"),
                actor: Some("RUSGOV".into()),
            }),
            target: Some(Argument {
                span: find("Syria"),
                actor: Some("SYR".into()),
            }),
            date: Some("2017-12-11".into()),
            date_precision: Some(DatePrecision::Day),
            date_from: DateFrom::Text,
            place: None,
            negated: false,
            hypothetical: false,
            confidence: 0.8,
        }]);
        doc
    }

    #[test]
    fn round_trips() {
        let doc = sample();
        let json = to_json(
            &doc,
            JsonOptions {
                tokens: true,
                pretty: false,
            },
        );
        assert_eq!(from_json(&json).unwrap(), doc);
    }

    #[test]
    fn writes_every_contract_field() {
        let doc = Doc::new("Plain.", Meta::default());
        let json: serde_json::Value =
            serde_json::from_str(&to_json(&doc, JsonOptions::default())).unwrap();
        let keys: Vec<&str> = json
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        for key in [
            "id",
            "url",
            "title",
            "source",
            "published",
            "language",
            "text",
            "sentences",
            "entities",
            "times",
            "places",
            "quotes",
            "events",
            "tone",
        ] {
            assert!(keys.contains(&key), "missing {key}");
        }
        assert!(!keys.contains(&"tokens"), "tokens only on request");
    }

    #[test]
    fn entity_text_matches_span() {
        let json = to_json(&sample(), JsonOptions::default());
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(v["entities"][0]["text"], "Vladimir Putin");
        assert_eq!(
            v["events"][0]["source"]["text"],
            "Russian President Vladimir Putin"
        );
        assert_eq!(v["published"], "2017-12-12");
    }

    #[test]
    fn rejects_text_that_does_not_match_its_span() {
        let json = to_json(&sample(), JsonOptions::default())
            .replace("\"text\":\"Monday\"", "\"text\":\"Sunday\"");
        assert!(matches!(
            from_json(&json),
            Err(FromJsonError::TextMismatch { layer: "times", .. })
        ));
    }
}
