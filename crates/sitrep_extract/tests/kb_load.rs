//! sitrep's own dictionary format (docs/knowledge-base.md): every compiled-in file parses, and
//! each kind of malformed line fails with the file, the line and what was expected.

use std::path::PathBuf;

use jiff::civil::date;
use sitrep_extract::kb::load::{builtin, builtin_files, load_file, parse};
use sitrep_extract::kb::{KbError, OrgKind};

#[test]
fn every_compiled_in_file_parses() {
    for (name, text) in builtin_files() {
        if let Err(e) = parse(name, text) {
            panic!("{e}\nhint: fix the line above; the knowledge base is compiled in");
        }
    }
    let all = builtin();
    let lines: usize = builtin_files()
        .iter()
        .map(|(_, t)| {
            t.lines()
                .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
                .count()
        })
        .sum();
    let parsed =
        all.countries.len() + all.organizations.len() + all.people.len() + all.agents.len();
    assert_eq!(parsed, lines, "every data line gives one entry");
}

fn error(text: &str) -> String {
    parse("my.tsv", text).unwrap_err().to_string()
}

#[test]
fn too_few_columns() {
    assert_eq!(
        error("#sitrep people\nVladimir Putin\tPutin\tRUSGOV\n"),
        "dictionary my.tsv line 2: expected 6 tab-separated columns (name, aliases, code, role, from, to), found 3"
    );
    assert_eq!(
        error("#sitrep organizations\nIGOUNO\tORG\tUnited Nations\tUN\textra\n"),
        "dictionary my.tsv line 2: expected 4 tab-separated columns (code, label, name, aliases), found 5"
    );
}

#[test]
fn spaces_instead_of_tabs() {
    assert!(error("#sitrep agents\ntroops  MIL\n")
        .ends_with("found 1 (separate the columns with tabs, not spaces)"));
}

#[test]
fn bad_date() {
    let text = "#sitrep people\n# a\n# b\n\n\n\nVladimir Putin\t\tRUSGOV\tpresident\t2017-13-01\n";
    assert_eq!(
        error(text),
        "dictionary my.tsv line 7: \"2017-13-01\" is not a date (YYYY-MM-DD, YYYY-MM or YYYY)"
    );
}

#[test]
fn dates_in_the_wrong_order() {
    assert_eq!(
        error("#sitrep people\nA B\t\tRUSGOV\tpresident\t2012-05-07\t2008-05-07\n"),
        "dictionary my.tsv line 2: the role ends (2008-05-07) before it starts (2012-05-07): swap the dates or fix the typo"
    );
}

#[test]
fn bad_code_shape() {
    assert_eq!(
        error("#sitrep people\nA B\t\tRUS-GOV\tpresident\n"),
        "dictionary my.tsv line 2: \"RUS-GOV\" is not a CAMEO actor code (upper-case letters or digits in groups of three, like RUSGOV or IGOUNO)"
    );
    assert!(error("#sitrep countries\nRussia\tRU\tRussia\n").contains(
        "line 2: \"Russia\" is not a CAMEO country code (three upper-case letters, like RUS)"
    ));
    assert!(error("#sitrep agents\ntroops\tmil\n").contains("\"mil\" is not a CAMEO role code"));
}

#[test]
fn empty_required_column() {
    assert_eq!(
        error("#sitrep people\n\t\tRUSGOV\tpresident\n"),
        "dictionary my.tsv line 2: the name column is empty"
    );
}

#[test]
fn bad_label() {
    assert!(
        error("#sitrep organizations\nIGOUNO\tIGO\tUnited Nations\n")
            .ends_with("\"IGO\" is not a label (expected ORG or GROUP)")
    );
}

#[test]
fn unknown_header() {
    assert_eq!(
        error("# my people\n#sitrep persons\n"),
        "dictionary my.tsv line 2: unknown header \"#sitrep persons\" (expected #sitrep countries, #sitrep organizations, #sitrep people or #sitrep agents)"
    );
}

#[test]
fn unknown_kind() {
    let e = error("Vladimir Putin\t\tRUSGOV\tpresident\n");
    assert!(e.starts_with("dictionary my.tsv: cannot tell which kind of dictionary this is"));
    assert!(e.contains("hint: start it with a header line `#sitrep countries`"));
}

fn temp(name: &str, bytes: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("sitrep-kb-load-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

#[test]
fn load_file_reads_sitrep_files_and_reports_problems() {
    let path = temp(
        "mine.tsv",
        "#sitrep organizations\r\nIMGZMBSHD\tGROUP\tShadows\tthe Shadows\r\n".as_bytes(),
    );
    let e = load_file(&path).unwrap();
    assert_eq!(e.organizations[0].kind, OrgKind::Group);
    assert_eq!(e.organizations[0].aliases, ["the Shadows"]);
    assert_eq!(e.organizations[0].source.file, path.display().to_string());

    let missing = load_file(&path.with_file_name("nope.tsv")).unwrap_err();
    assert!(matches!(missing, KbError::Read { .. }));
    assert!(missing.to_string().starts_with("cannot read dictionary "));

    let latin1 = temp(
        "latin1.tsv",
        b"#sitrep agents\nsoldat\tMIL\ngu\xe9rillero\tREB\n",
    );
    let e = load_file(&latin1).unwrap_err().to_string();
    assert!(
        e.ends_with("line 3 is not UTF-8\nhint: convert the file, e.g. `iconv -f latin1 -t utf-8`"),
        "{e}"
    );

    let people = temp(
        "people.tsv",
        "#sitrep people\nOdo Kinbote\tKinbote\tZMBGOV\tking\t1999\t2003-06\n".as_bytes(),
    );
    let e = load_file(&people).unwrap();
    assert_eq!(e.people[0].from, Some(date(1999, 1, 1)));
    assert_eq!(e.people[0].to, Some(date(2003, 6, 30)));
    std::fs::remove_dir_all(path.parent().unwrap()).unwrap();
}
