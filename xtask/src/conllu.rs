//! Reading CoNLL-U files (the GUM corpus): sentences of syntactic words with their lemma and UPOS.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use sitrep_doc::Pos;

/// A word of a sentence.
pub(crate) struct Word {
    pub(crate) form: String,
    pub(crate) lemma: String,
    pub(crate) pos: Pos,
    /// Whether a space follows (no `SpaceAfter=No` in MISC).
    pub(crate) space_after: bool,
}

/// The sentences of one file: multiword-token lines and empty nodes are skipped, so the words are
/// the syntactic words ("do" + "n't"), as the tagger sees them.
pub(crate) fn read(path: &Path) -> Result<Vec<Vec<Word>>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let mut sentences = Vec::new();
    let mut sentence = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            if !sentence.is_empty() {
                sentences.push(std::mem::take(&mut sentence));
            }
            continue;
        }
        if line.starts_with('#') {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() < 10 {
            anyhow::bail!(
                "{} line {}: expected 10 tab-separated columns, found {}",
                path.display(),
                n + 1,
                cols.len()
            );
        }
        if cols[0].contains(['-', '.']) {
            continue;
        }
        let pos = Pos::from_ud(cols[3]).with_context(|| {
            format!(
                "{} line {}: unknown UPOS {:?}",
                path.display(),
                n + 1,
                cols[3]
            )
        })?;
        sentence.push(Word {
            form: cols[1].to_owned(),
            lemma: cols[2].to_owned(),
            pos,
            space_after: !cols[9].split('|').any(|m| m == "SpaceAfter=No"),
        });
    }
    if !sentence.is_empty() {
        sentences.push(sentence);
    }
    Ok(sentences)
}

/// The GUM dependency files of the given genres, sorted by name.
pub(crate) fn gum_files(dir: &Path, genres: &[&str]) -> Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("listing {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            name.ends_with(".conllu")
                && genres
                    .iter()
                    .any(|g| name.starts_with(&format!("GUM_{g}_")))
        })
        .collect();
    files.sort();
    Ok(files)
}
