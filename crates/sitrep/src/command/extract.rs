//! `sitrep extract`: documents in, annotated JSONL out.
//!
//! A reader thread walks the inputs and hands batches of raw documents to the main thread, which
//! cleans and annotates each batch on all cores (rayon) and writes the results in input order.

use std::io::{self, BufWriter, Write};
use std::time::Duration;

use rayon::prelude::*;
use sitrep_doc::json::{to_json, JsonOptions};
use sitrep_extract::Pipeline;
use sitrep_read::{RawDoc, ReadError};

use super::progress::{plural, Progress};
use crate::cli::{ExtractArgs, Format};
use crate::report::{self, Status};

/// Documents handed to the workers at once: enough to keep every core busy, few enough to bound memory.
const BATCH: usize = 64;

/// What became of one input item.
enum Outcome {
    Written(String),
    Skipped { language: String },
    Failed(ReadError),
}

pub(crate) fn run(args: ExtractArgs) -> anyhow::Result<Status> {
    let (inputs, options) = super::read_setup(
        &args.inputs,
        args.published.as_deref(),
        args.max_doc_bytes,
        args.threads,
    )?;
    let json = JsonOptions {
        tokens: args.tokens,
        pretty: args.format == Format::Pretty,
    };
    let pipeline = super::pipeline(&args.dicts)?;

    let (batches, total, reader) = super::spawn_reader(inputs, options, BATCH, args.quiet);

    let progress = Progress::with_total(args.quiet, total);
    let mut summary = Summary::default();
    let mut out = BufWriter::with_capacity(1 << 16, io::stdout().lock());
    let written = (|| -> anyhow::Result<()> {
        for (batch, bytes) in batches {
            let outcomes: Vec<Outcome> = batch
                .into_par_iter()
                .map(|item| process(item, &pipeline, json, args.all_languages))
                .collect();
            for outcome in outcomes {
                match outcome {
                    Outcome::Written(line) => {
                        out.write_all(line.as_bytes())?;
                        out.write_all(if json.pretty { b"\n\n" } else { b"\n" })?;
                        summary.written += 1;
                    }
                    Outcome::Skipped { language } => {
                        summary.skipped += 1;
                        if !summary.skipped_languages.contains(&language) {
                            summary.skipped_languages.push(language);
                        }
                    }
                    Outcome::Failed(err) => {
                        progress.suspend(|| report::input_error(&err));
                        summary.failed += 1;
                    }
                }
            }
            out.flush()?;
            progress.update(
                bytes,
                (summary.written + summary.skipped + summary.failed) as u64,
                if summary.failed > 0 {
                    format!("{} failed", summary.failed)
                } else {
                    String::new()
                },
            );
        }
        out.flush()?;
        Ok(())
    })();
    progress.finish();
    if let Err(err) = written {
        if report::is_broken_pipe(&err) {
            return Ok(Status::Success);
        }
        return Err(err.context("could not write to stdout"));
    }
    reader
        .join()
        .map_err(|_| anyhow::anyhow!("the reader thread panicked"))?;
    if !args.quiet {
        eprintln!("{}", summary.line(progress.elapsed()));
    }
    Ok(if summary.failed > 0 {
        Status::Partial
    } else {
        Status::Success
    })
}

fn process(
    item: Result<RawDoc, ReadError>,
    pipeline: &Pipeline,
    json: JsonOptions,
    all_languages: bool,
) -> Outcome {
    let raw = match item {
        Ok(raw) => raw,
        Err(err) => return Outcome::Failed(err),
    };
    let mut doc = raw.into_doc();
    let mut skipped = None;
    pipeline.run_while(&mut doc, |stage, doc| {
        if stage == "language" && !all_languages {
            if let Some(language) = doc.language().filter(|l| !matches!(*l, "en" | "und")) {
                skipped = Some(language.to_owned());
                return false;
            }
        }
        true
    });
    match skipped {
        Some(language) => Outcome::Skipped { language },
        None => Outcome::Written(to_json(&doc, json)),
    }
}

#[derive(Default)]
struct Summary {
    written: usize,
    skipped: usize,
    skipped_languages: Vec<String>,
    failed: usize,
}

impl Summary {
    fn line(&self, elapsed: Duration) -> String {
        let mut line = format!(
            "sitrep: {} {} extracted",
            self.written,
            plural(self.written as u64, "document", "documents")
        );
        if self.skipped > 0 {
            line.push_str(&format!(
                ", {} skipped (not English: {})",
                self.skipped,
                self.skipped_languages.join(", ")
            ));
        }
        if self.failed > 0 {
            line.push_str(&format!(
                ", {} could not be read (see the errors above)",
                self.failed
            ));
        }
        line.push_str(&format!(" in {:.2} s", elapsed.as_secs_f64()));
        line
    }
}
