//! Golden tests for the segmenter: the fixtures in tests/segment/*.txt.
//!
//! Each fixture file holds cases:
//!
//! ```text
//! === a name for the case
//! The input text, on as many lines as it needs.
//! --- sentences
//! One sentence per line (a line break inside a sentence shows as ⏎).
//! --- tokens
//! Tokens | separated | by | bars | , | one | line | per | sentence
//! ```
//!
//! Either section may be left out. Lines before the first case starting with `#` are comments.
//! A failing case prints a line diff. `SITREP_BLESS=1 cargo test -p sitrep_extract --test segment`
//! rewrites the expected sections from the current output (review the diff before keeping it).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use sitrep_extract::segment::Segmenter;

struct Case {
    name: String,
    input: String,
    sentences: Option<Vec<String>>,
    tokens: Option<Vec<String>>,
}

fn parse(path: &Path, data: &str) -> (String, Vec<Case>) {
    let mut header = String::new();
    let mut cases: Vec<Case> = Vec::new();
    let mut section = "";
    let mut input: Vec<&str> = Vec::new();
    for (n, line) in data.lines().enumerate() {
        if let Some(name) = line.strip_prefix("=== ") {
            finish_input(&mut cases, &mut input);
            cases.push(Case {
                name: name.trim().to_owned(),
                input: String::new(),
                sentences: None,
                tokens: None,
            });
            section = "input";
            continue;
        }
        if let Some(name) = line.strip_prefix("--- ") {
            finish_input(&mut cases, &mut input);
            let case = cases.last_mut().unwrap_or_else(|| {
                panic!(
                    "{}:{}: a section before the first case",
                    path.display(),
                    n + 1
                )
            });
            section = match name.trim() {
                "sentences" => {
                    case.sentences = Some(Vec::new());
                    "sentences"
                }
                "tokens" => {
                    case.tokens = Some(Vec::new());
                    "tokens"
                }
                other => panic!(
                    "{}:{}: unknown section {other:?}: use `--- sentences` or `--- tokens`",
                    path.display(),
                    n + 1
                ),
            };
            continue;
        }
        match section {
            "" => {
                header.push_str(line);
                header.push('\n');
            }
            "input" => input.push(line),
            _ if line.is_empty() => {}
            "sentences" => push_line(&mut cases, |c| &mut c.sentences, line),
            _ => push_line(&mut cases, |c| &mut c.tokens, line),
        }
    }
    finish_input(&mut cases, &mut input);
    (header, cases)
}

fn finish_input(cases: &mut [Case], input: &mut Vec<&str>) {
    if let Some(case) = cases.last_mut() {
        if case.input.is_empty() && !input.is_empty() {
            case.input = input.join("\n");
        }
    }
    input.clear();
}

fn push_line(cases: &mut [Case], field: fn(&mut Case) -> &mut Option<Vec<String>>, line: &str) {
    if let Some(lines) = cases.last_mut().and_then(|c| field(c).as_mut()) {
        lines.push(line.to_owned());
    }
}

/// The segmenter's output for `input`: (sentence lines, token lines).
fn render(segmenter: &Segmenter, input: &str) -> (Vec<String>, Vec<String>) {
    let (sentences, tokens) = segmenter.segment(input);
    let mut sentence_lines = Vec::new();
    let mut token_lines = Vec::new();
    let mut t = 0;
    for s in &sentences {
        sentence_lines.push(input[s.span].replace('\n', "⏎"));
        let mut line = Vec::new();
        while t < tokens.len() && s.span.contains(tokens[t].span) {
            line.push(&input[tokens[t].span]);
            t += 1;
        }
        token_lines.push(line.join(" | "));
    }
    (sentence_lines, token_lines)
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
            i += 1;
            j += 1;
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
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/segment");
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
    let segmenter = Segmenter::new();
    let bless = std::env::var_os("SITREP_BLESS").is_some();
    let mut failures = String::new();
    let mut count = 0;
    for path in fixtures() {
        let data = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        let (header, cases) = parse(&path, &data);
        let mut blessed = header;
        for case in &cases {
            count += 1;
            let (sentences, tokens) = render(&segmenter, &case.input);
            let _ = write!(blessed, "=== {}\n{}\n", case.name, case.input);
            for (title, expected, actual) in [
                ("sentences", &case.sentences, &sentences),
                ("tokens", &case.tokens, &tokens),
            ] {
                let Some(expected) = expected else { continue };
                let _ = writeln!(blessed, "--- {title}");
                for line in actual {
                    let _ = writeln!(blessed, "{line}");
                }
                if expected != actual {
                    let _ = write!(
                        failures,
                        "\n{} — {} ({title}):\n{}",
                        path.file_name().unwrap_or_default().to_string_lossy(),
                        case.name,
                        diff(expected, actual)
                    );
                }
            }
            blessed.push('\n');
        }
        if bless {
            let blessed = blessed.trim_end().to_owned() + "\n";
            std::fs::write(&path, blessed)
                .unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
        }
    }
    assert!(count > 0, "no fixtures found in tests/segment/");
    if !bless {
        assert!(
            failures.is_empty(),
            "segmenter output differs from the fixtures (- expected, + actual):\n{failures}\n\
             hint: if the new output is right, run with SITREP_BLESS=1 and review the diff"
        );
    }
}

#[test]
fn diff_marks_changed_lines() {
    let e = ["a".to_owned(), "b".to_owned()];
    let a = ["a".to_owned(), "c".to_owned()];
    assert_eq!(diff(&e, &a), "   a\n - b\n + c\n");
}
