//! `sitrep demo`: the bundled examples into a store, a summary, then the web page.

use crate::cli::DemoArgs;
use crate::report::{Hinted, Status};

pub(crate) fn run(args: DemoArgs) -> anyhow::Result<Status> {
    let _ = args;
    Err(Hinted::error(
        "`sitrep demo` is not built yet",
        "see the open issues; use `sitrep search` meanwhile",
    ))
}
