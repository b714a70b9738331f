//! The sitrep pipeline: stages that each add one annotation layer to a [`Doc`].
//!
//! Every stage is pure (no I/O) and infallible: any text is valid input and the worst result is
//! "found nothing". A [`Pipeline`] checks at build time that each stage's requirements are met by
//! the stages before it; running it cannot fail.
//!
//! 1. [`language`]: which language the text is in;
//! 2. [`segment`]: sentences and tokens;
//! 3. [`tag`]: a Universal POS tag for every token;
//! 4. [`lemma`]: the dictionary form of every token;
//! 5. [`chunk`]: base noun phrases and verb groups;
//! 6. [`entity`]: people, organizations, places, nationalities and groups, with canonical names and
//!    in-document coreference, from the knowledge base ([`kb`]) and patterns;
//! 7. [`actor`]: CAMEO actor codes for entities and noun phrases, dated against the publication date;
//! 8. [`time`]: temporal expressions with TIMEX3 values resolved against the publication date;
//! 9. [`place`]: toponyms linked to a GeoNames-based gazetteer, disambiguated by document context;
//! 10. [`quote`]: direct quotes and reported speech with speaker, cue and the speaker's actor code;
//! 11. [`tone`]: document tone from the VADER lexicon, on GDELT's scale;
//! 12. [`event`]: CAMEO-coded events with source, target, date, place, PLOVER type, Goldstein score.
//!
//! ```
//! use sitrep_doc::{Doc, Meta};
//! let pipeline = sitrep_extract::Pipeline::standard();
//! let mut doc = Doc::new("Russian troops left Syria. Gen. Smith said so.", Meta::default());
//! pipeline.run(&mut doc);
//! assert_eq!(doc.sentences().len(), 2);
//! ```

pub mod actor;
pub mod chunk;
pub mod entity;
pub mod event;
pub mod kb;
pub mod language;
pub mod lemma;
mod pipeline;
pub mod place;
pub mod quote;
pub mod segment;
pub mod tag;
pub mod time;
pub mod tone;
mod version;

pub use pipeline::{builtin_knowledge_base, Pipeline, PipelineBuilder, PipelineError, Stage};
pub use sitrep_doc::{Doc, Layer};
pub use version::knowledge_version;
