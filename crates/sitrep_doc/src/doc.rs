//! [`Doc`]: the cleaned text of one article and its annotation layers.

use jiff::civil::Date;
use sha2::{Digest, Sha256};

use crate::layer::{Entity, Event, NounPhrase, Place, Quote, Sentence, Time, Token, VerbGroup};
use crate::{Span, SpanError};

/// What is known about an article apart from its text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Meta {
    /// The input's own id; when absent the document gets a content hash.
    pub id: Option<String>,
    pub url: Option<String>,
    pub title: Option<String>,
    pub source: Option<String>,
    /// The publication date, used to resolve relative dates ("on Monday").
    pub published: Option<Date>,
}

/// One article: its cleaned text, which never changes, and one layer per kind of annotation.
///
/// Every layer is sorted by start offset and every span lies on character boundaries of
/// [`Doc::text`]; the setters check this and panic on a violation, which is a bug in the stage that
/// produced the layer.
#[derive(Clone, Debug, PartialEq)]
pub struct Doc {
    id: String,
    meta: Meta,
    text: String,
    language: Option<String>,
    sentences: Vec<Sentence>,
    tokens: Vec<Token>,
    noun_phrases: Vec<NounPhrase>,
    verb_groups: Vec<VerbGroup>,
    entities: Vec<Entity>,
    times: Vec<Time>,
    places: Vec<Place>,
    quotes: Vec<Quote>,
    events: Vec<Event>,
    tone: Option<f64>,
}

/// The id of a text: the first 128 bits of its SHA-256, in hex.
pub fn content_id(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    let mut id = String::with_capacity(32);
    for byte in &digest[..16] {
        id.push_str(&format!("{byte:02x}"));
    }
    id
}

impl Doc {
    /// A document with `text` and no annotations. Without an id in `meta` the id is
    /// [`content_id`] of the text.
    pub fn new(text: impl Into<String>, meta: Meta) -> Doc {
        let text = text.into();
        assert!(
            u32::try_from(text.len()).is_ok(),
            "document text over 4 GiB"
        );
        let id = meta.id.clone().unwrap_or_else(|| content_id(&text));
        Doc {
            id,
            meta,
            text,
            language: None,
            sentences: Vec::new(),
            tokens: Vec::new(),
            noun_phrases: Vec::new(),
            verb_groups: Vec::new(),
            entities: Vec::new(),
            times: Vec::new(),
            places: Vec::new(),
            quotes: Vec::new(),
            events: Vec::new(),
            tone: None,
        }
    }

    pub fn id(&self) -> &str {
        &self.id
    }

    pub fn meta(&self) -> &Meta {
        &self.meta
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// The covered text of `span`.
    #[track_caller]
    pub fn slice(&self, span: Span) -> &str {
        &self.text[span]
    }

    pub fn published(&self) -> Option<Date> {
        self.meta.published
    }

    /// ISO 639-1 code of the detected language, "und" when undetermined, `None` before detection.
    pub fn language(&self) -> Option<&str> {
        self.language.as_deref()
    }

    pub fn set_language(&mut self, language: impl Into<String>) {
        self.language = Some(language.into());
    }

    pub fn sentences(&self) -> &[Sentence] {
        &self.sentences
    }

    pub fn tokens(&self) -> &[Token] {
        &self.tokens
    }

    /// Mutable tokens, for stages that fill part of speech and lemma. Spans must not change.
    pub fn tokens_mut(&mut self) -> &mut [Token] {
        &mut self.tokens
    }

    /// Base noun phrases, sorted by start. Not part of the JSON output.
    pub fn noun_phrases(&self) -> &[NounPhrase] {
        &self.noun_phrases
    }

    /// Verb groups, sorted by start. Not part of the JSON output.
    pub fn verb_groups(&self) -> &[VerbGroup] {
        &self.verb_groups
    }

    pub fn entities(&self) -> &[Entity] {
        &self.entities
    }

    /// Mutable entities, for the actor coder to fill their actor codes. Spans must not change.
    pub fn entities_mut(&mut self) -> &mut [Entity] {
        &mut self.entities
    }

    pub fn times(&self) -> &[Time] {
        &self.times
    }

    pub fn places(&self) -> &[Place] {
        &self.places
    }

    pub fn quotes(&self) -> &[Quote] {
        &self.quotes
    }

    pub fn events(&self) -> &[Event] {
        &self.events
    }

    pub fn tone(&self) -> Option<f64> {
        self.tone
    }

    /// Tokens inside the span (a sentence's, say), found by binary search.
    pub fn tokens_in(&self, span: Span) -> &[Token] {
        let lo = self
            .tokens
            .partition_point(|t| t.span.start() < span.start());
        let hi = self.tokens.partition_point(|t| t.span.start() < span.end());
        let hi = hi.max(lo);
        let mut end = lo;
        while end < hi && self.tokens[end].span.end() <= span.end() {
            end += 1;
        }
        &self.tokens[lo..end]
    }

    #[track_caller]
    pub fn set_sentences(&mut self, sentences: Vec<Sentence>) {
        self.sentences = sentences;
        self.expect_valid(check_layer(
            &self.text,
            "sentences",
            self.sentences.iter().map(|s| s.span),
        ));
    }

    #[track_caller]
    pub fn set_tokens(&mut self, tokens: Vec<Token>) {
        self.tokens = tokens;
        self.expect_valid(check_layer(
            &self.text,
            "tokens",
            self.tokens.iter().map(|t| t.span),
        ));
    }

    /// Sets the noun phrases and verb groups; their token ranges must lie within the tokens.
    #[track_caller]
    pub fn set_chunks(&mut self, noun_phrases: Vec<NounPhrase>, verb_groups: Vec<VerbGroup>) {
        self.noun_phrases = noun_phrases;
        self.verb_groups = verb_groups;
        self.expect_valid(self.check_chunks());
    }

    #[track_caller]
    pub fn set_entities(&mut self, entities: Vec<Entity>) {
        self.entities = entities;
        self.expect_valid(check_layer(
            &self.text,
            "entities",
            self.entities.iter().map(|e| e.span),
        ));
    }

    #[track_caller]
    pub fn set_times(&mut self, times: Vec<Time>) {
        self.times = times;
        self.expect_valid(check_layer(
            &self.text,
            "times",
            self.times.iter().map(|t| t.span),
        ));
    }

    #[track_caller]
    pub fn set_places(&mut self, places: Vec<Place>) {
        self.places = places;
        self.expect_valid(check_layer(
            &self.text,
            "places",
            self.places.iter().map(|p| p.span),
        ));
    }

    #[track_caller]
    pub fn set_quotes(&mut self, quotes: Vec<Quote>) {
        self.quotes = quotes;
        self.expect_valid(self.check_quotes());
    }

    #[track_caller]
    pub fn set_events(&mut self, events: Vec<Event>) {
        self.events = events;
        self.expect_valid(self.check_events());
    }

    /// Replaces every span layer at once and checks them, for readers of stored documents.
    #[allow(clippy::too_many_arguments)]
    pub fn replace_layers(
        &mut self,
        sentences: Vec<Sentence>,
        tokens: Vec<Token>,
        entities: Vec<Entity>,
        times: Vec<Time>,
        places: Vec<Place>,
        quotes: Vec<Quote>,
        events: Vec<Event>,
    ) -> Result<(), InvariantError> {
        self.sentences = sentences;
        self.tokens = tokens;
        self.entities = entities;
        self.times = times;
        self.places = places;
        self.quotes = quotes;
        self.events = events;
        self.validate()
    }

    pub fn set_tone(&mut self, tone: f64) {
        self.tone = Some(tone);
    }

    #[track_caller]
    fn expect_valid(&self, result: Result<(), InvariantError>) {
        if let Err(e) = result {
            panic!("document {}: {e}", self.id);
        }
    }

    /// Checks every invariant: spans in bounds and on character boundaries, layers sorted by
    /// start, cross-references (an event's sentence) valid.
    pub fn validate(&self) -> Result<(), InvariantError> {
        let text = &self.text;
        check_layer(text, "sentences", self.sentences.iter().map(|s| s.span))?;
        check_layer(text, "tokens", self.tokens.iter().map(|t| t.span))?;
        self.check_chunks()?;
        check_layer(text, "entities", self.entities.iter().map(|e| e.span))?;
        check_layer(text, "times", self.times.iter().map(|t| t.span))?;
        check_layer(text, "places", self.places.iter().map(|p| p.span))?;
        self.check_quotes()?;
        self.check_events()
    }

    fn check_chunks(&self) -> Result<(), InvariantError> {
        let n = self.tokens.len();
        let text = &self.text;
        check_layer(
            text,
            "noun_phrases",
            self.noun_phrases.iter().map(|c| c.span),
        )?;
        check_layer(text, "verb_groups", self.verb_groups.iter().map(|c| c.span))?;
        let bad = |layer: &'static str, index: usize, what: String| InvariantError::Reference {
            layer,
            index,
            what,
        };
        for (i, c) in self.noun_phrases.iter().enumerate() {
            if c.tokens.start > c.tokens.end
                || c.tokens.end as usize > n
                || !c.tokens.contains(&c.head.0)
            {
                return Err(bad(
                    "noun_phrases",
                    i,
                    format!("tokens {:?} with head {} of {n}", c.tokens, c.head.0),
                ));
            }
        }
        for (i, c) in self.verb_groups.iter().enumerate() {
            let refs = [Some(c.head), c.particle, c.modal];
            if c.tokens.start > c.tokens.end
                || c.tokens.end as usize > n
                || refs.iter().flatten().any(|t| t.index() >= n)
            {
                return Err(bad(
                    "verb_groups",
                    i,
                    format!("tokens {:?} of {n}", c.tokens),
                ));
            }
        }
        Ok(())
    }

    fn check_quotes(&self) -> Result<(), InvariantError> {
        check_layer(&self.text, "quotes", self.quotes.iter().map(|q| q.span))?;
        for (i, q) in self.quotes.iter().enumerate() {
            for span in [q.speaker_span, q.cue].into_iter().flatten() {
                span.check(&self.text)
                    .map_err(|source| InvariantError::Span {
                        layer: "quotes",
                        index: i,
                        source,
                    })?;
            }
        }
        Ok(())
    }

    fn check_events(&self) -> Result<(), InvariantError> {
        let mut last = 0;
        for (i, e) in self.events.iter().enumerate() {
            if e.sentence as usize >= self.sentences.len() {
                return Err(InvariantError::Reference {
                    layer: "events",
                    index: i,
                    what: format!("sentence {} of {}", e.sentence, self.sentences.len()),
                });
            }
            let spans = [
                Some(e.trigger),
                e.source.as_ref().map(|a| a.span),
                e.target.as_ref().map(|a| a.span),
            ];
            for span in spans
                .into_iter()
                .flatten()
                .chain(e.place.as_ref().map(|p| p.span))
            {
                span.check(&self.text)
                    .map_err(|source| InvariantError::Span {
                        layer: "events",
                        index: i,
                        source,
                    })?;
            }
            if e.trigger.start() < last {
                return Err(InvariantError::Unsorted {
                    layer: "events",
                    index: i,
                });
            }
            last = e.trigger.start();
        }
        Ok(())
    }
}

fn check_layer(
    text: &str,
    layer: &'static str,
    spans: impl Iterator<Item = Span>,
) -> Result<(), InvariantError> {
    let mut last = 0;
    for (index, span) in spans.enumerate() {
        span.check(text).map_err(|source| InvariantError::Span {
            layer,
            index,
            source,
        })?;
        if span.start() < last {
            return Err(InvariantError::Unsorted { layer, index });
        }
        last = span.start();
    }
    Ok(())
}

/// A broken document invariant: always a bug in the stage that made the layer.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum InvariantError {
    #[error("{layer}[{index}]: {source}")]
    Span {
        layer: &'static str,
        index: usize,
        source: SpanError,
    },
    #[error("{layer}[{index}] starts before the item before it: layers must be sorted by start")]
    Unsorted { layer: &'static str, index: usize },
    #[error("{layer}[{index}] refers to {what}, which does not exist")]
    Reference {
        layer: &'static str,
        index: usize,
        what: String,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_defaults_to_content_hash() {
        let a = Doc::new("Putin ordered a withdrawal.", Meta::default());
        let b = Doc::new("Putin ordered a withdrawal.", Meta::default());
        assert_eq!(a.id(), b.id());
        assert_eq!(a.id().len(), 32);
        let c = Doc::new(
            "x",
            Meta {
                id: Some("given".into()),
                ..Meta::default()
            },
        );
        assert_eq!(c.id(), "given");
    }

    #[test]
    fn tokens_in_a_span() {
        let mut doc = Doc::new("One two. Three four.", Meta::default());
        let toks = [(0, 3), (4, 7), (7, 8), (9, 14), (15, 19), (19, 20)]
            .map(|(s, e)| Token::new(Span::new(s, e)));
        doc.set_tokens(toks.to_vec());
        let second: Vec<&str> = doc
            .tokens_in(Span::new(9, 20))
            .iter()
            .map(|t| doc.slice(t.span))
            .collect();
        assert_eq!(second, ["Three", "four", "."]);
    }

    #[test]
    #[should_panic(expected = "sorted by start")]
    fn unsorted_layer_is_a_bug() {
        let mut doc = Doc::new("One two.", Meta::default());
        doc.set_sentences(vec![
            Sentence {
                span: Span::new(4, 8),
            },
            Sentence {
                span: Span::new(0, 3),
            },
        ]);
    }
}
