//! Unit tests of the actor coder (and, through [`run`], of the entity recognizer).

use std::sync::Arc;

use sitrep_doc::{Doc, EntityLabel, Meta};

use super::ActorCoder;
use crate::entity::EntityRecognizer;
use crate::kb::{load, Entries, KnowledgeBase};
use crate::{Pipeline, Stage};

const COUNTRIES: &str = "#sitrep countries
RUS\tRU\tRussia\tRussian Federation; the Russian Federation\tRussian; Russians\tMoscow; the Kremlin
SYR\tSY\tSyria\t\tSyrian; Syrians\tDamascus
IRQ\tIQ\tIraq\t\tIraqi; Iraqis\tBaghdad
USA\tUS\tUnited States\tthe United States; US; U.S.; America\tAmerican; Americans\tWashington; the White House
";
const ORGS: &str = "#sitrep organizations
IGOUNO\tORG\tUnited Nations\tUN; U.N.; the UN
IMGMOSISI\tGROUP\tIslamic State\tIS; ISIS; ISIL; Daesh; Islamic State group
";
const PEOPLE: &str = "#sitrep people
Vladimir Putin\tPutin\tRUSGOV\tpresident\t2000-05-07\t2008-05-07
Vladimir Putin\tPutin\tRUSGOV\tprime minister\t2008-05-08\t2012-05-07
Vladimir Putin\tPutin\tRUSGOV\tpresident\t2012-05-07\t
George W. Bush\tBush\tUSAGOV\tpresident\t2001-01-20\t2009-01-20
George H. W. Bush\tBush\tUSAGOV\tpresident\t1989-01-20\t1993-01-20
Bashar al-Assad\tAssad; al-Assad\tSYRGOV\tpresident\t2000-07-17\t2024-12-08
";
const AGENTS: &str = "#sitrep agents
troop\tMIL
troops\tMIL
force\tMIL
army\tMIL
rebel\tREB
prime minister\tGOV
president\tGOV
ministry\tGOV
opposition\tOPP
opposition leader\tOPP
leader\tGOV
";

/// The test knowledge base.
pub(crate) fn test_kb() -> Arc<KnowledgeBase> {
    let mut entries = Entries::default();
    for (name, text) in [
        ("countries.tsv", COUNTRIES),
        ("organizations.tsv", ORGS),
        ("people/test.tsv", PEOPLE),
        ("agents.tsv", AGENTS),
    ] {
        entries.extend(load::parse(name, text).expect("test dictionary parses"));
    }
    Arc::new(KnowledgeBase::new(entries))
}

/// `text` published on `date` through the standard stages, the entity recognizer and the coder.
pub(crate) fn run(text: &str, date: Option<&str>) -> Doc {
    let kb = test_kb();
    let meta = Meta {
        published: date.map(|d| d.parse().expect("a date")),
        ..Meta::default()
    };
    let mut doc = Doc::new(text, meta);
    Pipeline::standard().run(&mut doc);
    EntityRecognizer::new(kb.clone()).process(&mut doc);
    ActorCoder::new(kb).process(&mut doc);
    doc
}

/// `text → label canonical actor` of every entity.
fn entities(doc: &Doc) -> Vec<String> {
    doc.entities()
        .iter()
        .map(|e| {
            format!(
                "{} {:?} {} {}",
                doc.slice(e.span),
                e.label,
                e.canonical.as_deref().unwrap_or("-"),
                e.actor.as_deref().unwrap_or("-")
            )
        })
        .collect()
}

/// The code of the noun phrase whose text is `np`.
fn phrase(doc: &Doc, np: &str) -> Option<String> {
    let kb = test_kb();
    let i = doc
        .noun_phrases()
        .iter()
        .position(|p| doc.slice(p.span) == np)
        .unwrap_or_else(|| {
            let all: Vec<&str> = doc
                .noun_phrases()
                .iter()
                .map(|p| doc.slice(p.span))
                .collect();
            panic!("no noun phrase {np:?} in {all:?}")
        });
    ActorCoder::new(kb).code_phrase(doc, i)
}

#[test]
fn people_by_date() {
    let doc = run(
        "Russian President Vladimir Putin met Iraqi leaders.",
        Some("2017-12-11"),
    );
    assert_eq!(
        entities(&doc),
        [
            "Russian Norp Russia RUS",
            "Vladimir Putin Person Vladimir Putin RUSGOV",
            "Iraqi Norp Iraq IRQ",
        ]
    );
    assert_eq!(
        phrase(&doc, "Russian President Vladimir Putin").as_deref(),
        Some("RUSGOV")
    );
    let doc = run("President Bush spoke in Texas.", Some("2005-03-01"));
    let e = &doc.entities()[0];
    assert_eq!(e.canonical.as_deref(), Some("George W. Bush"));
    assert_eq!(e.actor.as_deref(), Some("USAGOV"));
    assert_eq!(e.label, EntityLabel::Person);
}

#[test]
fn agents_and_possessors() {
    let doc = run(
        "Putin ordered his forces out. Russian troops left. Syrian rebels cheered. Iraq's prime minister said so.",
        Some("2017-12-11"),
    );
    assert_eq!(phrase(&doc, "his forces").as_deref(), Some("RUSMIL"));
    assert_eq!(phrase(&doc, "Russian troops").as_deref(), Some("RUSMIL"));
    assert_eq!(phrase(&doc, "Syrian rebels").as_deref(), Some("SYRREB"));
    assert_eq!(
        phrase(&doc, "Iraq's prime minister").as_deref(),
        Some("IRQGOV")
    );
}

#[test]
fn metonyms_act_unless_they_are_places() {
    let doc = run(
        "Moscow denied it. Talks were held in Moscow.",
        Some("2017-12-11"),
    );
    let codes: Vec<Option<&str>> = doc.entities().iter().map(|e| e.actor.as_deref()).collect();
    assert_eq!(codes, [Some("RUSGOV"), None]);
}

#[test]
fn unknown_people_take_a_nearby_nationality() {
    let doc = run(
        "Syrian opposition leader Khaled Mansour said talks failed. Mansour left.",
        Some("2017-12-11"),
    );
    let e: Vec<String> = entities(&doc);
    assert!(
        e.contains(&"Khaled Mansour Person Khaled Mansour SYROPP".to_owned()),
        "{e:?}"
    );
    assert!(
        e.contains(&"Mansour Person Khaled Mansour SYROPP".to_owned()),
        "{e:?}"
    );
    let doc = run("Khaled Mansour said talks failed.", Some("2017-12-11"));
    assert_eq!(doc.entities()[0].actor, None);
}

#[test]
fn aliases_and_groups() {
    let doc = run(
        "Islamic State fighters attacked. IS later withdrew.",
        Some("2017-12-11"),
    );
    let e = entities(&doc);
    assert_eq!(
        e,
        [
            "Islamic State Group Islamic State IMGMOSISI",
            "IS Group Islamic State IMGMOSISI"
        ]
    );
}
