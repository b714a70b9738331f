//! Event coding on sitrep's own held-out set (eval/events-heldout/sentences.tsv): 200 news-style
//! sentences written for sitrep, with gold CAMEO events (`SOURCE>TARGET:CODE`), split into 50 `dev`
//! and 150 `test` sentences. The set is in the repository (compiled in), so this evaluation does not
//! need ../shared.
//!
//! Each sentence is one document (published on its row's date) run through
//! `Pipeline::standard()`; the events it codes (neither negated nor hypothetical) are matched
//! one-to-one with the sentence's gold events, greedily by a pair score. Reported per split:
//! event-level precision, recall and F1 at root level, at full code, and at root level with both
//! actors right (exact and country prefix), each with and without 010 ("make statement") events on
//! both sides; source and target accuracy over root-matched pairs; the negation and hypothetical
//! checks (no event of the excluded kind coded); sentences with no gold event left empty; a
//! per-root table and a confusion table of roots.
//!
//! Do not tune the coder against this set: `dev` may be read sentence by sentence
//! (`events_heldout::dev`), `test` is reported only in aggregate.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use sitrep_doc::{Doc, Meta};
use sitrep_extract::event::EventCoder;
use sitrep_extract::{builtin_knowledge_base, Pipeline, Stage};

const COMMAND: &str = "cargo run --release -p xtask -- eval events-heldout";

/// The set, compiled in so that the evaluation runs from any directory and without ../shared.
const SET: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../eval/events-heldout/sentences.tsv"
));

/// The twenty CAMEO roots.
const ROOTS: [&str; 20] = [
    "01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12", "13", "14", "15", "16",
    "17", "18", "19", "20",
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Split {
    Dev,
    Test,
}

impl Split {
    fn name(self) -> &'static str {
        match self {
            Split::Dev => "dev",
            Split::Test => "test",
        }
    }
}

/// One coded event: source and target actor codes (None: missing) and the CAMEO code.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Ev {
    source: Option<String>,
    target: Option<String>,
    code: String,
}

impl Ev {
    fn root(&self) -> &str {
        self.code.get(..2).unwrap_or(&self.code)
    }

    fn is_statement(&self) -> bool {
        self.code == "010" || self.code == "01"
    }

    fn show(&self) -> String {
        format!(
            "{}>{}:{}",
            self.source.as_deref().unwrap_or("-"),
            self.target.as_deref().unwrap_or("-"),
            self.code
        )
    }
}

/// One row of the set.
#[derive(Clone, Debug)]
struct Item {
    id: String,
    published: String,
    sentence: String,
    gold: Vec<Ev>,
    split: Split,
    /// Code prefixes that must not be coded (the negated or hypothetical act).
    absent: Vec<String>,
}

fn parse_code(code: &str, what: &str) -> Result<String> {
    if !(2..=4).contains(&code.len()) || !code.bytes().all(|b| b.is_ascii_digit()) {
        bail!("{what}: {code:?} is not a CAMEO code; write 2 to 4 digits such as 190 or 0874");
    }
    let root: u32 = code[..2].parse()?;
    if !(1..=20).contains(&root) {
        bail!("{what}: {code:?} has no CAMEO root (01 to 20); check the code");
    }
    Ok(code.to_owned())
}

fn parse_actor(actor: &str, what: &str) -> Result<Option<String>> {
    if actor == "-" {
        return Ok(None);
    }
    if actor.len() < 3
        || !actor
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
    {
        bail!("{what}: actor {actor:?} is not a CAMEO actor code; write upper-case letters such as RUSMIL, or - when missing");
    }
    Ok(Some(actor.to_owned()))
}

/// `SOURCE>TARGET:CODE`.
fn parse_event(text: &str, what: &str) -> Result<Ev> {
    let (actors, code) = text
        .split_once(':')
        .with_context(|| format!("{what}: {text:?} has no ':'; write SOURCE>TARGET:CODE"))?;
    let (source, target) = actors
        .split_once('>')
        .with_context(|| format!("{what}: {text:?} has no '>'; write SOURCE>TARGET:CODE"))?;
    Ok(Ev {
        source: parse_actor(source.trim(), what)?,
        target: parse_actor(target.trim(), what)?,
        code: parse_code(code.trim(), what)?,
    })
}

/// Reads sentences.tsv: `id published sentence gold split absent`, `#` comment lines.
fn parse_set(text: &str) -> Result<Vec<Item>> {
    let mut items = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let what = format!("sentences.tsv line {}", n + 1);
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() != 6 {
            bail!(
                "{what}: {} columns, expected 6 (id, published, sentence, gold, split, absent); check the tabs",
                cols.len()
            );
        }
        let published = cols[1].trim();
        if published.parse::<jiff::civil::Date>().is_err() {
            bail!("{what}: published {published:?} is not a date; write YYYY-MM-DD");
        }
        let gold = cols[3]
            .split(';')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| parse_event(s, &what))
            .collect::<Result<Vec<_>>>()?;
        let split = match cols[4].trim() {
            "dev" => Split::Dev,
            "test" => Split::Test,
            other => bail!("{what}: split {other:?} is neither dev nor test"),
        };
        let absent = cols[5]
            .split(';')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| parse_code(s, &what))
            .collect::<Result<Vec<_>>>()?;
        items.push(Item {
            id: cols[0].trim().to_owned(),
            published: published.to_owned(),
            sentence: cols[2].trim().to_owned(),
            gold,
            split,
            absent,
        });
    }
    Ok(items)
}

/// The events sitrep codes for each item (negated and hypothetical ones left out).
fn code_items(items: &[Item]) -> Vec<Vec<Ev>> {
    let pipeline = Pipeline::standard();
    let has_events = pipeline.stage_names().contains(&"event");
    let coder = EventCoder::new(builtin_knowledge_base());
    items
        .iter()
        .map(|item| {
            let meta = Meta {
                id: Some(item.id.clone()),
                published: item.published.parse().ok(),
                ..Meta::default()
            };
            let mut doc = Doc::new(item.sentence.as_str(), meta);
            pipeline.run(&mut doc);
            if !has_events {
                coder.process(&mut doc);
            }
            doc.events()
                .iter()
                .filter(|e| !e.negated && !e.hypothetical)
                .map(|e| Ev {
                    source: e.source.as_ref().and_then(|a| a.actor.clone()),
                    target: e.target.as_ref().and_then(|a| a.actor.clone()),
                    code: e.code.clone(),
                })
                .collect()
        })
        .collect()
}

/// The lenient form of an actor code: its country (first 3 letters), or for the codes that have no
/// country (IGO…, NGO…, IMG…) the organization's first 6 letters.
fn prefix(code: &str) -> &str {
    let n = if ["IGO", "NGO", "IMG"].iter().any(|p| code.starts_with(p)) {
        6
    } else {
        3
    };
    code.get(..n).unwrap_or(code)
}

fn same(gold: Option<&str>, sys: Option<&str>) -> bool {
    matches!((gold, sys), (Some(g), Some(s)) if g == s)
}

fn same_prefix(gold: Option<&str>, sys: Option<&str>) -> bool {
    matches!((gold, sys), (Some(g), Some(s)) if prefix(g) == prefix(s))
}

/// How well a system event fits a gold event; higher first.
fn pair_score(g: &Ev, s: &Ev) -> u32 {
    let (gs, gt) = (g.source.as_deref(), g.target.as_deref());
    let (ss, st) = (s.source.as_deref(), s.target.as_deref());
    u32::from(g.root() == s.root()) * 64
        + u32::from(g.code == s.code) * 16
        + u32::from(same(gs, ss)) * 4
        + u32::from(same(gt, st)) * 4
        + u32::from(same_prefix(gs, ss))
        + u32::from(same_prefix(gt, st))
}

/// One-to-one pairs (gold index, system index) among those `ok` allows, greedily by
/// [`pair_score`] (ties: earlier gold, then earlier system event).
fn match_events(gold: &[Ev], sys: &[Ev], ok: impl Fn(&Ev, &Ev) -> bool) -> Vec<(usize, usize)> {
    let mut cands: Vec<(u32, usize, usize)> = Vec::new();
    for (i, g) in gold.iter().enumerate() {
        for (j, s) in sys.iter().enumerate() {
            if ok(g, s) {
                cands.push((pair_score(g, s), i, j));
            }
        }
    }
    cands.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let (mut gu, mut su) = (vec![false; gold.len()], vec![false; sys.len()]);
    let mut pairs = Vec::new();
    for (_, i, j) in cands {
        if !gu[i] && !su[j] {
            gu[i] = true;
            su[j] = true;
            pairs.push((i, j));
        }
    }
    pairs.sort_unstable();
    pairs
}

/// True positives, gold and system counts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Prf {
    tp: usize,
    gold: usize,
    sys: usize,
}

impl Prf {
    fn add(&mut self, tp: usize, gold: usize, sys: usize) {
        self.tp += tp;
        self.gold += gold;
        self.sys += sys;
    }

    fn p(&self) -> f64 {
        ratio(self.tp, self.sys)
    }

    fn r(&self) -> f64 {
        ratio(self.tp, self.gold)
    }

    fn f(&self) -> f64 {
        let (p, r) = (self.p(), self.r());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// A right / total count.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Acc {
    right: usize,
    total: usize,
}

impl Acc {
    fn add(&mut self, right: bool) {
        self.total += 1;
        self.right += usize::from(right);
    }

    fn show(&self) -> String {
        if self.total == 0 {
            "–".to_owned()
        } else {
            format!(
                "{:.3} ({}/{})",
                ratio(self.right, self.total),
                self.right,
                self.total
            )
        }
    }
}

/// The matching levels, in report order.
const LEVELS: [&str; 4] = [
    "root",
    "full code",
    "root + source + target (country prefix)",
    "root + source + target (exact)",
];

fn level_ok(level: usize, g: &Ev, s: &Ev) -> bool {
    let (gs, gt) = (g.source.as_deref(), g.target.as_deref());
    let (ss, st) = (s.source.as_deref(), s.target.as_deref());
    // A missing gold actor ("-") asks nothing of the system's.
    let lenient = |g: Option<&str>, s: Option<&str>| g.is_none() || same_prefix(g, s);
    let exact = |g: Option<&str>, s: Option<&str>| g.is_none() || same(g, s);
    match level {
        0 => g.root() == s.root(),
        1 => g.code == s.code,
        2 => g.root() == s.root() && lenient(gs, ss) && lenient(gt, st),
        _ => g.root() == s.root() && exact(gs, ss) && exact(gt, st),
    }
}

/// The scores of one split.
#[derive(Debug, Default)]
struct Scores {
    sentences: usize,
    /// [level][0: with 010, 1: without 010]
    events: [[Prf; 2]; 4],
    source: Acc,
    source_prefix: Acc,
    target: Acc,
    target_prefix: Acc,
    /// Sentences with an `absent` list; right when no event of those kinds was coded.
    absent: Acc,
    /// Sentences with no gold event (without 010); right when no event (without 010) was coded.
    empty: Acc,
    /// root → (gold, system, root-matched), with 010.
    per_root: BTreeMap<String, Prf>,
    /// gold root (or "(none)") → system root (or "(none)") → count, with 010.
    confusion: BTreeMap<String, BTreeMap<String, usize>>,
}

fn score(items: &[Item], coded: &[Vec<Ev>], split: Split) -> Scores {
    let mut sc = Scores::default();
    for (item, sys) in items.iter().zip(coded) {
        if item.split != split {
            continue;
        }
        sc.sentences += 1;
        let gold = &item.gold;
        for (with, keep) in [(0, true), (1, false)] {
            let g: Vec<Ev> = gold
                .iter()
                .filter(|e| keep || !e.is_statement())
                .cloned()
                .collect();
            let s: Vec<Ev> = sys
                .iter()
                .filter(|e| keep || !e.is_statement())
                .cloned()
                .collect();
            for (level, prf) in sc.events.iter_mut().enumerate() {
                let n = match_events(&g, &s, |a, b| level_ok(level, a, b)).len();
                prf[with].add(n, g.len(), s.len());
            }
        }
        for (i, j) in match_events(gold, sys, |a, b| a.root() == b.root()) {
            let (g, s) = (&gold[i], &sys[j]);
            if g.source.is_some() {
                sc.source
                    .add(same(g.source.as_deref(), s.source.as_deref()));
                sc.source_prefix
                    .add(same_prefix(g.source.as_deref(), s.source.as_deref()));
            }
            if g.target.is_some() {
                sc.target
                    .add(same(g.target.as_deref(), s.target.as_deref()));
                sc.target_prefix
                    .add(same_prefix(g.target.as_deref(), s.target.as_deref()));
            }
            sc.per_root.entry(g.root().to_owned()).or_default().tp += 1;
        }
        for g in gold {
            sc.per_root.entry(g.root().to_owned()).or_default().gold += 1;
        }
        for s in sys {
            sc.per_root.entry(s.root().to_owned()).or_default().sys += 1;
        }
        if !item.absent.is_empty() {
            sc.absent.add(
                !sys.iter()
                    .any(|s| item.absent.iter().any(|a| s.code.starts_with(a.as_str()))),
            );
        }
        if gold.iter().all(Ev::is_statement) {
            sc.empty.add(sys.iter().all(Ev::is_statement));
        }
        let pairs = match_events(gold, sys, |_, _| true);
        let none = "(none)".to_owned();
        let mut bump = |g: String, s: String| {
            *sc.confusion.entry(g).or_default().entry(s).or_default() += 1;
        };
        for (i, g) in gold.iter().enumerate() {
            let s = pairs
                .iter()
                .find(|p| p.0 == i)
                .map_or(none.clone(), |p| sys[p.1].root().to_owned());
            bump(g.root().to_owned(), s);
        }
        for (j, s) in sys.iter().enumerate() {
            if !pairs.iter().any(|p| p.1 == j) {
                bump(none.clone(), s.root().to_owned());
            }
        }
    }
    sc
}

fn f3(v: f64) -> String {
    format!("{v:.3}")
}

/// The Markdown tables of one split.
fn tables(sc: &Scores, split: Split) -> String {
    let mut md = String::new();
    let name = split.name();
    let _ = writeln!(
        md,
        "### {name} split ({} sentences)\n\n| match | 010 events | gold | coded | right | precision | recall | F1 |\n|---|---|---|---|---|---|---|---|",
        sc.sentences
    );
    for (level, rows) in LEVELS.iter().zip(&sc.events) {
        for (prf, with) in rows.iter().zip(["with", "without"]) {
            let bold = if *level == "root" && with == "without" {
                "**"
            } else {
                ""
            };
            let _ = writeln!(
                md,
                "| {level} | {with} | {} | {} | {} | {} | {} | {bold}{}{bold} |",
                prf.gold,
                prf.sys,
                prf.tp,
                f3(prf.p()),
                f3(prf.r()),
                f3(prf.f())
            );
        }
    }
    let _ = writeln!(
        md,
        "\n| over root-matched events (with 010) | exact | country prefix |\n|---|---|---|\n\
         | source accuracy | {} | {} |\n| target accuracy | {} | {} |\n",
        sc.source.show(),
        sc.source_prefix.show(),
        sc.target.show(),
        sc.target_prefix.show()
    );
    let _ = writeln!(
        md,
        "| check | right |\n|---|---|\n\
         | negated or hypothetical act not coded (sentences with an `absent` list) | {} |\n\
         | no event coded where the gold has none (010 left out on both sides) | {} |\n",
        sc.absent.show(),
        sc.empty.show()
    );
    let _ = writeln!(
        md,
        "#### {name}: per root (with 010; right = root-matched)\n\n| root | gold | coded | right | precision | recall | F1 |\n|---|---|---|---|---|---|---|"
    );
    for root in ROOTS {
        let prf = sc.per_root.get(root).copied().unwrap_or_default();
        let _ = writeln!(
            md,
            "| {root} | {} | {} | {} | {} | {} | {} |",
            prf.gold,
            prf.sys,
            prf.tp,
            f3(prf.p()),
            f3(prf.r()),
            f3(prf.f())
        );
    }
    let _ = writeln!(
        md,
        "\n#### {name}: confusion of roots (gold → coded, each gold event paired with at most one coded event of its sentence; (none) = missed or spurious)\n\n| gold | coded |\n|---|---|"
    );
    for (g, row) in &sc.confusion {
        let mut cells: Vec<(&String, &usize)> = row.iter().collect();
        cells.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        let cells: Vec<String> = cells.iter().map(|(r, n)| format!("{r} {n}")).collect();
        let _ = writeln!(md, "| {g} | {} |", cells.join(", "));
    }
    md
}

/// The whole report: test first, then dev.
fn report(items: &[Item], coded: &[Vec<Ev>], seconds: f64) -> String {
    let n_test = items.iter().filter(|i| i.split == Split::Test).count();
    let n_dev = items.len() - n_test;
    let mut md = format!(
        "## Events (held-out set written for sitrep)\n\nCommand: `{COMMAND}`. Gold: eval/events-heldout/sentences.tsv, \
         {} news-style sentences written for sitrep from the CAMEO codebook without running sitrep on them \
         ({n_test} test, {n_dev} dev; guidelines in eval/events-heldout/README.md). Each sentence is one document \
         through `Pipeline::standard()` ({seconds:.2} s for all); coded events that are neither negated nor \
         hypothetical are paired one-to-one with the gold events of their sentence. \"Without 010\" drops \
         make-statement events from both sides. The headline is root-level F1 without 010 on the test split. \
         **Held out: do not tune against this set**; read dev sentence by sentence, test only in aggregate.\n\n",
        items.len()
    );
    for split in [Split::Test, Split::Dev] {
        md.push_str(&tables(&score(items, coded, split), split));
        md.push('\n');
    }
    md
}

/// `eval events-heldout`: scores the set and writes the section `events-heldout` of EVALUATION.md
/// under the workspace `root`. Needs no ../shared, so call it directly, not through `with_shared`.
pub(crate) fn run_at(root: &Path) -> Result<()> {
    let items = parse_set(SET)?;
    let started = Instant::now();
    let coded = code_items(&items);
    let seconds = started.elapsed().as_secs_f64();
    let body = report(&items, &coded, seconds);
    println!("{body}");
    crate::write_section(root, "events-heldout", &body)
}

/// `eval events-heldout --dev`: the dev split's tables and its sentence-by-sentence differences
/// (never the test split's).
pub(crate) fn dev() -> Result<()> {
    let items: Vec<Item> = parse_set(SET)?
        .into_iter()
        .filter(|i| i.split == Split::Dev)
        .collect();
    let coded = code_items(&items);
    println!("{}", tables(&score(&items, &coded, Split::Dev), Split::Dev));
    for (item, sys) in items.iter().zip(&coded) {
        let pairs = match_events(&item.gold, sys, |a, b| level_ok(3, a, b));
        if pairs.len() == item.gold.len() && pairs.len() == sys.len() {
            continue;
        }
        let show = |evs: &[Ev]| {
            let v: Vec<String> = evs.iter().map(Ev::show).collect();
            if v.is_empty() {
                "(none)".to_owned()
            } else {
                v.join("; ")
            }
        };
        println!(
            "{} {}\n  {}\n  gold:  {}\n  coded: {}",
            item.id,
            item.published,
            item.sentence,
            show(&item.gold),
            show(sys)
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(s: &str) -> Ev {
        parse_event(s, "test").unwrap()
    }

    #[test]
    fn events_parse_with_missing_actors() {
        assert_eq!(
            ev("RUSMIL>-:190"),
            Ev {
                source: Some("RUSMIL".into()),
                target: None,
                code: "190".into()
            }
        );
        assert!(parse_event("RUSMIL>SYR", "t").is_err());
        assert!(parse_event("RUSMIL>SYR:21", "t").is_err());
        assert!(parse_event("rus>SYR:190", "t").is_err());
    }

    #[test]
    fn the_set_is_well_formed() {
        let items = parse_set(SET).unwrap();
        assert_eq!(items.len(), 200);
        assert_eq!(items.iter().filter(|i| i.split == Split::Dev).count(), 50);
        let mut ids: Vec<&str> = items.iter().map(|i| i.id.as_str()).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), 200, "ids must be unique");
        for root in ROOTS {
            for split in [Split::Dev, Split::Test] {
                let n = items
                    .iter()
                    .filter(|i| i.split == split)
                    .flat_map(|i| &i.gold)
                    .filter(|e| e.root() == root)
                    .count();
                assert!(
                    n >= 1 || split == Split::Dev,
                    "root {root} has no gold event in {split:?}"
                );
            }
        }
        assert!(items.iter().all(|i| !i.sentence.is_empty()));
    }

    #[test]
    fn matching_is_one_to_one_and_prefers_the_better_pair() {
        let gold = vec![ev("RUSMIL>UKR:190"), ev("UKRGOV>RUS:111")];
        let sys = vec![
            ev("UKRGOV>RUSMIL:112"),
            ev("RUS>UKR:195"),
            ev("RUSMIL>UKR:193"),
        ];
        let pairs = match_events(&gold, &sys, |a, b| a.root() == b.root());
        assert_eq!(pairs, vec![(0, 2), (1, 0)]);
        let exact = match_events(&gold, &sys, |a, b| level_ok(3, a, b));
        assert_eq!(exact, vec![(0, 2)]);
        let full = match_events(&gold, &sys, |a, b| level_ok(1, a, b));
        assert!(full.is_empty());
    }

    #[test]
    fn prefixes_keep_organizations_apart() {
        assert_eq!(prefix("RUSMIL"), "RUS");
        assert_eq!(prefix("IGOUNOHCR"), "IGOUNO");
        assert!(!same_prefix(Some("IGOUNO"), Some("IGOWSTNAT")));
        assert!(same_prefix(Some("ISRMIL"), Some("ISR")));
        assert!(!same_prefix(None, Some("ISR")));
    }

    #[test]
    fn scores_count_statements_absent_kinds_and_empty_sentences() {
        let text = "# test\n\
            a\t2024-01-02\tx\tRUSMIL>UKR:190\ttest\t\n\
            b\t2024-01-02\ty\t\ttest\t19\n\
            c\t2024-01-02\tz\tUSAGOV>IRN:010\ttest\t\n";
        let items = parse_set(text).unwrap();
        let coded = vec![
            vec![ev("RUS>UKR:195"), ev("RUSGOV>UKR:010")],
            vec![ev("ISRMIL>LBN:190")],
            vec![],
        ];
        let sc = score(&items, &coded, Split::Test);
        assert_eq!(sc.sentences, 3);
        // root, with 010: gold 2 (190, 010), coded 3, right 1.
        assert_eq!(
            sc.events[0][0],
            Prf {
                tp: 1,
                gold: 2,
                sys: 3
            }
        );
        // root, without 010: gold 1, coded 2, right 1.
        assert_eq!(
            sc.events[0][1],
            Prf {
                tp: 1,
                gold: 1,
                sys: 2
            }
        );
        assert_eq!(sc.events[1][1].tp, 0);
        assert_eq!(sc.events[2][1].tp, 1);
        assert_eq!(sc.events[3][1].tp, 0);
        assert_eq!(sc.source, Acc { right: 0, total: 1 });
        assert_eq!(sc.source_prefix, Acc { right: 1, total: 1 });
        assert_eq!(sc.absent, Acc { right: 0, total: 1 });
        assert_eq!(sc.empty, Acc { right: 1, total: 2 });
        assert_eq!(sc.confusion["19"]["19"], 1);
        assert_eq!(sc.confusion["(none)"]["19"], 1);
        assert_eq!(sc.confusion["01"]["(none)"], 1);
        let md = tables(&sc, Split::Test);
        assert!(md.contains("| root | without | 1 | 2 | 1 | 0.500 | 1.000 | **0.667** |"));
    }

    #[test]
    fn bad_rows_are_named() {
        let err = parse_set("a\t2024-13-45\tx\t\ttest\t\n").unwrap_err();
        assert!(err.to_string().contains("line 1"), "{err}");
        let err = parse_set("a\t2024-01-01\tx\t\tholdout\t\n").unwrap_err();
        assert!(err.to_string().contains("holdout"), "{err}");
    }
}
