//! Messages on stderr and exit codes.

use std::io::Write;
use std::process::ExitCode;

/// How a command ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Status {
    /// Everything was read.
    Success,
    /// Some inputs or documents could not be read; the rest was processed.
    Partial,
    /// The command could not do its work.
    Failure,
}

impl From<Status> for ExitCode {
    fn from(status: Status) -> ExitCode {
        ExitCode::from(match status {
            Status::Success => 0,
            Status::Partial => 1,
            Status::Failure => 2,
        })
    }
}

/// Prints `error: …`, the `caused by:` chain and any `hint:` attached with [`Hint`].
pub(crate) fn fatal(err: &anyhow::Error) {
    let mut stderr = std::io::stderr().lock();
    let _ = writeln!(stderr, "error: {err}");
    for cause in err.chain().skip(1) {
        let _ = writeln!(stderr, "  caused by: {cause}");
    }
    if let Some(hinted) = err.chain().find_map(|e| e.downcast_ref::<Hinted>()) {
        let _ = writeln!(stderr, "hint: {}", hinted.hint);
    }
}

/// An error with a fix to suggest; [`fatal`] prints the hint after the error.
#[derive(Debug)]
pub(crate) struct Hinted {
    pub(crate) message: String,
    pub(crate) hint: String,
}

impl Hinted {
    pub(crate) fn error(message: impl Into<String>, hint: impl Into<String>) -> anyhow::Error {
        anyhow::Error::new(Hinted {
            message: message.into(),
            hint: hint.into(),
        })
    }
}

impl std::fmt::Display for Hinted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Hinted {}

/// Prints one per-document error and its hint.
pub(crate) fn input_error(err: &sitrep_read::ReadError) {
    let mut stderr = std::io::stderr().lock();
    let _ = writeln!(stderr, "error: {err}");
    if let Some(hint) = &err.hint {
        let _ = writeln!(stderr, "hint: {hint}");
    }
}

/// Whether an I/O error means the reader of our output went away (`| head`).
pub(crate) fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain()
        .filter_map(|e| e.downcast_ref::<std::io::Error>())
        .any(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
}
