//! PETRARCH/Phoenix dictionaries: snippets written for these tests (fictional actors), and
//! (when ../shared is present, or `$SITREP_SHARED`) the real Phoenix files, which must load and
//! know well-known actors. Nothing of the real files is copied here: only names everyone knows.

use std::path::PathBuf;

use jiff::civil::{date, Date};
use sitrep_extract::kb::load::{load_file, load_file_reporting};
use sitrep_extract::kb::phoenix;
use sitrep_extract::kb::{Entries, OrgKind};

const ACTORS: &str = "\
# Fictional actors for sitrep's tests, in PETRARCH's syntax.
<!-- a comment
over two lines -->
ZEMBLA_  [ZMB]
+ZEMBLAN_KINGDOM_
+ONHAVA_ # the capital

ODO_KINBOTE_  # a fictional minister
+MINISTER_KINBOTE_
+KINBOTE_
\t[ZMBELI]
\t[ZMBGOV 990101-030630]
\t[ZMBGOV >080508]
\t[ZMBOPP 19960101-19981231]

JOHN_SHADE_\t[ZMBGOV 20010101-20051231] [USAELI <000101]
KARL_THE_BELOVED_
+THE_BELOVED_KING_
CHARLES_XAVIER_VSESLAV_
\t[ZMBGOV]
SHADOWS_ [ZMBIMG] ; armed group
+THE_SHADOWS_
NOVA_ZEMBLA_COUNCIL_ [IGOZMB]
+NZC
PALE_FIRE_ [---]
GRADUS_ [ZMBGOV 990231-000101]
---STOP---
NOT_READ_ [ZMB]
";

const AGENTS: &str = "\
# Fictional agents for sitrep's tests.
!PERSON! = MAN, WOMAN

SENTRY [~MIL]
GLASS!PERSON! [~BUS]
TOWER_GUARD {TOWER_GUARDS} [~COPMIL]
TRUCE_WATCHER [IGO~]
NO_CODE_HERE
";

fn is_zembla(code: &str) -> bool {
    code == "ZMB"
}

fn codes_on(entries: &Entries, name: &str, day: Date) -> Vec<String> {
    let mut codes: Vec<String> = entries
        .people
        .iter()
        .filter(|p| p.name == name && p.holds_on(day))
        .map(|p| p.code.clone())
        .collect();
    codes.sort();
    codes
}

#[test]
fn snippet_actors_parse() {
    let loaded = phoenix::parse_actors("zembla.actors.txt", ACTORS, &is_zembla).unwrap();
    let e = &loaded.entries;

    // The country: name, aliases (the capital is an alias, as PETRARCH codes it).
    assert_eq!(e.countries.len(), 1);
    assert_eq!(e.countries[0].code, "ZMB");
    assert_eq!(e.countries[0].name, "Zembla");
    assert_eq!(e.countries[0].aliases, ["Zemblan Kingdom", "Onhava"]);
    assert_eq!(e.countries[0].source.line, 4);

    // A person with dated codes and a default that fills the gaps.
    let kinbote = |y, m, d| codes_on(e, "Odo Kinbote", date(y, m, d));
    assert_eq!(kinbote(1990, 1, 1), ["ZMBELI"]);
    assert_eq!(kinbote(1997, 6, 1), ["ZMBOPP"]);
    assert_eq!(kinbote(1999, 1, 1), ["ZMBGOV"]);
    assert_eq!(kinbote(2003, 6, 30), ["ZMBGOV"]);
    assert_eq!(kinbote(2003, 7, 1), ["ZMBELI"]);
    assert_eq!(kinbote(2008, 5, 7), ["ZMBELI"]);
    assert_eq!(kinbote(2008, 5, 8), ["ZMBGOV"]);
    assert_eq!(kinbote(2024, 1, 1), ["ZMBGOV"]);
    let roles: Vec<_> = e
        .people
        .iter()
        .filter(|p| p.name == "Odo Kinbote")
        .collect();
    assert_eq!(roles[0].aliases, ["Minister Kinbote", "Kinbote"]);
    assert!(roles.iter().any(|r| r.role == "default"));

    // Inline codes, YYYYMMDD dates and `<` (until).
    assert_eq!(codes_on(e, "John Shade", date(2003, 1, 1)), ["ZMBGOV"]);
    assert_eq!(codes_on(e, "John Shade", date(1999, 1, 1)), ["USAELI"]);
    assert!(codes_on(e, "John Shade", date(2010, 1, 1)).is_empty());

    // An uncoded actor shares the codes of the next one (PETRARCH's synonym blocks).
    let king = e
        .organizations
        .iter()
        .find(|o| o.name == "Charles Xavier Vseslav")
        .unwrap();
    assert_eq!(king.code, "ZMBGOV");
    assert_eq!(king.aliases, ["Karl the Beloved", "The Beloved King"]);

    // Groups and organizations.
    let shadows = e
        .organizations
        .iter()
        .find(|o| o.name == "Shadows")
        .unwrap();
    assert_eq!(
        (shadows.code.as_str(), shadows.kind),
        ("ZMBIMG", OrgKind::Group)
    );
    assert_eq!(shadows.aliases, ["The Shadows"]);
    let council = e.organizations.iter().find(|o| o.code == "IGOZMB").unwrap();
    assert_eq!(
        (council.name.as_str(), council.kind),
        ("Nova Zembla Council", OrgKind::Org)
    );
    assert_eq!(council.aliases, ["Nzc", "NZC"]);

    // `[---]` is no code; a bad date is skipped with a warning naming the line, as in PETRARCH;
    // nothing after ---STOP--- is read.
    let names = |n: &str| {
        e.organizations.iter().any(|o| o.name == n) || e.people.iter().any(|p| p.name == n)
    };
    assert!(!names("Pale Fire") && !names("Gradus") && !names("Not Read"));
    assert_eq!(loaded.skipped.len(), 1);
    let warning = loaded.skipped[0].to_string();
    assert!(
        warning.starts_with("dictionary zembla.actors.txt line 26: \"990231\" is not a date"),
        "{warning}"
    );
}

#[test]
fn snippet_agents_parse() {
    let loaded = phoenix::parse("zembla.agents.txt", AGENTS).unwrap();
    let agents: Vec<(&str, &str)> = loaded
        .entries
        .agents
        .iter()
        .map(|a| (a.phrase.as_str(), a.code.as_str()))
        .collect();
    assert_eq!(
        agents,
        [
            ("sentry", "MIL"),
            ("glassman", "BUS"),
            ("glasswoman", "BUS"),
            ("tower guard", "COPMIL"),
            ("truce watcher", "IGO"),
        ]
    );
    assert_eq!(loaded.entries.agents[0].source.line, 4);
    assert_eq!(loaded.skipped.len(), 1);
    assert!(loaded.skipped[0]
        .to_string()
        .contains("line 8: expected an agent"));
}

#[test]
fn malformed_phoenix_lines_fail_with_file_and_line() {
    let actors = |text: &str| {
        phoenix::parse_actors("my.actors.txt", text, &is_zembla)
            .unwrap_err()
            .to_string()
    };
    assert_eq!(
        actors("+ZEMBLAN_\nZEMBLA_ [ZMB]\n"),
        "dictionary my.actors.txt line 1: an alias (+NAME_) before any actor name (expected `NAME_ [CODE]` first)"
    );
    assert!(
        actors("ZEMBLA_ [ZMB\n").starts_with("dictionary my.actors.txt line 1: an unclosed `[`")
    );
    assert!(actors("# c\nZEMBLA_ [zmb]\n").contains("line 2: \"zmb\" is not a CAMEO code"));
    assert!(actors("\t[ZMBGOV]\n").contains("line 1: a code before any actor name"));
    let agents = phoenix::parse_agents("my.agents.txt", "SENTRY [~MIL] [~GOV]\n")
        .unwrap_err()
        .to_string();
    assert!(
        agents.starts_with("dictionary my.agents.txt line 1: expected an agent"),
        "{agents}"
    );
}

#[test]
fn load_file_recognises_phoenix_by_content() {
    let dir = std::env::temp_dir().join(format!("sitrep-kb-phoenix-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let actors = dir.join("zembla.txt");
    std::fs::write(&actors, ACTORS).unwrap();
    let agents = dir.join("roles.txt");
    std::fs::write(&agents, AGENTS).unwrap();
    let e = load_file(&actors).unwrap();
    assert!(e.people.iter().any(|p| p.name == "Odo Kinbote"));
    let e = load_file(&agents).unwrap();
    assert_eq!(e.agents[0].phrase, "sentry");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// ../shared (or `$SITREP_SHARED`), if present.
fn petrarch(name: &str) -> Option<PathBuf> {
    let shared = std::env::var_os("SITREP_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared"));
    let path = shared.join("eval/events/petrarch2").join(name);
    if path.is_file() {
        Some(path)
    } else {
        eprintln!("skipped: {} not found (set SITREP_SHARED)", path.display());
        None
    }
}

#[test]
fn real_phoenix_files_load_and_know_famous_actors() {
    let mut all = Entries::default();
    for file in [
        "Phoenix.Countries.actors.txt",
        "Phoenix.International.actors.txt",
        "Phoenix.MilNonState.actors.txt",
        "Phoenix.agents.txt",
    ] {
        let Some(path) = petrarch(file) else { return };
        let loaded = load_file_reporting(&path).unwrap_or_else(|e| panic!("{e}"));
        // PETRARCH's own files have a handful of lines it skips (a date range backwards, an
        // agent without a code): they are reported, not fatal.
        assert!(
            loaded.skipped.len() < 20,
            "{file}: {} skipped",
            loaded.skipped.len()
        );
        all.extend(loaded.entries);
    }
    assert!(
        all.people.len() > 20_000,
        "{} people roles",
        all.people.len()
    );
    assert_eq!(
        codes_on(&all, "Vladimir Putin", date(2010, 6, 1)),
        ["RUSGOV"]
    );
    assert_eq!(codes_on(&all, "Barack Obama", date(2012, 6, 1)), ["USAGOV"]);
    assert!(codes_on(&all, "Angela Merkel", date(2010, 6, 1)).contains(&"DEUGOV".to_owned()));
    let putin = all
        .people
        .iter()
        .find(|p| p.name == "Vladimir Putin")
        .unwrap();
    assert!(putin.aliases.iter().any(|a| a == "Putin"));

    let org = |name: &str| {
        all.organizations
            .iter()
            .find(|o| o.name == name || o.aliases.iter().any(|a| a == name))
            .unwrap_or_else(|| panic!("{name} not found"))
    };
    assert_eq!(org("United Nations").code, "IGOUNO");
    assert_eq!(org("NATO").code, "IGOWSTNAT");
    assert_eq!(org("Taliban").code, "AFGREB");
    assert_eq!(org("Taliban").kind, OrgKind::Group);
    assert!(
        org("Hamas").code.starts_with("PSE"),
        "{}",
        org("Hamas").code
    );
    // Countries are Country entries when the compiled-in countries.tsv knows the code.
    assert!(all
        .countries
        .iter()
        .map(|c| (&c.name, &c.code))
        .chain(all.organizations.iter().map(|o| (&o.name, &o.code)))
        .any(|(n, c)| n == "Afghanistan" && c == "AFG"));

    let agent = |phrase: &str| {
        all.agents
            .iter()
            .find(|a| a.phrase == phrase)
            .map(|a| a.code.as_str())
    };
    assert_eq!(agent("soldier"), Some("MIL"));
    assert_eq!(agent("police"), Some("COP"));
}
