//! `sitrep events`: stored events with filters and paging.

use crate::cli::EventsArgs;
use crate::report::{Hinted, Status};

pub(crate) fn run(args: EventsArgs) -> anyhow::Result<Status> {
    let _ = args;
    Err(Hinted::error(
        "`sitrep events` is not built yet",
        "see the open issues; use `sitrep search` meanwhile",
    ))
}
