//! Lemma accuracy against the lemma column of GUM (gold UPOS tags), and lemmatizer speed.
//!
//! Reads `$SITREP_SHARED/eval/ner/gum/dep/*.conllu` (default `../shared` beside the workspace)
//! and skips when it is absent. Development genres (everything but news) and the held-out news
//! genre are reported separately; errors are listed for development genres only.
//!
//! ```text
//! cargo test --release -p sitrep_extract --test lemma_gum -- --ignored --nocapture
//! ```

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Instant;

use sitrep_doc::Pos;
use sitrep_extract::lemma::Lemmatizer;

struct Row {
    form: String,
    pos: Pos,
    gold: String,
    /// The first non-punctuation token of its sentence.
    first: bool,
}

fn gum_dir() -> Option<PathBuf> {
    let shared = std::env::var_os("SITREP_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared"));
    let dir = shared.join("eval/ner/gum/dep");
    dir.is_dir().then_some(dir)
}

/// (development rows, news rows)
fn read_gum(dir: &PathBuf) -> (Vec<Row>, Vec<Row>) {
    let mut dev = Vec::new();
    let mut news = Vec::new();
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("read the GUM folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "conllu"))
        .collect();
    paths.sort();
    for path in paths {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(&path).expect("read a GUM file");
        let target = if name.starts_with("GUM_news_") {
            &mut news
        } else {
            &mut dev
        };
        let mut at_start = false;
        for line in text.lines() {
            let cols: Vec<&str> = line.split('\t').collect();
            if cols.len() != 10 || !cols[0].bytes().all(|b| b.is_ascii_digit()) {
                continue;
            }
            let (Some(pos), gold) = (Pos::from_ud(cols[3]), cols[2]) else {
                continue;
            };
            if cols[0] == "1" {
                at_start = true;
            }
            let first = pos != Pos::Punct && std::mem::take(&mut at_start);
            if gold == "_" {
                continue;
            }
            target.push(Row {
                form: cols[1].to_string(),
                pos,
                gold: gold.to_string(),
                first,
            });
        }
    }
    (dev, news)
}

/// `in_context`: tell the lemmatizer which words start a sentence (as the pipeline stage does);
/// otherwise call the context-free `lemma` (as the tagger's evaluation does).
fn accuracy(
    lemmatizer: &Lemmatizer,
    rows: &[Row],
    in_context: bool,
) -> (f64, HashMap<Pos, (usize, usize)>) {
    let mut by_pos: HashMap<Pos, (usize, usize)> = HashMap::new();
    let mut right = 0;
    for row in rows {
        let lemma = if in_context {
            lemmatizer.lemma_at(&row.form, row.pos, row.first)
        } else {
            lemmatizer.lemma(&row.form, row.pos)
        };
        let ok = lemma == row.gold;
        right += usize::from(ok);
        let e = by_pos.entry(row.pos).or_default();
        e.0 += usize::from(ok);
        e.1 += 1;
    }
    (right as f64 / rows.len().max(1) as f64, by_pos)
}

#[test]
#[ignore = "needs ../shared/eval (GUM); run with --ignored --nocapture"]
fn lemma_accuracy_and_speed_on_gum() {
    let start = Instant::now();
    let lemmatizer = Lemmatizer::new();
    let _ = lemmatizer.lemma("warm", Pos::Verb);
    let load = start.elapsed();
    let Some(dir) = gum_dir() else {
        eprintln!("skipped: no GUM under $SITREP_SHARED or ../shared");
        return;
    };
    let (dev, news) = read_gum(&dir);
    println!("table load: {:.1} ms", load.as_secs_f64() * 1e3);

    for (name, rows) in [
        ("development (all genres but news)", &dev),
        ("news (held out)", &news),
    ] {
        let (plain, _) = accuracy(&lemmatizer, rows, false);
        let (acc, by_pos) = accuracy(&lemmatizer, rows, true);
        println!(
            "{name}: {} tokens, lemma accuracy (gold UPOS) {acc:.4} with sentence starts, {plain:.4} with `lemma` alone",
            rows.len()
        );
        let mut tags: Vec<_> = by_pos.into_iter().collect();
        tags.sort_by_key(|(p, _)| p.as_str());
        let line: Vec<String> = tags
            .iter()
            .map(|(p, (r, n))| format!("{p} {:.3}/{n}", *r as f64 / *n as f64))
            .collect();
        println!("  {}", line.join("  "));
    }

    if std::env::var_os("LEMMA_ERRORS").is_some() {
        let mut errors: HashMap<(String, &str, String, String), usize> = HashMap::new();
        for row in &dev {
            let got = lemmatizer.lemma_at(&row.form, row.pos, row.first);
            if got != row.gold {
                *errors
                    .entry((
                        row.form.clone(),
                        row.pos.as_str(),
                        got.into_owned(),
                        row.gold.clone(),
                    ))
                    .or_default() += 1;
            }
        }
        let mut errors: Vec<_> = errors.into_iter().collect();
        errors.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        for ((form, pos, got, gold), n) in errors.iter().take(150) {
            println!("  {n:4} {pos:5} {form:15} got {got:15} gold {gold}");
        }
    }

    // Speed: every development token, several rounds.
    let rounds = 20;
    let start = Instant::now();
    let mut bytes = 0usize;
    for _ in 0..rounds {
        for row in &dev {
            bytes +=
                std::hint::black_box(lemmatizer.lemma(std::hint::black_box(&row.form), row.pos))
                    .len();
        }
    }
    let secs = start.elapsed().as_secs_f64();
    let tokens = (rounds * dev.len()) as f64;
    println!(
        "speed: {:.1} M tokens/s ({} lemma bytes)",
        tokens / secs / 1e6,
        bytes
    );
}
