//! Golden tests for the chunker: the fixtures in tests/chunk/*.txt.
//!
//! The tags are given by hand, so these tests do not depend on the tagger or the lemmatizer.
//! Each fixture file holds cases:
//!
//! ```text
//! === a name for the case
//! Russian/ADJ troops/NOUN did/AUX not/PART attack/VERB the/DET town/NOUN ./PUNCT
//! --- chunks
//! NP [Russian troops] head=troops
//! VG [did not attack] head=attack neg past
//! NP [the town] head=town
//! ```
//!
//! Input: one sentence per line, tokens separated by spaces, each `word/TAG` (Universal POS
//! tag) or `word/TAG/lemma`; without a lemma the lemma is the lower-cased word. The text is the
//! words joined by single spaces (sentences too), except that clitics ('s, ', n't, 'll) and
//! closing punctuation (. , ? ! ; :) attach to the word before, as the segmenter splits them.
//!
//! Output, in token order: `NP [text] head=word` with ` poss=[text]` when the phrase has a
//! possessor; `VG [text] head=word`, then ` prt=word` (particle), ` modal=word`, the flags
//! ` neg`, ` perfect`, ` progressive`, ` passive`, and the tense (past, present, future,
//! nonfinite). Lines before the first case starting with `#` are comments. A failing case prints
//! a line diff. `SITREP_BLESS=1 cargo test -p sitrep_extract --test chunk` rewrites the expected
//! sections from the current output (review the diff before keeping it).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use sitrep_doc::layer::Tense;
use sitrep_doc::{Doc, Meta, Pos, Sentence, Span, Token};
use sitrep_extract::chunk::{possessor, Chunker};
use sitrep_extract::Stage;

struct Case {
    name: String,
    input: Vec<String>,
    chunks: Vec<String>,
}

fn parse(path: &Path, data: &str) -> (String, Vec<Case>) {
    let mut header = String::new();
    let mut cases: Vec<Case> = Vec::new();
    let mut in_chunks = false;
    for (n, line) in data.lines().enumerate() {
        if let Some(name) = line.strip_prefix("=== ") {
            cases.push(Case {
                name: name.trim().to_owned(),
                input: Vec::new(),
                chunks: Vec::new(),
            });
            in_chunks = false;
        } else if line.trim() == "--- chunks" {
            assert!(
                !cases.is_empty(),
                "{}:{}: `--- chunks` before the first case",
                path.display(),
                n + 1
            );
            in_chunks = true;
        } else if let Some(case) = cases.last_mut() {
            match (in_chunks, line.trim()) {
                (_, "") => {}
                (true, line) => case.chunks.push(line.to_owned()),
                (false, line) => case.input.push(line.to_owned()),
            }
        } else {
            header.push_str(line);
            header.push('\n');
        }
    }
    (header, cases)
}

/// A document from tagged lines: one sentence per line.
fn doc_of(lines: &[String]) -> Result<Doc, String> {
    let mut text = String::new();
    let mut tokens = Vec::new();
    let mut sentences = Vec::new();
    for line in lines {
        if !text.is_empty() {
            text.push(' ');
        }
        let start = text.len();
        for (n, item) in line.split_whitespace().enumerate() {
            let parts: Vec<&str> = item.split('/').collect();
            let (word, tag, lemma) = match parts[..] {
                [w, t] => (w, t, None),
                [w, t, l] => (w, t, Some(l)),
                _ => return Err(format!("{item:?}: expected word/TAG or word/TAG/lemma")),
            };
            let pos = Pos::from_ud(tag)
                .ok_or_else(|| format!("{item:?}: unknown tag {tag:?}: use a UD tag like NOUN"))?;
            let clitic =
                word.starts_with(['\'', '’']) || word.starts_with("n't") || word.starts_with("n’t");
            let closing = matches!(word, "." | "," | "?" | "!" | ";" | ":");
            if n > 0 && !clitic && !closing {
                text.push(' ');
            }
            let s = text.len();
            text.push_str(word);
            let mut token = Token::new(Span::new(s, text.len()));
            token.pos = Some(pos);
            token.lemma = Some(lemma.unwrap_or(&word.to_lowercase()).to_owned().into());
            tokens.push(token);
        }
        sentences.push(Sentence {
            span: Span::new(start, text.len()),
        });
    }
    let mut doc = Doc::new(text, Meta::default());
    doc.set_sentences(sentences);
    doc.set_tokens(tokens);
    Ok(doc)
}

/// The chunker's output as fixture lines.
fn render(doc: &Doc) -> Vec<String> {
    let word = |i: u32| doc.slice(doc.tokens()[i as usize].span).to_owned();
    let mut lines: Vec<(u32, String)> = Vec::new();
    for np in doc.noun_phrases() {
        let mut line = format!("NP [{}] head={}", doc.slice(np.span), word(np.head.0));
        if let Some(p) = possessor(doc, np) {
            let span = Span::new(
                doc.tokens()[p.start as usize].span.start(),
                doc.tokens()[p.end as usize - 1].span.end(),
            );
            let _ = write!(line, " poss=[{}]", doc.slice(span));
        }
        lines.push((np.tokens.start, line));
    }
    for vg in doc.verb_groups() {
        let mut line = format!("VG [{}] head={}", doc.slice(vg.span), word(vg.head.0));
        if let Some(p) = vg.particle {
            let _ = write!(line, " prt={}", word(p.0));
        }
        if let Some(m) = vg.modal {
            let _ = write!(line, " modal={}", word(m.0));
        }
        for (flag, name) in [
            (vg.negated, "neg"),
            (vg.perfect, "perfect"),
            (vg.progressive, "progressive"),
            (vg.passive, "passive"),
        ] {
            if flag {
                line.push(' ');
                line.push_str(name);
            }
        }
        line.push(' ');
        line.push_str(match vg.tense {
            Tense::Past => "past",
            Tense::Present => "present",
            Tense::Future => "future",
            Tense::Nonfinite => "nonfinite",
        });
        lines.push((vg.tokens.start, line));
    }
    lines.sort_by_key(|(start, _)| *start);
    lines.into_iter().map(|(_, line)| line).collect()
}

/// A line diff: "-" expected, "+" actual, " " both (longest common subsequence).
fn diff(expected: &[String], actual: &[String]) -> String {
    let (n, m) = (expected.len(), actual.len());
    let mut lcs = vec![vec![0usize; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if expected[i] == actual[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j, mut out) = (0, 0, String::new());
    while i < n || j < m {
        if i < n && j < m && expected[i] == actual[j] {
            let _ = writeln!(out, "   {}", expected[i]);
            (i, j) = (i + 1, j + 1);
        } else if i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1]) {
            let _ = writeln!(out, " - {}", expected[i]);
            i += 1;
        } else {
            let _ = writeln!(out, " + {}", actual[j]);
            j += 1;
        }
    }
    out
}

fn fixtures() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/chunk");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    files
}

#[test]
fn golden_fixtures() {
    let chunker = Chunker::new();
    let bless = std::env::var_os("SITREP_BLESS").is_some();
    let mut failures = String::new();
    let mut count = 0;
    for path in fixtures() {
        let data = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        let file = path.file_name().unwrap_or_default().to_string_lossy();
        let (header, cases) = parse(&path, &data);
        let mut blessed = header;
        for case in &cases {
            count += 1;
            let mut doc =
                doc_of(&case.input).unwrap_or_else(|e| panic!("{file} — {}: {e}", case.name));
            chunker.process(&mut doc);
            assert_eq!(doc.validate(), Ok(()), "{file} — {}", case.name);
            let actual = render(&doc);
            let _ = writeln!(blessed, "=== {}", case.name);
            for line in &case.input {
                let _ = writeln!(blessed, "{line}");
            }
            let _ = writeln!(blessed, "--- chunks");
            for line in &actual {
                let _ = writeln!(blessed, "{line}");
            }
            blessed.push('\n');
            if case.chunks != actual {
                let _ = write!(
                    failures,
                    "\n{file} — {}:\n{}",
                    case.name,
                    diff(&case.chunks, &actual)
                );
            }
        }
        if bless {
            std::fs::write(&path, blessed.trim_end().to_owned() + "\n")
                .unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
        }
    }
    assert!(count > 0, "no fixtures in tests/chunk");
    assert!(
        bless || failures.is_empty(),
        "golden chunk fixtures differ (- expected, + actual); if the change is right, rerun with \
         SITREP_BLESS=1 and review the diff:{failures}"
    );
}
