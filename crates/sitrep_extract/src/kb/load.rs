//! Reading dictionaries: sitrep's tab-separated files (docs/knowledge-base.md) and, through
//! [`super::phoenix`], PETRARCH/Phoenix actor and agent files.
//!
//! [`builtin`] parses the files compiled into the binary; [`load_file`] reads a user dictionary
//! (`--dict PATH`) and recognises its format by content; [`parse`] parses sitrep's format from a
//! string. Every error names the file, the line and what was expected.

use std::path::{Path, PathBuf};

use jiff::civil::Date;

use super::entry::{Agent, Country, Entries, OrgKind, Organization, PersonRole, SourceLine};
use super::phoenix;

/// The compiled-in dictionaries, by their path in the repository (which also gives their kind).
const BUILTIN: [(&str, &str); 6] = [
    (
        "data/kb/countries.tsv",
        include_str!("../../../../data/kb/countries.tsv"),
    ),
    (
        "data/kb/organizations.tsv",
        include_str!("../../../../data/kb/organizations.tsv"),
    ),
    (
        "data/kb/agents.tsv",
        include_str!("../../../../data/kb/agents.tsv"),
    ),
    (
        "data/kb/people/organizations.tsv",
        include_str!("../../../../data/kb/people/organizations.tsv"),
    ),
    (
        "data/kb/people/a-l.tsv",
        include_str!("../../../../data/kb/people/a-l.tsv"),
    ),
    (
        "data/kb/people/m-z.tsv",
        include_str!("../../../../data/kb/people/m-z.tsv"),
    ),
];

/// A dictionary that cannot be read or parsed.
#[derive(Debug, thiserror::Error)]
pub enum KbError {
    /// The file cannot be read.
    #[error("cannot read dictionary {}: {source}\nhint: check the path given to --dict", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The file as a whole is unusable (unknown kind, not UTF-8).
    #[error("dictionary {file}: {problem}")]
    File { file: String, problem: String },
    /// One line is malformed.
    #[error("dictionary {file} line {line}: {problem}")]
    Line {
        file: String,
        line: u32,
        problem: LineProblem,
    },
}

impl KbError {
    /// The 1-based line of a line error.
    pub fn line(&self) -> Option<u32> {
        match self {
            KbError::Line { line, .. } => Some(*line),
            _ => None,
        }
    }

    /// What is wrong with the line, for a line error.
    pub fn problem(&self) -> Option<&LineProblem> {
        match self {
            KbError::Line { problem, .. } => Some(problem),
            _ => None,
        }
    }
}

/// A dictionary as loaded, with the lines skipped on the way: a Phoenix file's date restrictions
/// and agent lines that PETRARCH itself skips with a warning (sitrep's own format skips nothing).
#[derive(Debug, Default)]
pub struct Loaded {
    pub entries: Entries,
    /// One error per skipped line or code, naming the file and line (print them as warnings).
    pub skipped: Vec<KbError>,
}

/// What is wrong with a dictionary line.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum LineProblem {
    /// Too few or too many columns.
    #[error("expected {expected} tab-separated columns ({names}), found {found}{hint}",
        hint = if *found == 1 { " (separate the columns with tabs, not spaces)" } else { "" })]
    Columns {
        expected: usize,
        names: &'static str,
        found: usize,
    },
    /// A `from`/`to` column that is not a date.
    #[error("{0:?} is not a date (YYYY-MM-DD, YYYY-MM or YYYY)")]
    Date(String),
    /// A role that ends before it starts.
    #[error("the role ends ({to}) before it starts ({from}): swap the dates or fix the typo")]
    DateOrder { from: String, to: String },
    /// A code of the wrong shape.
    #[error("{code:?} is not a {what} ({expected})")]
    Code {
        code: String,
        what: &'static str,
        expected: &'static str,
    },
    /// A required column left empty.
    #[error("the {0} column is empty")]
    Empty(&'static str),
    /// An organization label other than ORG or GROUP.
    #[error("{0:?} is not a label (expected ORG or GROUP)")]
    Label(String),
    /// A `#sitrep` header naming no known kind.
    #[error("unknown header {0:?} (expected #sitrep countries, #sitrep organizations, #sitrep people or #sitrep agents)")]
    Header(String),
    /// A malformed line of a PETRARCH/Phoenix file.
    #[error("{0}")]
    Phoenix(String),
}

/// The kinds of sitrep dictionary.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Countries,
    Organizations,
    People,
    Agents,
}

impl Kind {
    fn from_header(word: &str) -> Option<Kind> {
        match word {
            "countries" => Some(Kind::Countries),
            "organizations" => Some(Kind::Organizations),
            "people" => Some(Kind::People),
            "agents" => Some(Kind::Agents),
            _ => None,
        }
    }

    /// The kind a compiled-in file has by its path: `people/*.tsv`, `countries.tsv`,
    /// `organizations.tsv`, `agents.tsv`.
    fn from_path(file_name: &str) -> Option<Kind> {
        let path = Path::new(file_name);
        let in_people = path
            .parent()
            .and_then(Path::file_name)
            .is_some_and(|dir| dir == "people");
        if in_people {
            return Some(Kind::People);
        }
        Kind::from_header(path.file_stem()?.to_str()?)
    }

    /// Columns: (minimum, maximum, names). Trailing optional columns may be left out.
    fn columns(self) -> (usize, usize, &'static str) {
        match self {
            Kind::Countries => (3, 6, "code, iso2, name, aliases, demonyms, metonyms"),
            Kind::Organizations => (3, 4, "code, label, name, aliases"),
            Kind::People => (4, 6, "name, aliases, code, role, from, to"),
            Kind::Agents => (2, 2, "phrase, code"),
        }
    }
}

/// Parses a dictionary in sitrep's format. The kind is chosen by a header line
/// `#sitrep countries|organizations|people|agents` among the comments before the first entry,
/// else by the path (`people/*.tsv`, `countries.tsv`, `organizations.tsv`, `agents.tsv`).
pub fn parse(file_name: &str, text: &str) -> Result<Entries, KbError> {
    let kind = match header(file_name, text)? {
        Some(kind) => kind,
        None => Kind::from_path(file_name).ok_or_else(|| KbError::File {
            file: file_name.to_owned(),
            problem: "cannot tell which kind of dictionary this is\nhint: start it with a header line \
                      `#sitrep countries`, `#sitrep organizations`, `#sitrep people` or `#sitrep agents`"
                .to_owned(),
        })?,
    };
    let mut entries = Entries::default();
    let (min, max, names) = kind.columns();
    let mut fields: Vec<&str> = Vec::with_capacity(max);
    for (index, raw) in text.lines().enumerate() {
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let line_no = u32::try_from(index + 1).unwrap_or(u32::MAX);
        let fail = |problem| KbError::Line {
            file: file_name.to_owned(),
            line: line_no,
            problem,
        };
        fields.clear();
        fields.extend(line.split('\t').map(str::trim));
        if fields.len() < min || fields.len() > max {
            return Err(fail(LineProblem::Columns {
                expected: max,
                names,
                found: fields.len(),
            }));
        }
        fields.resize(max, "");
        let source = SourceLine {
            file: file_name.to_owned(),
            line: line_no,
        };
        match kind {
            Kind::Countries => {
                entries
                    .countries
                    .push(country(&fields, source).map_err(fail)?);
            }
            Kind::Organizations => {
                entries
                    .organizations
                    .push(organization(&fields, source).map_err(fail)?);
            }
            Kind::People => entries.people.push(person(&fields, source).map_err(fail)?),
            Kind::Agents => entries.agents.push(agent(&fields, source).map_err(fail)?),
        }
    }
    Ok(entries)
}

/// The kind named by a `#sitrep` header among the leading comment lines, if any.
fn header(file_name: &str, text: &str) -> Result<Option<Kind>, KbError> {
    for (index, raw) in text.lines().enumerate() {
        let line = raw.trim_end();
        if line.is_empty() {
            continue;
        }
        let Some(comment) = line.strip_prefix('#') else {
            return Ok(None);
        };
        let Some(rest) = comment.strip_prefix("sitrep") else {
            continue;
        };
        if !(rest.is_empty() || rest.starts_with([' ', '\t'])) {
            continue;
        }
        let word = rest.trim();
        return Kind::from_header(word)
            .map(Some)
            .ok_or_else(|| KbError::Line {
                file: file_name.to_owned(),
                line: u32::try_from(index + 1).unwrap_or(u32::MAX),
                problem: LineProblem::Header(line.to_owned()),
            });
    }
    Ok(None)
}

fn country(f: &[&str], source: SourceLine) -> Result<Country, LineProblem> {
    let code = f[0];
    if !(code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase())) {
        return Err(LineProblem::Code {
            code: code.to_owned(),
            what: "CAMEO country code",
            expected: "three upper-case letters, like RUS",
        });
    }
    let iso2 = f[1];
    if !(iso2.is_empty() || (iso2.len() == 2 && iso2.bytes().all(|b| b.is_ascii_uppercase()))) {
        return Err(LineProblem::Code {
            code: iso2.to_owned(),
            what: "ISO 3166-1 alpha-2 code",
            expected: "two upper-case letters, like RU, or empty",
        });
    }
    Ok(Country {
        code: code.to_owned(),
        iso2: iso2.to_owned(),
        name: required(f[2], "name")?,
        aliases: list(f[3]),
        demonyms: list(f[4]),
        metonyms: list(f[5]),
        source,
    })
}

fn organization(f: &[&str], source: SourceLine) -> Result<Organization, LineProblem> {
    let code = actor_code(f[0])?;
    let kind = match f[1] {
        "ORG" => OrgKind::Org,
        "GROUP" => OrgKind::Group,
        other => return Err(LineProblem::Label(other.to_owned())),
    };
    Ok(Organization {
        code,
        kind,
        name: required(f[2], "name")?,
        aliases: list(f[3]),
        source,
    })
}

fn person(f: &[&str], source: SourceLine) -> Result<PersonRole, LineProblem> {
    let name = required(f[0], "name")?;
    let code = actor_code(f[2])?;
    let from = date(f[4], false)?;
    let to = date(f[5], true)?;
    if let (Some(a), Some(b)) = (from, to) {
        if b < a {
            return Err(LineProblem::DateOrder {
                from: f[4].to_owned(),
                to: f[5].to_owned(),
            });
        }
    }
    Ok(PersonRole {
        name,
        aliases: list(f[1]),
        code,
        role: f[3].to_owned(),
        from,
        to,
        source,
    })
}

fn agent(f: &[&str], source: SourceLine) -> Result<Agent, LineProblem> {
    let phrase = required(f[0], "phrase")?.to_lowercase();
    let code = f[1];
    if !is_code(code) {
        return Err(LineProblem::Code {
            code: code.to_owned(),
            what: "CAMEO role code",
            expected: "upper-case letters in groups of three, like MIL or GOV",
        });
    }
    Ok(Agent {
        phrase,
        code: code.to_owned(),
        source,
    })
}

fn required(value: &str, column: &'static str) -> Result<String, LineProblem> {
    if value.is_empty() {
        Err(LineProblem::Empty(column))
    } else {
        Ok(value.to_owned())
    }
}

fn actor_code(code: &str) -> Result<String, LineProblem> {
    if code.is_empty() {
        return Err(LineProblem::Empty("code"));
    }
    if !is_code(code) {
        return Err(LineProblem::Code {
            code: code.to_owned(),
            what: "CAMEO actor code",
            expected: "upper-case letters or digits in groups of three, like RUSGOV or IGOUNO",
        });
    }
    Ok(code.to_owned())
}

/// Upper-case letters or digits in groups of three, at most five groups.
pub(crate) fn is_code(code: &str) -> bool {
    matches!(code.len(), 3 | 6 | 9 | 12 | 15)
        && code
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}

/// A list column: items separated by `;`, trimmed, empty items dropped.
fn list(value: &str) -> Vec<String> {
    value
        .split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// `YYYY-MM-DD`, `YYYY-MM` or `YYYY`; empty is `None`. A partial date is the first day of its
/// period, or the last when `end` (a role "to 2008" lasts through 2008-12-31).
fn date(value: &str, end: bool) -> Result<Option<Date>, LineProblem> {
    if value.is_empty() {
        return Ok(None);
    }
    let bad = || LineProblem::Date(value.to_owned());
    let mut parts = value.split('-');
    let mut number = |len: usize| -> Result<Option<i16>, LineProblem> {
        match parts.next() {
            None => Ok(None),
            Some(p) if p.len() == len && p.bytes().all(|b| b.is_ascii_digit()) => {
                p.parse().map(Some).map_err(|_| bad())
            }
            Some(_) => Err(bad()),
        }
    };
    let year = number(4)?.ok_or_else(bad)?;
    let month = number(2)?;
    let day = number(2)?;
    if parts.next().is_some() {
        return Err(bad());
    }
    let date = match (month, day) {
        (None, _) => {
            let first = Date::new(year, 1, 1).map_err(|_| bad())?;
            if end {
                first.last_of_year()
            } else {
                first
            }
        }
        (Some(m), None) => {
            let m = i8::try_from(m).map_err(|_| bad())?;
            let first = Date::new(year, m, 1).map_err(|_| bad())?;
            if end {
                first.last_of_month()
            } else {
                first
            }
        }
        (Some(m), Some(d)) => {
            let m = i8::try_from(m).map_err(|_| bad())?;
            let d = i8::try_from(d).map_err(|_| bad())?;
            Date::new(year, m, d).map_err(|_| bad())?
        }
    };
    Ok(Some(date))
}

/// The compiled-in knowledge base (`data/kb/`). Cannot fail: the unit tests parse every
/// compiled-in file and fail with the error if one is malformed.
pub fn builtin() -> Entries {
    let mut entries = Entries::default();
    for (name, text) in BUILTIN {
        match parse(name, text) {
            Ok(e) => entries.extend(e),
            // Unreachable once `builtin_files_parse` passes: the files are compiled in.
            Err(e) => panic!("compiled-in knowledge base is malformed: {e}"),
        }
    }
    entries
}

/// The CAMEO country codes of the compiled-in `countries.tsv`, sorted (for telling bare country
/// codes in Phoenix files from other three-letter codes).
pub(crate) fn builtin_country_codes() -> Vec<String> {
    let mut codes: Vec<String> = parse(BUILTIN[0].0, BUILTIN[0].1)
        .map(|e| e.countries.into_iter().map(|c| c.code).collect())
        .unwrap_or_default();
    codes.sort_unstable();
    codes.dedup();
    codes
}

/// The compiled-in dictionaries as (path, text), for tests and tools.
pub fn builtin_files() -> &'static [(&'static str, &'static str)] {
    &BUILTIN
}

/// Reads a user dictionary: sitrep's format (a `#sitrep` header, or a recognisable path), or
/// a PETRARCH/Phoenix `.actors`/`.agents` file, recognised by its content. What PETRARCH skips in
/// its own files (a date like 990231, an agent without a code) is skipped here too: see
/// [`load_file_reporting`] to report those lines.
pub fn load_file(path: &Path) -> Result<Entries, KbError> {
    load_file_reporting(path).map(|loaded| loaded.entries)
}

/// [`load_file`], also returning the lines skipped, to print as warnings.
pub fn load_file_reporting(path: &Path) -> Result<Loaded, KbError> {
    let bytes = std::fs::read(path).map_err(|source| KbError::Read {
        path: path.to_owned(),
        source,
    })?;
    let file_name = path.display().to_string();
    let text = String::from_utf8(bytes).map_err(|e| {
        let before = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        KbError::File {
            file: file_name.clone(),
            problem: format!(
                "line {line} is not UTF-8\nhint: convert the file, e.g. `iconv -f latin1 -t utf-8`"
            ),
        }
    })?;
    if phoenix::looks_like_phoenix(&text) {
        phoenix::parse(&file_name, &text)
    } else {
        parse(&file_name, &text).map(|entries| Loaded {
            entries,
            skipped: Vec::new(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(name: &str, text: &str) -> String {
        parse(name, text).unwrap_err().to_string()
    }

    #[test]
    fn builtin_files_parse() {
        for (name, text) in BUILTIN {
            if let Err(e) = parse(name, text) {
                panic!("{e}");
            }
        }
        let _ = builtin();
    }

    #[test]
    fn people_lines_and_dates() {
        let text = "#sitrep people\n\
                    Vladimir Putin\tPutin; Vladimir Vladimirovich Putin\tRUSGOV\tpresident\t2000-05-07\t2008-05-07\n\
                    Vladimir Putin\tPutin\tRUSGOV\tprime minister\t2008-05\t2012\n\
                    Vladimir Putin\tPutin\tRUSGOV\tpresident\t2012-05-07\n\
                    Alexei Navalny\t\tRUSOPP\topposition leader\n";
        let e = parse("my.tsv", text).unwrap();
        assert_eq!(e.people.len(), 4);
        let p = &e.people[0];
        assert_eq!(p.aliases, ["Putin", "Vladimir Vladimirovich Putin"]);
        assert_eq!(p.from, Some(jiff::civil::date(2000, 5, 7)));
        assert_eq!(e.people[1].from, Some(jiff::civil::date(2008, 5, 1)));
        assert_eq!(e.people[1].to, Some(jiff::civil::date(2012, 12, 31)));
        assert_eq!(e.people[2].to, None);
        assert_eq!((e.people[3].from, e.people[3].to), (None, None));
        assert_eq!(e.people[3].source.line, 5);
    }

    #[test]
    fn kinds_by_path_and_header() {
        let e = parse("data/kb/people/x.tsv", "A B\t\tUSAGOV\tpresident\n").unwrap();
        assert_eq!(e.people.len(), 1);
        let e = parse("data/kb/agents.tsv", "troops\tMIL\n").unwrap();
        assert_eq!(e.agents[0].code, "MIL");
        let e = parse(
            "x.txt",
            "# mine\n#sitrep organizations\nIGOUNO\tORG\tUnited Nations\tUN; U.N.\n",
        )
        .unwrap();
        assert_eq!(e.organizations[0].aliases, ["UN", "U.N."]);
        let e = parse(
            "c.tsv",
            "#sitrep countries\nRUS\tRU\tRussia\t\tRussian\tMoscow; the Kremlin\n",
        )
        .unwrap();
        assert_eq!(e.countries[0].metonyms, ["Moscow", "the Kremlin"]);
    }

    #[test]
    fn errors_name_file_line_and_expectation() {
        assert_eq!(
            err("my.tsv", "#sitrep people\na\tb\tc\n"),
            "dictionary my.tsv line 2: expected 6 tab-separated columns (name, aliases, code, role, from, to), found 3"
        );
        assert!(err(
            "my.tsv",
            "#sitrep people\n\n\n\n\n\nX\t\tRUSGOV\tp\t2017-13-01\n"
        )
        .ends_with("line 7: \"2017-13-01\" is not a date (YYYY-MM-DD, YYYY-MM or YYYY)"));
        assert!(err("my.tsv", "#sitrep people\nX\t\trusgov\tp\n")
            .contains("\"rusgov\" is not a CAMEO actor code"));
        assert!(err("my.tsv", "#sitrep nations\n").contains("line 1: unknown header"));
        assert!(err("my.tsv", "X\t\tRUSGOV\tp\n").contains("cannot tell which kind"));
        assert!(err("my.tsv", "#sitrep organizations\nIGOUNO\tOrg\tUN\n")
            .contains("\"Org\" is not a label"));
        assert!(
            err("my.tsv", "#sitrep people\nX\t\tRUSGOV\tp\t2012\t2008\n")
                .contains("ends (2008) before it starts (2012)")
        );
        assert!(
            err("my.tsv", "#sitrep countries\nRUS\tRUS\tRussia\n").contains("ISO 3166-1 alpha-2")
        );
        assert!(err("my.tsv", "#sitrep agents\ntroops MIL\n")
            .contains("found 1 (separate the columns with tabs"));
    }

    #[test]
    fn dates() {
        assert_eq!(
            date("2024-02", true),
            Ok(Some(jiff::civil::date(2024, 2, 29)))
        );
        assert_eq!(date("1999", false), Ok(Some(jiff::civil::date(1999, 1, 1))));
        for bad in [
            "2017-13-01",
            "2017-02-30",
            "17-01-01",
            "2017-1-1",
            "2017-01-01-",
            "x",
        ] {
            assert!(date(bad, false).is_err(), "{bad}");
        }
    }
}
