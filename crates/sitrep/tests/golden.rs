//! The whole pipeline over the bundled example articles, as a snapshot a reviewer can read:
//! `tests/golden/examples.txt`. Regenerate with `SITREP_BLESS=1 cargo test -p sitrep --test golden`
//! and read the diff.

use std::fmt::Write;
use std::path::Path;

use sitrep_doc::Doc;
use sitrep_extract::Pipeline;
use sitrep_read::ReadOptions;

/// Sentences per document shown with their tokens and chunks; the rest are listed as text.
const DETAILED_SENTENCES: usize = 3;

fn render(doc: &Doc, out: &mut String) {
    let meta = doc.meta();
    let _ = writeln!(
        out,
        "== {} | published {} | language {} | {} sentences, {} tokens",
        meta.title.as_deref().unwrap_or("(no title)"),
        meta.published.map_or("-".to_owned(), |d| d.to_string()),
        doc.language().unwrap_or("-"),
        doc.sentences().len(),
        doc.tokens().len(),
    );
    for (i, sentence) in doc.sentences().iter().enumerate() {
        let text = doc.slice(sentence.span).replace('\n', "⏎");
        let _ = writeln!(out, "s{i} {text}");
        if i >= DETAILED_SENTENCES {
            continue;
        }
        let tokens: Vec<String> = doc
            .tokens_in(sentence.span)
            .iter()
            .map(|t| {
                let word = doc.slice(t.span);
                let pos = t.pos.map_or("-", |p| p.as_str());
                match t.lemma.as_deref() {
                    Some(lemma) if lemma != word => format!("{word}/{pos}/{lemma}"),
                    _ => format!("{word}/{pos}"),
                }
            })
            .collect();
        let _ = writeln!(out, "   tokens  {}", tokens.join(" "));
        let mut chunks: Vec<(usize, String)> = doc
            .noun_phrases()
            .iter()
            .filter(|c| sentence.span.contains(c.span))
            .map(|c| (c.span.start(), format!("NP[{}]", doc.slice(c.span))))
            .collect();
        chunks.extend(
            doc.verb_groups()
                .iter()
                .filter(|c| sentence.span.contains(c.span))
                .map(|c| {
                    let mut flags = vec![format!("{:?}", c.tense).to_lowercase()];
                    for (on, name) in [
                        (c.negated, "neg"),
                        (c.passive, "passive"),
                        (c.perfect, "perfect"),
                        (c.progressive, "progressive"),
                    ] {
                        if on {
                            flags.push(name.to_owned());
                        }
                    }
                    if let Some(m) = c.modal {
                        flags.push(format!("modal={}", doc.slice(doc.tokens()[m.index()].span)));
                    }
                    if let Some(p) = c.particle {
                        flags.push(format!(
                            "particle={}",
                            doc.slice(doc.tokens()[p.index()].span)
                        ));
                    }
                    let head = doc.slice(doc.tokens()[c.head.index()].span);
                    (
                        c.span.start(),
                        format!("VG[{}]({head}; {})", doc.slice(c.span), flags.join(" ")),
                    )
                }),
        );
        chunks.sort();
        let chunks: Vec<String> = chunks.into_iter().map(|(_, c)| c).collect();
        let _ = writeln!(out, "   chunks  {}", chunks.join(" "));
    }
    for entity in doc.entities() {
        let label = format!("{:?}", entity.label).to_uppercase();
        let text = doc.slice(entity.span);
        let mut line = format!("   entity  {text:?} {label}");
        if let Some(canonical) = entity.canonical.as_deref().filter(|c| *c != text) {
            line.push_str(&format!(" = {canonical}"));
        }
        if let Some(actor) = &entity.actor {
            line.push_str(&format!(" [{actor}]"));
        }
        let _ = writeln!(out, "{line}");
    }
    for place in doc.places() {
        let _ = writeln!(
            out,
            "   place  {:?} = {}, {} ({:.2}, {:.2}) {:?}",
            doc.slice(place.span),
            place.name,
            place.country.as_deref().unwrap_or("-"),
            place.lat,
            place.lon,
            place.feature
        );
    }
    for quote in doc.quotes() {
        let text: String = doc.slice(quote.span).chars().take(60).collect();
        let _ = writeln!(
            out,
            "   quote  {:?}{} by {} [{}] cue {:?}{}",
            text,
            if text.len() < quote.span.len() {
                "…"
            } else {
                ""
            },
            quote.speaker.as_deref().unwrap_or("-"),
            quote.speaker_actor.as_deref().unwrap_or("-"),
            quote.cue.map_or("-", |c| doc.slice(c)),
            if quote.indirect { " (indirect)" } else { "" }
        );
    }
    for event in doc.events() {
        let side = |a: &Option<sitrep_doc::Argument>| {
            a.as_ref().map_or("-".to_owned(), |a| {
                a.actor
                    .clone()
                    .unwrap_or_else(|| format!("({})", doc.slice(a.span)))
            })
        };
        let _ = writeln!(
            out,
            "   event  {} {}→{} {} ({:?}) {:?} [s{}]{}",
            event.code,
            side(&event.source),
            side(&event.target),
            event.date.as_deref().unwrap_or("-"),
            event.date_from,
            doc.slice(event.trigger),
            event.sentence,
            event
                .place
                .as_ref()
                .map_or(String::new(), |p| format!(" at {}", p.name)),
        );
    }
    if let Some(tone) = doc.tone() {
        let _ = writeln!(out, "   tone  {tone}");
    }
    for time in doc.times() {
        let kind = format!("{:?}", time.kind).to_uppercase();
        let _ = writeln!(
            out,
            "   time  {:?} {kind} {}",
            doc.slice(time.span),
            time.value.as_deref().unwrap_or("-")
        );
    }
    out.push('\n');
}

#[test]
fn examples_snapshot() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let examples = root.join("examples");
    let options = ReadOptions {
        published: Some(jiff::civil::date(2017, 12, 12)),
        ..ReadOptions::default()
    };
    let pipeline = Pipeline::standard();
    let mut out = String::from(
        "# The standard pipeline over examples/ (read with --published 2017-12-12).\n\
         # Regenerate: SITREP_BLESS=1 cargo test -p sitrep --test golden\n\n",
    );
    for item in sitrep_read::read(&[examples.to_string_lossy().into_owned()], &options) {
        let raw = item.expect("every example reads");
        let origin = raw.origin.to_string();
        let origin = origin
            .rsplit_once("examples/")
            .map_or(origin.as_str(), |(_, o)| o)
            .to_owned();
        let mut doc = raw.into_doc();
        pipeline.run(&mut doc);
        doc.validate().expect("valid document");
        let _ = writeln!(out, "# {origin}");
        render(&doc, &mut out);
    }
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/examples.txt");
    if std::env::var_os("SITREP_BLESS").is_some() {
        std::fs::write(&path, &out).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    if expected != out {
        let mut diff = String::new();
        for (i, (e, a)) in expected.lines().zip(out.lines()).enumerate() {
            if e != a {
                let _ = writeln!(diff, "line {}:\n- {e}\n+ {a}", i + 1);
            }
        }
        panic!(
            "the pipeline's output on examples/ changed ({} lines expected, {} now); first differences:\n{}\n\
             if the change is right, run SITREP_BLESS=1 cargo test -p sitrep --test golden and commit the diff",
            expected.lines().count(),
            out.lines().count(),
            diff.lines().take(30).collect::<Vec<_>>().join("\n")
        );
    }
}
