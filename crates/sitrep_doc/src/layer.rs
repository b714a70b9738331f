//! The annotation layers: one type per kind of annotation, each anchored by [`Span`]s.
//!
//! Labels from closed sets are enums; their JSON spelling is the contract of DESIGN.md §4.

use std::borrow::Cow;
use std::ops::Range;

use serde::{Deserialize, Serialize};

use crate::Span;

/// The annotation layers a [`Doc`](crate::Doc) carries, named so pipeline stages can declare what
/// they need and what they fill.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Layer {
    Language,
    Sentences,
    Tokens,
    PartsOfSpeech,
    Lemmas,
    /// Noun phrases and verb groups.
    Chunks,
    Entities,
    Actors,
    Times,
    Places,
    Quotes,
    Events,
    Tone,
}

impl Layer {
    pub fn name(self) -> &'static str {
        match self {
            Layer::Language => "language",
            Layer::Sentences => "sentences",
            Layer::Tokens => "tokens",
            Layer::PartsOfSpeech => "parts of speech",
            Layer::Lemmas => "lemmas",
            Layer::Chunks => "chunks",
            Layer::Entities => "entities",
            Layer::Actors => "actors",
            Layer::Times => "times",
            Layer::Places => "places",
            Layer::Quotes => "quotes",
            Layer::Events => "events",
            Layer::Tone => "tone",
        }
    }
}

impl std::fmt::Display for Layer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// A sentence.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sentence {
    #[serde(flatten)]
    pub span: Span,
}

/// A token with its (optional, filled by a later stage) part of speech and lemma.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Token {
    #[serde(flatten)]
    pub span: Span,
    pub pos: Option<Pos>,
    /// The dictionary form ("ordered" → "order"); borrowed from the lemma tables when it comes
    /// from them, so most tokens allocate nothing.
    pub lemma: Option<Cow<'static, str>>,
}

/// The index of a token in [`Doc::tokens`](crate::Doc::tokens).
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
pub struct TokenIdx(pub u32);

impl TokenIdx {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// A base noun phrase ("Russian President Vladimir Putin", "his forces", "the Islamic State group").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NounPhrase {
    pub span: Span,
    /// The phrase's tokens, a contiguous range of token indices.
    pub tokens: Range<u32>,
    /// The head noun (usually the last noun or proper noun).
    pub head: TokenIdx,
}

/// A verb group: a main verb with its auxiliaries, modal, negation and particle ("did not attack",
/// "would deal", "has been liberated", "called off").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerbGroup {
    pub span: Span,
    /// The group's tokens, a contiguous range of token indices (an inserted adverb included).
    pub tokens: Range<u32>,
    /// The main (lexical) verb, or the copula/auxiliary when there is no other verb.
    pub head: TokenIdx,
    /// A verb particle ("off" in "called off"), which may stand after the object ("called the talks off").
    pub particle: Option<TokenIdx>,
    /// The modal ("would", "could", "will"), if any.
    pub modal: Option<TokenIdx>,
    pub negated: bool,
    pub passive: bool,
    pub perfect: bool,
    pub progressive: bool,
    pub tense: Tense,
}

/// The tense of a verb group.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Tense {
    Past,
    Present,
    Future,
    /// No finite verb ("to attack", "attacking", "attacked by rebels" in a reduced clause).
    Nonfinite,
}

impl Token {
    pub fn new(span: Span) -> Token {
        Token {
            span,
            pos: None,
            lemma: None,
        }
    }
}

/// Universal POS tags (Universal Dependencies v2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Pos {
    Adj,
    Adp,
    Adv,
    Aux,
    Cconj,
    Det,
    Intj,
    Noun,
    Num,
    Part,
    Pron,
    Propn,
    Punct,
    Sconj,
    Sym,
    Verb,
    X,
}

impl Pos {
    /// Every tag, in the order of the enum.
    pub const ALL: [Pos; 17] = [
        Pos::Adj,
        Pos::Adp,
        Pos::Adv,
        Pos::Aux,
        Pos::Cconj,
        Pos::Det,
        Pos::Intj,
        Pos::Noun,
        Pos::Num,
        Pos::Part,
        Pos::Pron,
        Pos::Propn,
        Pos::Punct,
        Pos::Sconj,
        Pos::Sym,
        Pos::Verb,
        Pos::X,
    ];

    /// The Universal Dependencies spelling ("PROPN").
    pub fn as_str(self) -> &'static str {
        match self {
            Pos::Adj => "ADJ",
            Pos::Adp => "ADP",
            Pos::Adv => "ADV",
            Pos::Aux => "AUX",
            Pos::Cconj => "CCONJ",
            Pos::Det => "DET",
            Pos::Intj => "INTJ",
            Pos::Noun => "NOUN",
            Pos::Num => "NUM",
            Pos::Part => "PART",
            Pos::Pron => "PRON",
            Pos::Propn => "PROPN",
            Pos::Punct => "PUNCT",
            Pos::Sconj => "SCONJ",
            Pos::Sym => "SYM",
            Pos::Verb => "VERB",
            Pos::X => "X",
        }
    }

    /// Parses the Universal Dependencies spelling.
    pub fn from_ud(tag: &str) -> Option<Pos> {
        Pos::ALL.into_iter().find(|p| p.as_str() == tag)
    }
}

impl std::fmt::Display for Pos {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A named entity mention.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Entity {
    #[serde(skip)]
    pub span: Span,
    pub label: EntityLabel,
    /// The full canonical name, when known ("Vladimir Putin" for "Putin").
    pub canonical: Option<String>,
    /// The CAMEO actor code, when known.
    pub actor: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum EntityLabel {
    Person,
    Org,
    Gpe,
    Loc,
    Norp,
    Fac,
    Group,
}

/// A temporal expression with its TIMEX3 value.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Time {
    #[serde(skip)]
    pub span: Span,
    #[serde(rename = "type")]
    pub kind: TimeType,
    /// The TIMEX3 value ("2017-12-11", "2017-W50", "P3Y", "PAST_REF", …).
    pub value: Option<String>,
    /// The TIMEX3 `mod` ("START" for "early September", "END", "MID", "APPROX", "LESS_THAN",
    /// "MORE_THAN", "BEFORE", "AFTER", …); written only when present.
    #[serde(rename = "mod", default, skip_serializing_if = "Option::is_none")]
    pub modifier: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum TimeType {
    Date,
    Time,
    Duration,
    Set,
}

/// A toponym linked to a gazetteer entry.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Place {
    #[serde(skip)]
    pub span: Span,
    pub name: String,
    /// ISO 3166-1 alpha-2.
    pub country: Option<String>,
    pub admin1: Option<String>,
    pub lat: f64,
    pub lon: f64,
    pub geonameid: Option<u64>,
    pub feature: PlaceFeature,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PlaceFeature {
    Country,
    Admin1,
    City,
    Feature,
}

/// A quotation with its speaker.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Quote {
    #[serde(skip)]
    pub span: Span,
    /// The speaker's canonical name, when known.
    pub speaker: Option<String>,
    /// The mention that introduces the quote (may be a pronoun).
    pub speaker_span: Option<Span>,
    pub speaker_actor: Option<String>,
    /// The cue verb ("said", "told").
    #[serde(skip)]
    pub cue: Option<Span>,
    /// Reported speech ("Putin said the task had been solved"): the span is the reported clause,
    /// not a quotation.
    #[serde(default)]
    pub indirect: bool,
}

/// A coded event.
#[derive(Clone, Debug, PartialEq)]
pub struct Event {
    /// Index into the document's sentences.
    pub sentence: u32,
    pub trigger: Span,
    /// CAMEO code ("0874").
    pub code: String,
    /// CAMEO root ("08").
    pub root: String,
    pub plover: Option<String>,
    pub goldstein: f64,
    pub quad: u8,
    pub source: Option<Argument>,
    pub target: Option<Argument>,
    pub date: Option<String>,
    pub date_precision: Option<DatePrecision>,
    pub date_from: DateFrom,
    pub place: Option<EventPlace>,
    pub negated: bool,
    pub hypothetical: bool,
    pub confidence: f64,
}

/// An event's source or target.
#[derive(Clone, Debug, PartialEq)]
pub struct Argument {
    pub span: Span,
    pub actor: Option<String>,
}

/// Where an event happened.
#[derive(Clone, Debug, PartialEq)]
pub struct EventPlace {
    pub span: Span,
    pub name: String,
    pub country: Option<String>,
    pub lat: f64,
    pub lon: f64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DatePrecision {
    Day,
    Month,
    Year,
}

/// Whether an event's date comes from the text or falls back to the publication date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DateFrom {
    Text,
    Published,
}
