//! The sitrep document model.
//!
//! A [`Doc`] owns an article's cleaned text, which never changes once made, and one layer per kind
//! of annotation. Every annotation points into the text with a [`Span`] of UTF-8 byte offsets, so
//! `&doc.text()[span]` is always the evidence for it.
//!
//! 1. a reader makes a `Doc` from an input (`sitrep_read`);
//! 2. pipeline stages fill its layers in order (`sitrep_extract`);
//! 3. [`json::to_json`] writes it in the output contract.
//!
//! ```
//! use sitrep_doc::{Doc, Meta, Sentence, Span};
//! let mut doc = Doc::new("Putin ordered a withdrawal. Troops left.", Meta::default());
//! doc.set_sentences(vec![Sentence { span: Span::new(0, 27) }, Sentence { span: Span::new(28, 40) }]);
//! assert_eq!(doc.slice(doc.sentences()[1].span), "Troops left.");
//! ```

mod doc;
pub mod json;
pub mod layer;
mod span;

pub use doc::{content_id, Doc, InvariantError, Meta};
pub use layer::{
    Argument, DateFrom, DatePrecision, Entity, EntityLabel, Event, EventPlace, Layer, Place,
    PlaceFeature, Pos, Quote, Sentence, Time, TimeType, Token,
};
pub use span::{Span, SpanError};
