//! The progress spinner and wording shared by the commands that read many documents.

use std::io::{self, IsTerminal};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};

/// Progress on stderr, only when stderr is a terminal: a bar with percentage and ETA when the
/// inputs' total size is known (files), else a spinner; both show documents and documents/s.
pub(crate) struct Progress {
    bar: Option<ProgressBar>,
    start: Instant,
}

impl Progress {
    /// A bar over `total` bytes of input with an ETA; a spinner when there is no total.
    pub(crate) fn with_total(quiet: bool, total: Option<u64>) -> Progress {
        let total = total.filter(|bytes| *bytes > 0);
        let bar = (!quiet && io::stderr().is_terminal()).then(|| {
            let (bar, template) = match &total {
                Some(bytes) => (
                    ProgressBar::new(*bytes),
                    "{bar:30} {percent:>3}% {msg} {elapsed}, ETA {eta}",
                ),
                None => (ProgressBar::new_spinner(), "{spinner} {msg} {elapsed}"),
            };
            bar.set_style(
                ProgressStyle::with_template(template)
                    .expect("the template is valid")
                    .progress_chars("█▌ "),
            );
            bar.enable_steady_tick(Duration::from_millis(200));
            bar
        });
        Progress {
            bar,
            start: Instant::now(),
        }
    }

    /// Shows `documents` done so far (coming from the first `bytes` of input), their rate, and
    /// a message (empty for none).
    pub(crate) fn update(&self, bytes: u64, documents: u64, message: String) {
        if let Some(bar) = &self.bar {
            bar.set_position(bytes);
            let seconds = self.start.elapsed().as_secs_f64().max(1e-3);
            let rate = documents as f64 / seconds;
            let mut line = format!(
                "{documents} {} ({rate:.0}/s)",
                plural(documents, "document", "documents")
            );
            if !message.is_empty() {
                line.push(' ');
                line.push_str(&message);
            }
            bar.set_message(line);
        }
    }

    /// Runs `f` (which prints to stderr) with the spinner out of the way.
    pub(crate) fn suspend(&self, f: impl FnOnce()) {
        match &self.bar {
            Some(bar) => bar.suspend(f),
            None => f(),
        }
    }

    pub(crate) fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }

    pub(crate) fn elapsed(&self) -> Duration {
        self.start.elapsed()
    }
}

/// `one` for 1, else `many`.
pub(crate) fn plural<'a>(n: u64, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 {
        one
    } else {
        many
    }
}
