//! `sitrep timeline`: event counts per period by quad class.

use crate::cli::TimelineArgs;
use crate::report::{Hinted, Status};

pub(crate) fn run(args: TimelineArgs) -> anyhow::Result<Status> {
    let _ = args;
    Err(Hinted::error(
        "`sitrep timeline` is not built yet",
        "see the open issues; use `sitrep search` meanwhile",
    ))
}
