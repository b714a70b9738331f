//! Quote attribution on PolNeAR (../shared/eval/quotes-polnear): sitrep's `quote` stage and
//! textacy's `direct_quotations` (on spaCy, run by ../shared/peers/eval_quotes_polnear.py) in the
//! same run, on the test split (the figure) and the dev split (where the rules were developed).
//!
//! The input is what `sitrep_scores.py inputs-polnear SPLIT` prints (each article's text as is);
//! sitrep runs `Pipeline::standard()` (plus the quote and tone stages when the standard pipeline
//! does not have them yet) and writes `sitrep extract`'s JSON per line, which
//! `sitrep_scores.py quotes-polnear SPLIT OUT` scores: direct-quote P/R/F1 by character overlap of
//! content spans, speaker accuracy on matched quotes by overlap of `speaker_span` with the gold
//! Source. Reported (indirect) speech is left out of the scored file, since the gold counts only
//! contents that start with a quotation mark. Speed: whitespace-separated words per second of the
//! whole pipeline on one thread. `SITREP_SKIP_TEXTACY=1` skips the peer.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use serde_json::Value;
use sitrep_doc::json::{to_json, JsonOptions};
use sitrep_doc::{Doc, Meta};
use sitrep_extract::quote::QuoteAttributor;
use sitrep_extract::tone::ToneScorer;
use sitrep_extract::{Pipeline, Stage};

use crate::Env;

const COMMAND: &str = "cargo run --release -p xtask -- eval quotes";

/// A Python for the stdlib-only scorer: the peers one when present, else `python3`.
fn python() -> PathBuf {
    let peers = crate::peers_python();
    if peers.exists() {
        peers
    } else {
        PathBuf::from("python3")
    }
}

fn run_json(program: &Path, args: &[&Path]) -> Result<Value> {
    let output = Command::new(program)
        .args(args)
        .output()
        .with_context(|| format!("running {} {:?}", program.display(), args))?;
    if !output.status.success() {
        bail!(
            "{:?} failed: {}",
            args.first(),
            String::from_utf8_lossy(&output.stderr)
                .lines()
                .last()
                .unwrap_or("")
        );
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    let last = stdout
        .lines()
        .rev()
        .find(|l| l.trim_start().starts_with('{'));
    serde_json::from_str(last.unwrap_or("")).context("reading the scorer's JSON line")
}

/// sitrep over one split: (scores, words per second).
fn sitrep_split(env: &Env, split: &str, pipeline: &Pipeline) -> Result<(Value, f64)> {
    let dir = env.shared.join("eval/quotes-polnear").join(split);
    let scorer = env.shared.join("peers/sitrep_scores.py");
    let output = Command::new(python())
        .arg(&scorer)
        .arg("inputs-polnear")
        .arg(&dir)
        .output()
        .with_context(|| format!("running {}", scorer.display()))?;
    if !output.status.success() {
        bail!(
            "{} inputs-polnear failed: {}",
            scorer.display(),
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let names = pipeline.stage_names();
    let quote = (!names.contains(&"quote")).then(QuoteAttributor::new);
    let tone = (!names.contains(&"tone")).then(ToneScorer::new);
    let mut docs = Vec::new();
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let v: Value = serde_json::from_str(line).context("reading an input line")?;
        let meta = Meta {
            id: v["id"].as_str().map(str::to_owned),
            ..Meta::default()
        };
        docs.push(Doc::new(v["text"].as_str().unwrap_or_default(), meta));
    }
    let words: usize = docs
        .iter()
        .map(|d| d.text().split_whitespace().count())
        .sum();
    let started = Instant::now();
    for doc in &mut docs {
        pipeline.run(doc);
        if let Some(q) = &quote {
            q.process(doc);
        }
        if let Some(t) = &tone {
            t.process(doc);
        }
    }
    let secs = started.elapsed().as_secs_f64().max(1e-9);
    let mut out = String::new();
    for doc in &docs {
        let mut json: Value = serde_json::from_str(&to_json(doc, JsonOptions::default()))?;
        if let Some(quotes) = json.get_mut("quotes").and_then(Value::as_array_mut) {
            quotes.retain(|q| !q.get("indirect").and_then(Value::as_bool).unwrap_or(false));
        }
        out.push_str(&json.to_string());
        out.push('\n');
    }
    let path = env.out.join(format!("quotes-polnear-{split}.jsonl"));
    std::fs::write(&path, out)?;
    let scores = run_json(
        &python(),
        &[&scorer, Path::new("quotes-polnear"), &dir, &path],
    )?;
    Ok((scores, words as f64 / secs))
}

fn textacy_split(env: &Env, split: &str) -> Result<Value> {
    if std::env::var_os("SITREP_SKIP_TEXTACY").is_some() {
        bail!("skipped (SITREP_SKIP_TEXTACY)");
    }
    let python = crate::peers_python();
    if !python.exists() {
        bail!("no peers virtualenv at {}", python.display());
    }
    let dir = env.shared.join("eval/quotes-polnear").join(split);
    run_json(
        &python,
        &[&env.shared.join("peers/eval_quotes_polnear.py"), &dir],
    )
}

fn cell(v: &Value, key: &str) -> String {
    match v.get(key) {
        Some(Value::Number(n)) => n
            .as_f64()
            .map_or_else(|| n.to_string(), |f| format!("{f:.3}")),
        _ => "–".to_owned(),
    }
}

fn count(v: &Value, key: &str) -> String {
    v.get(key).map_or_else(|| "–".to_owned(), Value::to_string)
}

pub(crate) fn run(env: &Env) -> Result<()> {
    let pipeline = Pipeline::standard();
    let mut body = format!(
        "## Quotes (PolNeAR)\n\nCommand: `{COMMAND}`. Gold: PolNeAR attributions whose content starts with a quotation mark; \
         scored by `../shared/peers/sitrep_scores.py quotes-polnear SPLIT OUT` (sitrep) and \
         `../shared/peers/eval_quotes_polnear.py SPLIT` (textacy `direct_quotations` on spaCy `en_core_web_sm`), in the same run. \
         A quote matches by character overlap of content spans; speaker accuracy is on matched quotes whose gold has a source \
         (sitrep's `speaker_span` overlaps the gold Source). Reported speech is not scored. \
         Rules developed on dev; test measured for the figure only.\n\n\
         | split | system | gold | system quotes | P | R | F1 | speaker acc | words/s |\n|---|---|---|---|---|---|---|---|---|\n"
    );
    for split in ["test", "dev"] {
        let (ours, wps) = sitrep_split(env, split, &pipeline)?;
        println!("quotes {split}: sitrep {ours}");
        body.push_str(&format!(
            "| {split} | sitrep | {} | {} | {} | {} | **{}** | **{}** | {:.0} (whole pipeline) |\n",
            count(&ours, "gold_direct_quotes"),
            count(&ours, "sys_quotes"),
            cell(&ours, "quote_P"),
            cell(&ours, "quote_R"),
            cell(&ours, "quote_F1"),
            cell(&ours, "speaker_acc_on_matched"),
            wps,
        ));
        match textacy_split(env, split) {
            Ok(t) => {
                println!("quotes {split}: textacy {t}");
                body.push_str(&format!(
                    "| {split} | textacy | {} | {} | {} | {} | {} | {} | {} (spaCy + textacy) |\n",
                    count(&t, "gold_direct_quotes"),
                    count(&t, "sys_quotes"),
                    cell(&t, "quote_P"),
                    cell(&t, "quote_R"),
                    cell(&t, "quote_F1"),
                    cell(&t, "speaker_acc_on_matched"),
                    count(&t, "words_per_s"),
                ));
            }
            Err(e) => {
                println!("quotes {split}: textacy not measured: {e:#}");
                body.push_str(&format!(
                    "| {split} | textacy | not measured: {e:#} | | | | | | |\n"
                ));
            }
        }
    }
    crate::write_section(&env.root, "quotes", &body)
}
