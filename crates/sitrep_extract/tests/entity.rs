//! Golden tests of the entity and actor stages on fixtures written for the project
//! (tests/entity/golden.txt, over the knowledge base in tests/entity/kb/), and a check that the
//! compiled-in knowledge base codes the examples of DESIGN.md.

use std::sync::Arc;

use sitrep_doc::{Doc, Meta};
use sitrep_extract::actor::ActorCoder;
use sitrep_extract::chunk::Chunker;
use sitrep_extract::entity::EntityRecognizer;
use sitrep_extract::kb::{load, Entries, KnowledgeBase};
use sitrep_extract::lemma::Lemmatizer;
use sitrep_extract::segment::Segmenter;
use sitrep_extract::tag::PosTagger;
use sitrep_extract::Pipeline;

const GOLDEN: &str = include_str!("entity/golden.txt");
const KB_FILES: [(&str, &str); 4] = [
    ("countries.tsv", include_str!("entity/kb/countries.tsv")),
    (
        "organizations.tsv",
        include_str!("entity/kb/organizations.tsv"),
    ),
    ("people.tsv", include_str!("entity/kb/people.tsv")),
    ("agents.tsv", include_str!("entity/kb/agents.tsv")),
];

fn fixture_kb() -> Arc<KnowledgeBase> {
    let mut entries = Entries::default();
    for (name, text) in KB_FILES {
        entries.extend(load::parse(name, text).unwrap_or_else(|e| panic!("{e}")));
    }
    Arc::new(KnowledgeBase::new(entries))
}

fn pipeline(kb: &Arc<KnowledgeBase>) -> Pipeline {
    Pipeline::builder()
        .stage(Segmenter::new())
        .stage(PosTagger::new())
        .stage(Lemmatizer::new())
        .stage(Chunker::new())
        .stage(EntityRecognizer::new(kb.clone()))
        .stage(ActorCoder::new(kb.clone()))
        .build()
        .expect("stages in order")
}

fn run(pipeline: &Pipeline, text: &str, date: Option<&str>) -> Doc {
    let meta = Meta {
        published: date.map(|d| d.parse().expect("a date")),
        ..Meta::default()
    };
    let mut doc = Doc::new(text, meta);
    pipeline.run(&mut doc);
    doc.validate().expect("valid document");
    doc
}

/// Every entity as a golden line: `entity "TEXT" LABEL CANONICAL ACTOR`.
fn entity_lines(doc: &Doc) -> Vec<String> {
    doc.entities()
        .iter()
        .map(|e| {
            let label = serde_json::to_value(e.label).expect("label");
            format!(
                "entity {:?} {} {} {}",
                doc.slice(e.span),
                label.as_str().unwrap_or("?"),
                e.canonical
                    .as_deref()
                    .map_or("-".into(), |c| c.replace(' ', "_")),
                e.actor.as_deref().unwrap_or("-"),
            )
        })
        .collect()
}

/// The quoted text of a golden line and the rest.
fn quoted(line: &str) -> (&str, &str) {
    let start = line.find('"').map_or(0, |i| i + 1);
    let end = line[start..].find('"').map_or(line.len(), |i| start + i);
    (&line[start..end], line.get(end + 1..).unwrap_or("").trim())
}

#[test]
fn golden_cases() {
    let kb = fixture_kb();
    let pipeline = pipeline(&kb);
    let coder = ActorCoder::new(kb.clone());
    let mut failures = Vec::new();
    let mut cases = 0;
    for case in GOLDEN.split("\n\n") {
        let lines: Vec<&str> = case.lines().filter(|l| !l.starts_with('#')).collect();
        let Some(text) = lines.iter().find_map(|l| l.strip_prefix("text: ")) else {
            continue;
        };
        cases += 1;
        let date = lines
            .iter()
            .find_map(|l| l.strip_prefix("date: "))
            .filter(|d| *d != "none");
        let doc = run(&pipeline, text, date);
        let got = entity_lines(&doc);
        for line in &lines {
            if line.starts_with("entity ") {
                if !got.iter().any(|g| g == line) {
                    failures.push(format!("{text}\n  expected {line}\n  got {got:#?}"));
                }
            } else if line.starts_with("np ") {
                let (np, code) = quoted(line);
                let index = doc
                    .noun_phrases()
                    .iter()
                    .position(|p| doc.slice(p.span) == np);
                let Some(index) = index else {
                    let nps: Vec<&str> = doc
                        .noun_phrases()
                        .iter()
                        .map(|p| doc.slice(p.span))
                        .collect();
                    failures.push(format!("{text}\n  no noun phrase {np:?} in {nps:?}"));
                    continue;
                };
                let actual = coder.code_phrase(&doc, index);
                if actual.as_deref() != Some(code).filter(|c| *c != "-") {
                    failures.push(format!(
                        "{text}\n  {line}: got {actual:?} in {got:?} {:?}",
                        doc.noun_phrases()[index]
                    ));
                }
            } else if line.starts_with("none ") {
                let (t, _) = quoted(line);
                if doc.entities().iter().any(|e| doc.slice(e.span) == t) {
                    failures.push(format!("{text}\n  {line}: got {got:#?}"));
                }
            }
        }
    }
    assert!(cases >= 10, "golden file has {cases} cases");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn spans_are_the_covered_text() {
    let kb = fixture_kb();
    let doc = run(
        &pipeline(&kb),
        "Ankara’s envoy met the UK’s foreign minister in Türkiye.",
        Some("2020-01-01"),
    );
    let texts: Vec<&str> = doc.entities().iter().map(|e| doc.slice(e.span)).collect();
    assert!(texts.contains(&"Ankara"), "{texts:?}");
    assert!(texts.contains(&"UK"), "{texts:?}");
    assert!(texts.contains(&"Türkiye"), "{texts:?}");
}

/// The compiled-in knowledge base codes DESIGN.md's examples.
#[test]
fn builtin_knowledge_base_codes_the_design_examples() {
    let kb = Arc::new(KnowledgeBase::new(load::builtin()));
    if kb.countries().len() < 100 || kb.people().len() < 100 {
        eprintln!("skipped: the compiled-in knowledge base is not complete yet");
        return;
    }
    let pipeline = pipeline(&kb);
    let coder = ActorCoder::new(kb.clone());
    let doc = run(
        &pipeline,
        "Russian President Vladimir Putin ordered partial withdrawal of his forces from Syria. \
         Russian troops left. Syrian rebels cheered.",
        Some("2017-12-11"),
    );
    let code = |np: &str| {
        let i = doc
            .noun_phrases()
            .iter()
            .position(|p| doc.slice(p.span) == np)
            .unwrap_or_else(|| panic!("no noun phrase {np:?}"));
        coder.code_phrase(&doc, i)
    };
    assert_eq!(
        code("Russian President Vladimir Putin").as_deref(),
        Some("RUSGOV")
    );
    assert_eq!(code("his forces").as_deref(), Some("RUSMIL"));
    assert_eq!(code("Russian troops").as_deref(), Some("RUSMIL"));
    assert_eq!(code("Syrian rebels").as_deref(), Some("SYRREB"));
}
