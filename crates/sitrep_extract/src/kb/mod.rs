//! The knowledge base: countries, organizations, people with dated roles, agents.

pub mod entry;

pub use entry::{Agent, Country, Entries, OrgKind, Organization, PersonRole, SourceLine};
