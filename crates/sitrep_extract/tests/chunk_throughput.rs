//! Chunker throughput on synthetic tagged text (measurement only; the tags are given, so the
//! tagger and lemmatizer are not measured). Run in release mode:
//!
//! ```text
//! cargo test -p sitrep_extract --release --test chunk_throughput -- --ignored --nocapture
//! ```

use std::time::Instant;

use sitrep_doc::{Doc, Meta, Pos, Sentence, Span, Token};
use sitrep_extract::chunk::Chunker;
use sitrep_extract::Stage;

/// Sentences in the shape of news text, `word/TAG` or `word/TAG/lemma`.
const SENTENCES: &[&str] = &[
    "Russian/ADJ President/PROPN Vladimir/PROPN Putin/PROPN on/ADP Monday/PROPN ordered/VERB/order partial/ADJ withdrawal/NOUN of/ADP his/PRON forces/NOUN/force from/ADP Syria/PROPN ./PUNCT",
    "The/DET town/NOUN was/AUX shelled/VERB/shell by/ADP government/NOUN forces/NOUN/force ,/PUNCT officials/NOUN/official said/VERB/say ./PUNCT",
    "Rebels/NOUN/rebel did/AUX not/PART attack/VERB the/DET base/NOUN and/CCONJ have/AUX since/ADV pulled/VERB/pull out/ADP of/ADP more/ADJ than/ADP 1,000/NUM towns/NOUN/town ./PUNCT",
    "Syria/PROPN 's/PART army/NOUN has/AUX been/AUX fighting/VERB/fight the/DET Islamic/ADJ State/PROPN group/NOUN for/ADP almost/ADV two/NUM years/NOUN/year ./PUNCT",
    "Moscow/PROPN would/AUX deal/VERB with/ADP the/DET terrorists/NOUN/terrorist and/CCONJ is/AUX expected/VERB/expect to/PART call/VERB the/DET talks/NOUN/talk off/ADP ./PUNCT",
    "Did/AUX the/DET suspects/NOUN/suspect get/VERB arrested/VERB/arrest and/CCONJ charged/VERB/charge ?/PUNCT",
    "\"/PUNCT We/PRON will/AUX no/DET longer/ADV tolerate/VERB attacks/NOUN/attack on/ADP our/PRON people/NOUN ,/PUNCT \"/PUNCT he/PRON told/VERB/tell reporters/NOUN/reporter in/ADP Damascus/PROPN ./PUNCT",
];

/// One document of about `tokens` tokens, one sentence per template, repeated.
fn document(tokens: usize) -> Doc {
    let mut text = String::new();
    let mut toks = Vec::new();
    let mut sentences = Vec::new();
    for sentence in SENTENCES.iter().cycle() {
        if toks.len() >= tokens {
            break;
        }
        if !text.is_empty() {
            text.push(' ');
        }
        let start = text.len();
        for (n, item) in sentence.split(' ').enumerate() {
            if n > 0 {
                text.push(' ');
            }
            let mut parts = item.split('/');
            let word = parts.next().unwrap_or("");
            let pos = parts.next().and_then(Pos::from_ud);
            let lemma = parts
                .next()
                .map_or_else(|| word.to_lowercase(), str::to_owned);
            let s = text.len();
            text.push_str(word);
            toks.push(Token {
                span: Span::new(s, text.len()),
                pos,
                lemma: Some(lemma.into()),
            });
        }
        sentences.push(Sentence {
            span: Span::new(start, text.len()),
        });
    }
    let mut doc = Doc::new(text, Meta::default());
    doc.set_sentences(sentences);
    doc.set_tokens(toks);
    doc
}

#[test]
#[ignore = "measurement: run in release mode with --ignored --nocapture"]
fn chunk_throughput() {
    let mut docs: Vec<Doc> = (0..2_000).map(|_| document(600)).collect();
    let tokens: usize = docs.iter().map(|d| d.tokens().len()).sum();
    let chunker = Chunker::new();
    chunker.process(&mut docs[0]); // builds the lexicon outside the clock
    let mut best = f64::INFINITY;
    for _ in 0..5 {
        let start = Instant::now();
        for doc in &mut docs {
            chunker.process(doc);
        }
        best = best.min(start.elapsed().as_secs_f64());
    }
    let (nps, vgs) = docs.iter().fold((0, 0), |(n, v), d| {
        (n + d.noun_phrases().len(), v + d.verb_groups().len())
    });
    println!(
        "{} docs, {tokens} tokens → {nps} noun phrases, {vgs} verb groups",
        docs.len()
    );
    println!(
        "Chunker::process (Stage), best of 5: {best:.4} s = {:.1} M tokens/s on one core",
        tokens as f64 / 1e6 / best
    );
}

/// The chunker alone on the newswire corpus in ../shared, tagged and lemmatized by the standard
/// pipeline outside the clock (skipped when the corpus is absent). Set SITREP_CORPUS to measure
/// another JSONL file with a "text" field, and SITREP_DUMP to a file name to write the first
/// 200 sentences with their chunks there, for review.
#[test]
#[ignore = "measurement: run in release mode with --ignored --nocapture"]
fn chunk_throughput_corpus() {
    use sitrep_extract::Pipeline;
    let path = std::env::var_os("SITREP_CORPUS").map_or_else(
        || {
            std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("../../../shared/corpus/te3_silver_gigaword.jsonl")
        },
        std::path::PathBuf::from,
    );
    let Ok(data) = std::fs::read_to_string(&path) else {
        eprintln!("skipped: cannot read {}", path.display());
        return;
    };
    let pipeline = Pipeline::standard();
    let mut docs: Vec<Doc> = data
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter_map(|v| v.get("text")?.as_str().map(str::to_owned))
        .map(|text| {
            let mut doc = Doc::new(text, Meta::default());
            pipeline.run_while(&mut doc, |stage, _| stage != "lemma");
            doc
        })
        .collect();
    let tokens: usize = docs.iter().map(|d| d.tokens().len()).sum();
    let tagged = docs
        .iter()
        .flat_map(|d| d.tokens())
        .filter(|t| t.pos.is_some())
        .count();
    let chunker = Chunker::new();
    let mut best = f64::INFINITY;
    for _ in 0..5 {
        let start = Instant::now();
        for doc in &mut docs {
            chunker.process(doc);
        }
        best = best.min(start.elapsed().as_secs_f64());
    }
    let (nps, vgs) = docs.iter().fold((0, 0), |(n, v), d| {
        (n + d.noun_phrases().len(), v + d.verb_groups().len())
    });
    println!(
        "{}: {} docs, {tokens} tokens ({tagged} tagged) → {nps} noun phrases, {vgs} verb groups",
        path.display(),
        docs.len()
    );
    println!(
        "Chunker::process (Stage), best of 5: {best:.4} s = {:.1} M tokens/s on one core",
        tokens as f64 / 1e6 / best
    );
    if let Some(dump) = std::env::var_os("SITREP_DUMP") {
        let mut out = String::new();
        let mut sentences = 0;
        'docs: for doc in &docs {
            for s in doc.sentences() {
                sentences += 1;
                if sentences > 200 {
                    break 'docs;
                }
                out.push_str(&doc.slice(s.span).replace('\n', " "));
                out.push('\n');
                let inside = |span: Span| s.span.contains(span);
                for np in doc.noun_phrases().iter().filter(|c| inside(c.span)) {
                    out.push_str(&format!("  NP [{}]\n", doc.slice(np.span)));
                }
                for vg in doc.verb_groups().iter().filter(|c| inside(c.span)) {
                    out.push_str(&format!(
                        "  VG [{}] head={} {:?}{}{}{}{}\n",
                        doc.slice(vg.span),
                        doc.slice(doc.tokens()[vg.head.index()].span),
                        vg.tense,
                        if vg.negated { " neg" } else { "" },
                        if vg.perfect { " perfect" } else { "" },
                        if vg.progressive { " progressive" } else { "" },
                        if vg.passive { " passive" } else { "" },
                    ));
                }
            }
        }
        std::fs::write(&dump, out).expect("SITREP_DUMP names a writable file");
    }
}
