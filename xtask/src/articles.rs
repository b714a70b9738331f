//! Main-text extraction on the article-extraction benchmark (181 pages): sitrep's extractor and
//! Python trafilatura, scored with ../shared/peers/aeb_score.py on the dev half (first 90 ids in
//! sorted order), the test half (the other 91) and all 181.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use serde_json::{json, Value};

use crate::Env;

/// Pages in the dev half (the first ids in sorted order).
const DEV_PAGES: usize = 90;
/// Timed repetitions of sitrep's run; the median is reported.
const RUNS: usize = 5;
const COMMAND: &str = "cargo run --release -p xtask -- eval articles";

struct Score {
    f1: f64,
    p: f64,
    r: f64,
}

pub(crate) fn run(env: &Env) -> Result<()> {
    let bench = env.shared.join("eval/article-extraction");
    let html_dir = bench.join("html");
    let gt_path = bench.join("ground-truth.json");
    let scorer = env.shared.join("peers/aeb_score.py");
    let out = env.out.join("articles");
    std::fs::create_dir_all(&out)?;

    let gt: BTreeMap<String, Value> = serde_json::from_str(
        &std::fs::read_to_string(&gt_path)
            .with_context(|| format!("reading {}", gt_path.display()))?,
    )
    .with_context(|| format!("parsing {}", gt_path.display()))?;
    let ids: Vec<&String> = gt.keys().collect();
    let splits: [(&str, &[&String]); 3] = [
        ("test", &ids[DEV_PAGES.min(ids.len())..]),
        ("dev", &ids[..DEV_PAGES.min(ids.len())]),
        ("all", &ids[..]),
    ];
    for (name, split) in &splits {
        let subset: BTreeMap<&String, &Value> = split.iter().map(|id| (*id, &gt[*id])).collect();
        std::fs::write(
            out.join(format!("gt-{name}.json")),
            serde_json::to_string(&subset)?,
        )?;
    }

    // Pages, decompressed and decoded before any timing.
    let mut pages = Vec::with_capacity(ids.len());
    for id in &ids {
        let path = html_dir.join(format!("{id}.html.gz"));
        let mut bytes = Vec::new();
        flate2::read::GzDecoder::new(
            std::fs::File::open(&path).with_context(|| format!("opening {}", path.display()))?,
        )
        .read_to_end(&mut bytes)
        .with_context(|| format!("decompressing {}", path.display()))?;
        pages.push(sitrep_read::html::decode(&bytes, None));
    }

    // sitrep, one thread, extraction only.
    let mut texts: Vec<String> = pages
        .iter()
        .map(|p| sitrep_read::html::extract(p).text)
        .collect();
    let mut rates = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let start = Instant::now();
        texts = pages
            .iter()
            .map(|p| sitrep_read::html::extract(p).text)
            .collect();
        rates.push(pages.len() as f64 / start.elapsed().as_secs_f64());
    }
    rates.sort_by(f64::total_cmp);
    let sitrep_rate = rates[rates.len() / 2];
    let predictions: BTreeMap<&String, Value> = ids
        .iter()
        .zip(&texts)
        .map(|(id, text)| (*id, json!({ "articleBody": text })))
        .collect();
    let sitrep_pred = out.join("sitrep.json");
    std::fs::write(&sitrep_pred, serde_json::to_string(&predictions)?)?;
    println!(
        "sitrep: {} pages, {sitrep_rate:.0} pages/s (median of {RUNS} runs)",
        pages.len()
    );

    // Python trafilatura through the peers runner, when a peers virtualenv exists.
    let python = crate::peers_python();
    let peers_dir = out.join("peers");
    let mut trafilatura: Option<(PathBuf, f64)> = None;
    let mut peer_note = String::new();
    if python.exists() {
        let runner = env.shared.join("peers/run_html_extractors.py");
        let output = Command::new(&python)
            .arg(&runner)
            .arg(&html_dir)
            .arg(&peers_dir)
            .arg("trafilatura")
            .output()
            .with_context(|| format!("running {} {}", python.display(), runner.display()))?;
        let stdout = String::from_utf8_lossy(&output.stdout);
        match stdout
            .lines()
            .find(|l| l.starts_with("trafilatura "))
            .and_then(|l| field(l, "docs/s="))
        {
            Some(rate) => {
                println!("python trafilatura: {rate:.0} pages/s");
                trafilatura = Some((peers_dir.join("trafilatura.json"), rate));
            }
            None => {
                peer_note = format!(
                    "Python trafilatura did not run ({}): {}",
                    python.display(),
                    stdout.trim()
                );
                println!("{peer_note}");
            }
        }
    } else {
        peer_note = format!(
            "Python trafilatura not measured: no peers virtualenv at {} (set SITREP_PEERS_PYTHON, or \
             `python3 -m venv /tmp/peers && /tmp/peers/bin/pip install trafilatura lxml_html_clean`)",
            python.display()
        );
        println!("{peer_note}");
    }

    // Scores.
    let score_python = if python.exists() {
        python.clone()
    } else {
        PathBuf::from("python3")
    };
    let mut rows = Vec::new();
    let mut systems: Vec<(&str, &Path, f64)> = vec![("sitrep", &sitrep_pred, sitrep_rate)];
    if let Some((path, rate)) = &trafilatura {
        systems.push(("Python trafilatura", path, *rate));
    }
    for (system, pred, rate) in &systems {
        for (split, members) in &splits {
            let gt_split = out.join(format!("gt-{split}.json"));
            let s = score(&score_python, &scorer, &gt_split, pred)?;
            let ratio = trafilatura
                .as_ref()
                .map_or("–".to_owned(), |(_, t)| format!("{:.1}×", rate / t));
            println!(
                "{system:<20} {split:<5} F1={:.3} P={:.3} R={:.3}",
                s.f1, s.p, s.r
            );
            rows.push(format!(
                "| {system} | {split} ({}) | {:.3} | {:.3} | {:.3} | {rate:.0} | {ratio} |",
                members.len(),
                s.f1,
                s.p,
                s.r
            ));
        }
    }

    let date = jiff::Timestamp::now().strftime("%Y-%m-%d").to_string();
    let cpus = std::thread::available_parallelism().map_or(1, |n| n.get());
    let cpu_model = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, v)| v.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".to_owned());
    let mut body = String::new();
    body.push_str("## Main-text extraction (article-extraction benchmark)\n\n");
    body.push_str(&format!(
        "Measured {date} on {cpus} cores (nproc; {cpu_model}) with `{COMMAND}`.\n\
         Scorer: `../shared/peers/aeb_score.py` (token 4-gram shingles, P and R averaged over pages).\n\
         Pages/s: one thread, all 181 pages, extraction only after decompression and decoding\n\
         (sitrep: median of {RUNS} in-process runs; Python trafilatura: `run_html_extractors.py`,\n\
         default settings, in the same run). Dev = the first {DEV_PAGES} page ids in sorted order,\n\
         used for development; test = the other {}, looked at only for this figure.\n\n",
        ids.len().saturating_sub(DEV_PAGES)
    ));
    body.push_str("| system | split (pages) | F1 | P | R | pages/s | vs Python trafilatura |\n");
    body.push_str("|---|---|---|---|---|---|---|\n");
    for row in &rows {
        body.push_str(row);
        body.push('\n');
    }
    if !peer_note.is_empty() {
        body.push_str(&format!("\n{peer_note}\n"));
    }
    crate::write_section(&env.root, "articles", &body)
}

/// Runs aeb_score.py on one split and one prediction file.
fn score(python: &Path, scorer: &Path, gt: &Path, pred: &Path) -> Result<Score> {
    let output = Command::new(python)
        .arg(scorer)
        .arg(gt)
        .arg(pred)
        .output()
        .with_context(|| format!("running {} {}", python.display(), scorer.display()))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let line = stdout.lines().next().unwrap_or_default();
    match (field(line, "F1="), field(line, "P="), field(line, "R=")) {
        (Some(f1), Some(p), Some(r)) => Ok(Score { f1, p, r }),
        _ => bail!(
            "aeb_score.py printed no score for {}: {}{}",
            pred.display(),
            stdout.trim(),
            String::from_utf8_lossy(&output.stderr).trim()
        ),
    }
}

/// The number after `key` in a line such as `x.json F1=0.960 P=0.944 R=0.976`.
fn field(line: &str, key: &str) -> Option<f64> {
    let at = line.split_whitespace().find_map(|w| w.strip_prefix(key))?;
    at.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_scorer_and_runner_lines() {
        let line = "sitrep.json                  F1=0.960 P=0.944 R=0.976 acc=0.267";
        assert_eq!(field(line, "F1="), Some(0.960));
        assert_eq!(field(line, "P="), Some(0.944));
        let runner =
            "trafilatura        docs=181 wall=1.70s cpu=1.69s docs/s=106.5 MB/s=18.5 errors=0";
        assert_eq!(field(runner, "docs/s="), Some(106.5));
    }
}
