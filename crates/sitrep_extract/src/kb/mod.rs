//! The knowledge base: countries, organizations, people with dated roles, agents.

pub mod entry;
pub mod index;
pub mod load;
pub mod phoenix;

pub use entry::{Agent, Country, Entries, OrgKind, Organization, PersonRole, SourceLine};
pub use index::KnowledgeBase;
pub use load::{KbError, Loaded};
