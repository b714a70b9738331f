//! `cargo run --release -p xtask -- train tagger [--dev]`: trains the part-of-speech tagger on
//! the GUM genres whose text licence allows shipping a derived model and writes
//! data/model/pos-tagger.bin. With `--dev`, holds out GUM's dev documents of those genres, reports
//! accuracy on them and writes nothing (for tuning without looking at the news test set).

use std::time::Instant;

use anyhow::{bail, Context, Result};
use sitrep_doc::Pos;
use sitrep_extract::tag::{PosTagger, Trainer};

use crate::conllu::{self, Word};
use crate::Env;

/// Genres whose text is CC BY / CC BY-SA (../shared/eval/README.md), news held out for testing.
pub(crate) const GENRES: [&str; 5] = ["academic", "bio", "court", "interview", "voyage"];
const ITERATIONS: usize = 10;
/// Averaged weights smaller than this are dropped from the model file.
const MIN_WEIGHT: f64 = 0.05;
const MODEL: &str = "data/model/pos-tagger.bin";

pub(crate) fn tagger(env: &Env, dev: bool) -> Result<()> {
    let dir = env.shared.join("eval/ner/gum/dep");
    let files = conllu::gum_files(&dir, &GENRES)?;
    if files.is_empty() {
        bail!("no GUM files of {GENRES:?} in {}", dir.display());
    }
    let held_out = if dev { dev_documents(env)? } else { Vec::new() };
    let mut train: Vec<Vec<Word>> = Vec::new();
    let mut test: Vec<Vec<Word>> = Vec::new();
    for file in &files {
        let stem = file.file_stem().and_then(|s| s.to_str()).unwrap_or("");
        let sentences = conllu::read(file)?;
        if held_out.iter().any(|d| d == stem) {
            test.extend(sentences);
        } else {
            train.extend(sentences);
        }
    }
    let tokens: usize = train.iter().map(Vec::len).sum();
    println!(
        "train tagger: {} files, {} sentences, {tokens} words{}",
        files.len(),
        train.len(),
        if dev {
            format!(" ({} held-out dev sentences)", test.len())
        } else {
            String::new()
        }
    );
    let start = Instant::now();
    let mut trainer = Trainer::new();
    let mut order: Vec<usize> = (0..train.len()).collect();
    let mut rng = 0x2545_f491_4f6c_dd1du64;
    for it in 0..ITERATIONS {
        let mut right = 0;
        for &i in &order {
            let words: Vec<&str> = train[i].iter().map(|w| w.form.as_str()).collect();
            let gold: Vec<Pos> = train[i].iter().map(|w| w.pos).collect();
            right += trainer.train_sentence(&words, &gold);
        }
        println!(
            "  iteration {:>2}: training accuracy {:.4}",
            it + 1,
            right as f64 / tokens as f64
        );
        // Fisher–Yates with a fixed xorshift generator: the same model every run.
        for k in (1..order.len()).rev() {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            order.swap(k, (rng % (k as u64 + 1)) as usize);
        }
    }
    let bytes = trainer.finish(MIN_WEIGHT);
    println!(
        "trained in {:.1} s: {:.2} MB",
        start.elapsed().as_secs_f64(),
        bytes.len() as f64 / 1e6
    );
    if dev {
        let model = PosTagger::from_model_bytes(&bytes)?;
        let (mut right, mut total) = (0, 0);
        for s in &test {
            let words: Vec<&str> = s.iter().map(|w| w.form.as_str()).collect();
            let tags = model.tag_words(&words);
            right += tags.iter().zip(s).filter(|(t, w)| **t == w.pos).count();
            total += s.len();
        }
        println!(
            "dev accuracy (GUM dev documents of {GENRES:?}): {:.4} on {total} words",
            right as f64 / total.max(1) as f64
        );
        return Ok(());
    }
    let path = env.root.join(MODEL);
    std::fs::write(&path, &bytes).with_context(|| format!("writing {}", path.display()))?;
    println!("wrote {} (rebuild to use it)", path.display());
    Ok(())
}

/// GUM's dev documents (../shared/eval/ner/gum/splits.md, "## dev" list).
fn dev_documents(env: &Env) -> Result<Vec<String>> {
    let path = env.shared.join("eval/ner/gum/splits.md");
    let text =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let mut in_dev = false;
    let mut docs = Vec::new();
    for line in text.lines() {
        if line.starts_with("## ") {
            in_dev = line.trim() == "## dev";
        } else if in_dev {
            if let Some(doc) = line.trim().strip_prefix("* ") {
                docs.push(doc.trim().to_owned());
            }
        }
    }
    Ok(docs)
}
