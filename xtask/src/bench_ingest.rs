//! `cargo run --release -p xtask -- bench ingest`: the ingest pipeline end to end (read JSONL →
//! clean → extract → stored in SQLite) beside bare `sitrep extract`, on news articles from
//! ../shared/corpus. Rewrites the `bench:ingest` section of BENCHMARKS.md.
//!
//! Each figure is one run of the release binary `target/release/sitrep` as a child process (built
//! first with `cargo build --release -p sitrep`); its `/proc/<pid>/status` and `/proc/<pid>/stat`
//! are read every 10 ms for its CPU time, its peak RSS (VmHWM, the figure `/usr/bin/time -v`
//! prints) and its peak anonymous RSS (RssAnon: VmHWM also counts the pages of the database the
//! store maps with `PRAGMA mmap_size`, which grow with the store). Every ingest writes a fresh
//! database in eval-out/.
//!
//! Input: eval-out/bench-ingest-N.jsonl, written from the articles of
//! `../shared/corpus/te3_silver_gigaword.jsonl` (the main throughput corpus, the one the
//! `bench:extract` section uses). Document `d` is article `d % articles`, its text prefixed with a
//! dateline sentence of its own (`April 1 (Wire 1234) — `, the date from `published`, the wire
//! number unique per document), so that every document has a distinct content hash and ingest
//! stores all of them: 20,000 documents cycle through the 2,377 articles about eight times.
//!
//! Acceptance (issue 9): ingest ≥ 70% of bare extract throughput; ingest on 2 threads ≥ 1.5× on
//! one; ingest's peak RSS flat (±20%) from 2,000 to 20,000 documents.

use std::ffi::OsString;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use serde_json::Value;

use crate::Env;

const CORPUS: &str = "corpus/te3_silver_gigaword.jsonl";
const COMMAND: &str = "cargo run --release -p xtask -- bench ingest";
/// Documents for the throughput figures and the small memory figure.
const SMALL: usize = 2_000;
/// Documents for the large memory figure.
const LARGE: usize = 20_000;
/// Timed runs per throughput figure; the fastest counts.
const RUNS: usize = 3;
/// How often a running child's /proc files are read.
const POLL: Duration = Duration::from_millis(10);

/// A generated input file.
struct Input {
    path: PathBuf,
    docs: usize,
    /// Whitespace-separated words of the `text` fields (datelines included).
    words: usize,
    bytes: u64,
}

/// One run of the binary.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
struct Sample {
    wall: f64,
    /// User + system CPU seconds, when known.
    cpu: Option<f64>,
    /// Peak resident set size in kB (VmHWM: heap and mapped file pages alike), when known.
    max_rss_kb: Option<u64>,
    /// Peak anonymous resident memory in kB (RssAnon, sampled), when known: the process's own
    /// memory, without the pages of files it maps (SQLite maps the database).
    max_anon_kb: Option<u64>,
}

/// One configuration, measured `runs` times.
struct Row {
    what: &'static str,
    command: String,
    input_docs: usize,
    input_words: usize,
    threads: usize,
    /// The fastest run; `max_rss_kb` is the largest of all runs.
    best: Sample,
    runs: usize,
    /// Documents in the store after the run (ingest only).
    stored: Option<u64>,
    /// Size of the store (database + WAL) after the run, in bytes (ingest only).
    db_bytes: Option<u64>,
}

impl Row {
    fn docs_per_s(&self) -> f64 {
        self.input_docs as f64 / self.best.wall
    }

    fn words_per_s(&self) -> f64 {
        self.input_words as f64 / self.best.wall
    }

    fn words_per_cpu_s(&self) -> Option<f64> {
        self.best.cpu.map(|c| self.input_words as f64 / c.max(1e-9))
    }
}

pub(crate) fn run(env: &Env) -> Result<()> {
    let corpus = env.shared.join(CORPUS);
    if !corpus.exists() {
        println!("bench ingest: skipped: {} not found", corpus.display());
        return Ok(());
    }
    let binary = build_sitrep(&env.root)?;
    let articles = read_articles(&corpus)?;
    if articles.is_empty() {
        bail!("{} holds no articles with a text", corpus.display());
    }
    let small = write_variants(
        &articles,
        SMALL,
        &env.out.join(format!("bench-ingest-{SMALL}.jsonl")),
    )?;
    let large = write_variants(
        &articles,
        LARGE,
        &env.out.join(format!("bench-ingest-{LARGE}.jsonl")),
    )?;
    println!(
        "bench ingest: {} articles from {}; inputs {} ({} documents, {} words, {:.1} MB) and {} ({} documents, {} words, {:.1} MB)",
        articles.len(),
        corpus.display(),
        small.path.display(),
        small.docs,
        small.words,
        small.bytes as f64 / 1e6,
        large.path.display(),
        large.docs,
        large.words,
        large.bytes as f64 / 1e6,
    );
    let load_before = load_average();

    let extract1 = progress(extract_row(&binary, &small, 1, &env.root)?);
    let ingest1 = progress(ingest_row(&binary, &small, 1, RUNS, env)?);
    let extract2 = progress(extract_row(&binary, &small, 2, &env.root)?);
    let ingest2 = progress(ingest_row(&binary, &small, 2, RUNS, env)?);
    let ingest_large = progress(ingest_row(&binary, &large, 2, 1, env)?);
    // The same ratio at ten times the documents: the store's writes grow with its size.
    let extract_large1 = progress(extract_row(&binary, &large, 1, &env.root)?);
    let ingest_large1 = progress(ingest_row(&binary, &large, 1, 1, env)?);
    let load_after = load_average();

    let ratio_extract = ingest1.words_per_s() / extract1.words_per_s();
    let ratio_threads = ingest2.words_per_s() / ingest1.words_per_s();
    let body = section(&Report {
        small: &small,
        large: &large,
        articles: articles.len(),
        rows: &[
            extract1,
            ingest1,
            extract2,
            ingest2,
            ingest_large,
            extract_large1,
            ingest_large1,
        ],
        ratio_extract,
        ratio_threads,
        load_before,
        load_after,
        root: &env.root,
    });
    println!("{body}");
    crate::write_section_in(&env.root, "BENCHMARKS.md", "bench:ingest", &body)
}

/// Prints one measured row as it comes.
fn progress(row: Row) -> Row {
    println!(
        "{:<62} {:>6} docs -j{} {:>8.0} documents/s {:>9.0} words/s  peak RSS {} MB, anonymous {} MB",
        row.what,
        row.input_docs,
        row.threads,
        row.docs_per_s(),
        row.words_per_s(),
        mb(row.best.max_rss_kb),
        mb(row.best.max_anon_kb),
    );
    row
}

/// Builds the release binary (a no-op when it is up to date) and returns its path.
fn build_sitrep(root: &Path) -> Result<PathBuf> {
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["build", "--release", "--quiet", "-p", "sitrep"])
        .current_dir(root)
        .status()
        .context("could not run cargo to build sitrep")?;
    let binary = target_dir(root).join("release/sitrep");
    if !status.success() {
        bail!(
            "cargo build --release -p sitrep failed; fix the build (or build {} yourself) and rerun",
            binary.display()
        );
    }
    if !binary.exists() {
        bail!(
            "{} not found after cargo build --release -p sitrep; set CARGO_TARGET_DIR to where it builds",
            binary.display()
        );
    }
    Ok(binary)
}

fn target_dir(root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"))
}

/// The articles of a JSONL corpus that have a non-empty text, as JSON objects.
fn read_articles(corpus: &Path) -> Result<Vec<serde_json::Map<String, Value>>> {
    let lines =
        std::fs::read_to_string(corpus).with_context(|| format!("reading {}", corpus.display()))?;
    let mut articles = Vec::new();
    for (i, line) in lines.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let value: Value = serde_json::from_str(line)
            .with_context(|| format!("{} line {}: not JSON", corpus.display(), i + 1))?;
        if let Value::Object(map) = value {
            if map
                .get("text")
                .and_then(Value::as_str)
                .is_some_and(|t| !t.trim().is_empty())
            {
                articles.push(map);
            }
        }
    }
    Ok(articles)
}

/// Writes `docs` documents cycling through `articles`, each with a dateline of its own.
fn write_variants(
    articles: &[serde_json::Map<String, Value>],
    docs: usize,
    path: &Path,
) -> Result<Input> {
    let file = std::fs::File::create(path)
        .with_context(|| format!("could not create {}", path.display()))?;
    let mut out = BufWriter::new(file);
    let mut words = 0;
    for d in 0..docs {
        let mut article = articles[d % articles.len()].clone();
        let doc = variant(&mut article, d);
        words += doc.split_whitespace().count();
        serde_json::to_writer(&mut out, &Value::Object(article))?;
        out.write_all(b"\n")?;
    }
    out.flush()
        .with_context(|| format!("could not write {}", path.display()))?;
    let bytes = std::fs::metadata(path)?.len();
    Ok(Input {
        path: path.to_owned(),
        docs,
        words,
        bytes,
    })
}

/// Turns `article` into document number `serial`: a new id and a dateline before the text, so
/// that its content hash differs from every other document's. Returns the new text.
fn variant(article: &mut serde_json::Map<String, Value>, serial: usize) -> String {
    let id = article
        .get("id")
        .and_then(Value::as_str)
        .unwrap_or("article")
        .to_owned();
    let text = article
        .get("text")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let text = format!(
        "{} {}",
        dateline(article.get("published").and_then(Value::as_str), serial),
        text.trim_start()
    );
    article.insert("id".into(), Value::String(format!("{id}-v{serial}")));
    article.insert("text".into(), Value::String(text.clone()));
    text
}

/// A news dateline: `April 1 (Wire 1234) —`, or `(Wire 1234) —` without a usable date.
fn dateline(published: Option<&str>, serial: usize) -> String {
    let wire = format!("(Wire {}) —", 1000 + serial);
    let date = published
        .and_then(|p| p.get(..10))
        .and_then(|p| p.parse::<jiff::civil::Date>().ok());
    match date {
        Some(date) => format!("{} {wire}", date.strftime("%B %-d")),
        None => wire,
    }
}

fn extract_row(binary: &Path, input: &Input, threads: usize, root: &Path) -> Result<Row> {
    let args: Vec<OsString> = vec![
        "extract".into(),
        "-q".into(),
        format!("-j{threads}").into(),
        input.path.clone().into(),
    ];
    // One untimed run warms the page cache.
    run_child(binary, &args)?;
    let mut best: Option<Sample> = None;
    let mut max_rss = None;
    let mut max_anon = None;
    for _ in 0..RUNS {
        let sample = run_child(binary, &args)?;
        max_rss = max_rss.max(sample.max_rss_kb);
        max_anon = max_anon.max(sample.max_anon_kb);
        if best.is_none_or(|b| sample.wall < b.wall) {
            best = Some(sample);
        }
    }
    let mut best = best.unwrap_or_default();
    best.max_rss_kb = max_rss;
    best.max_anon_kb = max_anon;
    Ok(Row {
        what: "`sitrep extract` (read, clean, extract, JSON to /dev/null)",
        command: format!(
            "{} extract -q -j{threads} {} > /dev/null",
            shown(binary, root),
            shown(&input.path, root)
        ),
        input_docs: input.docs,
        input_words: input.words,
        threads,
        best,
        runs: RUNS,
        stored: None,
        db_bytes: None,
    })
}

fn ingest_row(binary: &Path, input: &Input, threads: usize, runs: usize, env: &Env) -> Result<Row> {
    let db = env
        .out
        .join(format!("bench-ingest-{}-j{threads}.db", input.docs));
    let args: Vec<OsString> = vec![
        "ingest".into(),
        "-q".into(),
        format!("-j{threads}").into(),
        input.path.clone().into(),
        "--db".into(),
        db.clone().into(),
    ];
    let mut best: Option<Sample> = None;
    let mut max_rss = None;
    let mut max_anon = None;
    let mut stored = None;
    let mut db_bytes = None;
    for _ in 0..runs {
        remove_db(&db);
        let sample = run_child(binary, &args)?;
        max_rss = max_rss.max(sample.max_rss_kb);
        max_anon = max_anon.max(sample.max_anon_kb);
        let db_str = db.to_str().context("eval-out/'s path is not UTF-8")?;
        let stats = sitrep_store::Store::open(db_str)
            .and_then(|mut s| s.stats())
            .with_context(|| format!("could not read the store {} after ingest", db.display()))?;
        stored = Some(stats.documents);
        db_bytes = Some(
            ["", "-wal"]
                .iter()
                .filter_map(|s| std::fs::metadata(format!("{db_str}{s}")).ok())
                .map(|m| m.len())
                .sum(),
        );
        // A few documents are skipped as not English (extract skips them too); more is a problem.
        if (stats.documents as f64) < input.docs as f64 * 0.99 {
            eprintln!(
                "bench ingest: warning: {} holds {} documents, expected about {}",
                db.display(),
                stats.documents,
                input.docs
            );
        }
        if best.is_none_or(|b| sample.wall < b.wall) {
            best = Some(sample);
        }
    }
    remove_db(&db);
    let mut best = best.unwrap_or_default();
    best.max_rss_kb = max_rss;
    best.max_anon_kb = max_anon;
    Ok(Row {
        what: "`sitrep ingest` (read, clean, extract, store in SQLite)",
        command: format!(
            "{} ingest -q -j{threads} {} --db {}",
            shown(binary, &env.root),
            shown(&input.path, &env.root),
            shown(&db, &env.root)
        ),
        input_docs: input.docs,
        input_words: input.words,
        threads,
        best,
        runs,
        stored,
        db_bytes,
    })
}

fn remove_db(db: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let mut path = db.as_os_str().to_owned();
        path.push(suffix);
        let _ = std::fs::remove_file(path);
    }
}

/// A path relative to the workspace root when it is inside it.
fn shown(path: &Path, root: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string()
}

/// Runs `binary args` with stdout to /dev/null; its wall time, and from its /proc files, read
/// every [`POLL`] while it runs, its CPU time and peak memory.
fn run_child(binary: &Path, args: &[OsString]) -> Result<Sample> {
    let start = Instant::now();
    let mut child = Command::new(binary)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .with_context(|| format!("could not run {}", binary.display()))?;
    let status_path = format!("/proc/{}/status", child.id());
    let stat_path = format!("/proc/{}/stat", child.id());
    let mut sample = Sample::default();
    let status = loop {
        if let Ok(status) = std::fs::read_to_string(&status_path) {
            sample.max_rss_kb = sample.max_rss_kb.max(status_kb(&status, "VmHWM:"));
            sample.max_anon_kb = sample.max_anon_kb.max(status_kb(&status, "RssAnon:"));
        }
        if let Ok(stat) = std::fs::read_to_string(&stat_path) {
            sample.cpu = parse_stat_cpu(&stat).or(sample.cpu);
        }
        if let Some(status) = child.try_wait()? {
            break status;
        }
        std::thread::sleep(POLL);
    };
    sample.wall = start.elapsed().as_secs_f64();
    if !status.success() {
        let mut stderr = String::new();
        if let Some(mut pipe) = child.stderr.take() {
            let _ = std::io::Read::read_to_string(&mut pipe, &mut stderr);
        }
        bail!(
            "{} {} exited with {status}: {}",
            binary.display(),
            args.first()
                .map(|a| a.to_string_lossy())
                .unwrap_or_default(),
            stderr.trim()
        );
    }
    Ok(sample)
}

/// A `kB` field (`VmHWM:`, `RssAnon:`) of a `/proc/<pid>/status` text.
fn status_kb(status: &str, field: &str) -> Option<u64> {
    status
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

/// utime + stime in seconds from a `/proc/<pid>/stat` line (assuming 100 clock ticks a second).
fn parse_stat_cpu(stat: &str) -> Option<f64> {
    // Fields after the command name, which is in parentheses and may hold spaces.
    let rest = &stat[stat.rfind(')')? + 1..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name.
    let utime: f64 = fields.get(11)?.parse().ok()?;
    let stime: f64 = fields.get(12)?.parse().ok()?;
    Some((utime + stime) / 100.0)
}

/// The 1-minute load average, when /proc/loadavg is readable.
fn load_average() -> Option<f64> {
    std::fs::read_to_string("/proc/loadavg")
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

struct Report<'a> {
    small: &'a Input,
    large: &'a Input,
    articles: usize,
    rows: &'a [Row],
    ratio_extract: f64,
    ratio_threads: f64,
    load_before: Option<f64>,
    load_after: Option<f64>,
    root: &'a Path,
}

fn verdict(pass: bool) -> &'static str {
    if pass {
        "**pass**"
    } else {
        "**fail**"
    }
}

/// Kilobytes as whole megabytes (MiB), or a dash.
fn mb(kb: Option<u64>) -> String {
    kb.map_or("–".to_owned(), |kb| format!("{:.0}", kb as f64 / 1024.0))
}

fn load(l: Option<f64>) -> String {
    l.map_or("unknown".to_owned(), |l| format!("{l:.2}"))
}

/// The BENCHMARKS.md section.
fn section(r: &Report) -> String {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut body = format!(
        "## Ingest pipeline throughput\n\n\
         Measured {} on {cores} cores with `{COMMAND}` (1-minute load average {} before, {} after: \
         other work may have shared the machine). Input: documents generated into eval-out/ from the \
         {} articles of `../shared/{CORPUS}`, each text prefixed with a dateline sentence of its own \
         (`April 1 (Wire 1234) —`) so that every content hash differs and ingest stores all of them: \
         `{}` ({} documents, {} words, {:.1} MB) and `{}` ({} documents, {} words, {:.1} MB). \
         Words are whitespace-separated words of the input `text` fields. Each ingest writes a fresh \
         SQLite database. Throughput is the fastest of the timed runs (extract: after one untimed \
         warm-up run). CPU time and memory are read from the child's `/proc/<pid>/stat` and \
         `/proc/<pid>/status` every 10 ms while it runs: peak RSS is VmHWM (what `/usr/bin/time -v` \
         reports as maximum resident set size), which counts the pages of the SQLite database that \
         the store maps into memory (`PRAGMA mmap_size`); peak anonymous RSS is the largest RssAnon \
         sampled, the process's own memory; both are the largest over the runs. \
         Words per CPU-second divides by user + system time of the whole process (all its threads). \
         Stored: documents in the store after the run (documents not in English are skipped, as \
         `extract` skips them).\n\n\
         | work | documents | threads | runs | documents/s | words/s | words per CPU-second | peak RSS MB | peak anonymous RSS MB | stored | store MB |\n\
         |---|---|---|---|---|---|---|---|---|---|---|\n",
        crate::bench::today(),
        load(r.load_before),
        load(r.load_after),
        r.articles,
        shown(&r.small.path, r.root),
        r.small.docs,
        r.small.words,
        r.small.bytes as f64 / 1e6,
        shown(&r.large.path, r.root),
        r.large.docs,
        r.large.words,
        r.large.bytes as f64 / 1e6,
    );
    for row in r.rows {
        body.push_str(&format!(
            "| {} | {} | {} | {} | {:.0} | {:.0} | {} | {} | {} | {} | {} |\n",
            row.what,
            row.input_docs,
            row.threads,
            row.runs,
            row.docs_per_s(),
            row.words_per_s(),
            row.words_per_cpu_s()
                .map_or("–".to_owned(), |w| format!("{w:.0}")),
            mb(row.best.max_rss_kb),
            mb(row.best.max_anon_kb),
            row.stored.map_or("–".to_owned(), |s| s.to_string()),
            row.db_bytes
                .map_or("–".to_owned(), |b| format!("{:.1}", b as f64 / 1e6)),
        ));
    }
    body.push_str(&format!(
        "\n| acceptance (issue 9) | figure | threshold | result |\n|---|---|---|---|\n\
         | ingest / extract words/s, 1 thread, {} documents | {:.0}% | ≥ 70% | {} |\n\
         | ingest 2 threads / 1 thread, {} documents | {:.2}× | ≥ 1.5× | {} |\n",
        r.small.docs,
        r.ratio_extract * 100.0,
        verdict(r.ratio_extract >= 0.70),
        r.small.docs,
        r.ratio_threads,
        verdict(r.ratio_threads >= 1.5),
    ));
    let (small, large) = (&r.rows[3].best, &r.rows[4].best);
    for (what, small, large) in [
        ("peak RSS", small.max_rss_kb, large.max_rss_kb),
        ("peak anonymous RSS", small.max_anon_kb, large.max_anon_kb),
    ] {
        let label = format!(
            "ingest {what}, {} / {} documents (2 threads)",
            r.large.docs, r.small.docs
        );
        match (small, large) {
            (Some(small), Some(large)) if small > 0 => {
                let ratio = large as f64 / small as f64;
                body.push_str(&format!(
                    "| {label} | {} / {} MB = {ratio:.2} | 0.80–1.20 | {} |\n",
                    mb(Some(large)),
                    mb(Some(small)),
                    verdict((0.8..=1.2).contains(&ratio)),
                ));
            }
            _ => body.push_str(&format!("| {label} | not measured | 0.80–1.20 | – |\n")),
        }
    }
    // Controls, not criteria: the ratio at the larger input, what a second core gives bare
    // extract on this machine now (other work shares it), and the ingest/extract ratio in CPU
    // time, which load disturbs less.
    let rows = r.rows;
    body.push_str(&format!(
        "| control: ingest / extract words/s, 1 thread, {} documents | {:.0}% | – | – |\n",
        r.large.docs,
        rows[6].words_per_s() / rows[5].words_per_s() * 100.0,
    ));
    body.push_str(&format!(
        "| control: extract 2 threads / 1 thread, {} documents | {:.2}× | – | – |\n",
        r.small.docs,
        rows[2].words_per_s() / rows[0].words_per_s(),
    ));
    if let (Some(ingest), Some(extract)) = (rows[1].words_per_cpu_s(), rows[0].words_per_cpu_s()) {
        body.push_str(&format!(
            "| control: ingest / extract words per CPU-second, 1 thread | {:.0}% | – | – |\n",
            ingest / extract * 100.0
        ));
    }
    body.push_str("\nCommands (binary built by `cargo build --release -p sitrep`):\n\n```sh\n");
    let mut seen = Vec::new();
    for row in r.rows {
        if !seen.contains(&&row.command) {
            body.push_str(&row.command);
            body.push('\n');
            seen.push(&row.command);
        }
    }
    body.push_str("```\n");
    body
}

/// `bench writer`: the store's writer alone, as ingest's writer thread runs it
/// (`Store::write_prepared`, 256 documents per transaction, no memory map, a 32 MB page cache),
/// over the benchmark's documents extracted beforehand; its time per document by quarter of the
/// input shows how it grows with the store. Where ingest's time goes (BENCHMARKS.md).
pub(crate) fn writer(env: &Env) -> Result<()> {
    let corpus = env.shared.join(CORPUS);
    if !corpus.exists() {
        println!("bench writer: skipped: {} not found", corpus.display());
        return Ok(());
    }
    let binary = build_sitrep(&env.root)?;
    let articles = read_articles(&corpus)?;
    for size in [SMALL, LARGE] {
        let input = write_variants(
            &articles,
            size,
            &env.out.join(format!("bench-ingest-{size}.jsonl")),
        )?;
        let extracted = env.out.join(format!("bench-writer-{size}.jsonl"));
        let out = std::fs::File::create(&extracted)
            .with_context(|| format!("creating {}", extracted.display()))?;
        let status = Command::new(&binary)
            .arg("extract")
            .arg("-q")
            .arg(&input.path)
            .stdout(out)
            .status()
            .context("could not run sitrep extract")?;
        if !status.success() {
            bail!("sitrep extract {} failed", input.path.display());
        }
        let text = std::fs::read_to_string(&extracted)
            .with_context(|| format!("reading {}", extracted.display()))?;
        let mut prepared = Vec::new();
        for line in text.lines() {
            let doc = sitrep_doc::json::from_json(line).with_context(|| {
                format!(
                    "{} holds a line that is not a document",
                    extracted.display()
                )
            })?;
            prepared.push(sitrep_store::Prepared::new(doc));
        }
        drop(text);
        let db = env.out.join(format!("bench-writer-{size}.db"));
        remove_db(&db);
        let db_str = db.to_str().context("eval-out/'s path is not UTF-8")?;
        let mut store = sitrep_store::Store::open(db_str)?;
        store.set_memory_map(false)?;
        store.set_cache_mb(32)?;
        let versions = sitrep_store::Versions::new("bench", "bench");
        let quarter = prepared.len().div_ceil(4).max(1);
        let start = Instant::now();
        let mut last = start;
        let mut quarters = Vec::new();
        let mut done = 0;
        for chunk in prepared.chunks(256) {
            store.write_prepared(chunk, &versions, None, false)?;
            let before = done;
            done += chunk.len();
            if done / quarter > before / quarter || done == prepared.len() {
                let n = done - quarters.iter().map(|q: &(usize, f64)| q.0).sum::<usize>();
                quarters.push((n, last.elapsed().as_secs_f64()));
                last = Instant::now();
            }
        }
        let secs = start.elapsed().as_secs_f64();
        let by_quarter: Vec<String> = quarters
            .iter()
            .map(|(n, s)| format!("{:.2}", s * 1000.0 / *n as f64))
            .collect();
        println!(
            "bench writer: {} documents in {secs:.2} s: {:.3} ms per document ({:.0} documents/s); \
             ms per document by quarter: {}; store {:.1} MB",
            prepared.len(),
            secs * 1000.0 / prepared.len().max(1) as f64,
            prepared.len() as f64 / secs.max(1e-9),
            by_quarter.join(", "),
            ["", "-wal"]
                .iter()
                .filter_map(|s| std::fs::metadata(format!("{db_str}{s}")).ok())
                .map(|m| m.len())
                .sum::<u64>() as f64
                / 1e6,
        );
        drop(store);
        remove_db(&db);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(id: &str, text: &str, published: Option<&str>) -> serde_json::Map<String, Value> {
        let mut map = serde_json::Map::new();
        map.insert("id".into(), Value::String(id.into()));
        map.insert("text".into(), Value::String(text.into()));
        if let Some(p) = published {
            map.insert("published".into(), Value::String(p.into()));
        }
        map
    }

    #[test]
    fn dateline_uses_the_publication_date() {
        assert_eq!(dateline(Some("1997-04-01"), 234), "April 1 (Wire 1234) —");
        assert_eq!(
            dateline(Some("2017-12-12T08:00:00Z"), 0),
            "December 12 (Wire 1000) —"
        );
        assert_eq!(dateline(None, 5), "(Wire 1005) —");
        assert_eq!(dateline(Some("soon"), 5), "(Wire 1005) —");
    }

    #[test]
    fn variants_of_one_article_differ() {
        let original = article(
            "a1",
            "Talks resumed in Geneva on Monday.",
            Some("1997-04-01"),
        );
        let mut first = original.clone();
        let mut second = original.clone();
        let one = variant(&mut first, 0);
        let two = variant(&mut second, 2377);
        assert_ne!(one, two);
        assert_eq!(
            one,
            "April 1 (Wire 1000) — Talks resumed in Geneva on Monday."
        );
        assert!(two.ends_with("Talks resumed in Geneva on Monday."));
        assert_eq!(first["id"], "a1-v0");
        assert_eq!(second["id"], "a1-v2377");
        assert_eq!(first["published"], "1997-04-01");
    }

    #[test]
    fn parses_proc_files() {
        assert_eq!(
            status_kb(
                "Name:\tsitrep\nVmHWM:\t  81234 kB\nRssAnon:\t   5120 kB\n",
                "VmHWM:"
            ),
            Some(81234)
        );
        assert_eq!(
            status_kb("VmHWM:\t  81234 kB\nRssAnon:\t   5120 kB\n", "RssAnon:"),
            Some(5120)
        );
        assert_eq!(status_kb("Name:\tsitrep\n", "VmHWM:"), None);
        let stat = "4242 (sitrep (x)) R 1 2 3 4 5 6 7 8 9 10 150 50 0 0 20 0 3";
        assert_eq!(parse_stat_cpu(stat), Some(2.0));
        assert_eq!(parse_stat_cpu("garbage"), None);
    }
}
