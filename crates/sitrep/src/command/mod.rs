//! One module per command.

pub(crate) mod extract;
pub(crate) mod ingest;
pub(crate) mod search;
