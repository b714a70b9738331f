//! `sitrep export`: stored events as JSONL, CSV, GDELT 2.0 or Parquet.

use crate::cli::ExportArgs;
use crate::report::{Hinted, Status};

pub(crate) fn run(args: ExportArgs) -> anyhow::Result<Status> {
    let _ = args;
    Err(Hinted::error(
        "`sitrep export` is not built yet",
        "see the open issues; use `sitrep search` meanwhile",
    ))
}
