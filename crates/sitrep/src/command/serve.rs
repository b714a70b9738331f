//! `sitrep serve`: the JSON API and the web page over a store.

use crate::cli::ServeArgs;
use crate::report::{Hinted, Status};

pub(crate) fn run(args: ServeArgs) -> anyhow::Result<Status> {
    let _ = args;
    Err(Hinted::error(
        "`sitrep serve` is not built yet",
        "see the open issues; use `sitrep search` meanwhile",
    ))
}
