//! How often sitrep's own people entries (data/kb/people/) agree with the Phoenix actor
//! dictionaries (../shared/eval/events/petrarch2/Phoenix.*.actors.txt) for the people both
//! contain, computed at run time: only counts and percentages are written to EVALUATION.md, no
//! Phoenix content.
//!
//! - People are matched by normalised name (diacritics folded, lower case, punctuation as
//!   spaces): sitrep's name against a Phoenix actor's name or one of its aliases of two words or
//!   more; a name that several Phoenix actors share is left out (counted as ambiguous).
//! - For every dated role of a matched person (a role with a start date):
//!   - code: Phoenix's codes on the middle day of sitrep's role (an open role runs to today)
//!     contain sitrep's code (exact), or one with the same country part (first three letters);
//!   - dates, against Phoenix's dated codes equal to sitrep's code (not the default codes that
//!     fill the gaps): some range overlaps sitrep's role; some starts within 31 days of it.
//! - Phoenix's people come from CountryInfo of 2014-01-30: roles starting after that are counted
//!   apart.

use std::collections::HashMap;

use anyhow::{Context, Result};
use jiff::civil::{date, Date};
use sitrep_extract::kb::PersonRole;
use unicode_normalization::UnicodeNormalization;

use crate::Env;

const COMMAND: &str = "cargo run --release -p xtask -- eval kb";
const PHOENIX_FILES: [&str; 3] = [
    "Phoenix.Countries.actors.txt",
    "Phoenix.International.actors.txt",
    "Phoenix.MilNonState.actors.txt",
];
/// The date of the CountryInfo file the Phoenix people come from.
const PHOENIX_DATE: Date = date(2014, 1, 30);

pub(crate) fn run(env: &Env) -> Result<()> {
    let dir = env.shared.join("eval/events/petrarch2");
    let mut phoenix = Vec::new();
    for file in PHOENIX_FILES {
        let path = dir.join(file);
        let loaded = sitrep_extract::kb::load::load_file_reporting(&path)
            .with_context(|| format!("loading {}", path.display()))?;
        phoenix.extend(loaded.entries.people);
    }
    let sitrep = sitrep_extract::kb::load::builtin().people;
    let today = jiff::Zoned::now().date();
    let stats = agreement(&sitrep, &phoenix, today);
    let body = report(&stats);
    println!("{body}");
    crate::write_section(&env.root, "kb", &body)
}

/// Counts for one group of roles.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct Counts {
    roles: usize,
    /// Phoenix has some code for the person on the role's middle day.
    coded: usize,
    code_exact: usize,
    code_country: usize,
    /// Phoenix has a dated code equal to sitrep's.
    same_code_dated: usize,
    overlap: usize,
    start_31: usize,
}

#[derive(Debug, Default)]
struct Stats {
    sitrep_people: usize,
    phoenix_people: usize,
    matched: usize,
    ambiguous: usize,
    /// Roles starting on or before the Phoenix file's date, and after it.
    before: Counts,
    after: Counts,
}

/// A name for matching: diacritics folded, lower case, letters and digits only, one space.
fn normalise(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut space = false;
    for c in name
        .nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
    {
        if c.is_alphanumeric() {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.extend(c.to_lowercase());
        } else {
            space = true;
        }
    }
    out
}

/// The Phoenix people keyed by actor (file and line), and the index of their names.
fn agreement(sitrep: &[PersonRole], phoenix: &[PersonRole], today: Date) -> Stats {
    // Phoenix actors: their roles, by (file, line) of the actor.
    let mut actors: HashMap<(&str, u32), Vec<&PersonRole>> = HashMap::new();
    for role in phoenix {
        actors
            .entry((role.source.file.as_str(), role.source.line))
            .or_default()
            .push(role);
    }
    let mut by_name: HashMap<String, Vec<(&str, u32)>> = HashMap::new();
    for (&key, roles) in &actors {
        let first = roles[0];
        let names = std::iter::once(&first.name).chain(
            first
                .aliases
                .iter()
                .filter(|a| a.split_whitespace().count() >= 2),
        );
        for name in names {
            let ids = by_name.entry(normalise(name)).or_default();
            if !ids.contains(&key) {
                ids.push(key);
            }
        }
    }

    let mut people: Vec<(&str, Vec<&PersonRole>)> = Vec::new();
    let mut index: HashMap<&str, usize> = HashMap::new();
    for role in sitrep {
        let i = *index.entry(role.name.as_str()).or_insert_with(|| {
            people.push((role.name.as_str(), Vec::new()));
            people.len() - 1
        });
        people[i].1.push(role);
    }

    let mut stats = Stats {
        sitrep_people: people.len(),
        phoenix_people: actors.len(),
        ..Stats::default()
    };
    for (name, roles) in &people {
        let Some(ids) = by_name.get(&normalise(name)) else {
            continue;
        };
        if ids.len() > 1 {
            stats.ambiguous += 1;
            continue;
        }
        stats.matched += 1;
        let theirs = &actors[&ids[0]];
        for role in roles {
            let Some(from) = role.from else { continue };
            let to = role.to.unwrap_or(today).max(from);
            let counts = if from <= PHOENIX_DATE {
                &mut stats.before
            } else {
                &mut stats.after
            };
            counts.roles += 1;
            let middle = from
                .checked_add(jiff::Span::new().days(from.until(to).map_or(0, |s| s.get_days()) / 2))
                .unwrap_or(from);
            let on_day: Vec<&str> = theirs
                .iter()
                .filter(|p| p.holds_on(middle))
                .map(|p| p.code.as_str())
                .collect();
            if !on_day.is_empty() {
                counts.coded += 1;
            }
            if on_day.contains(&role.code.as_str()) {
                counts.code_exact += 1;
            }
            if on_day.iter().any(|c| c.get(..3) == role.code.get(..3)) {
                counts.code_country += 1;
            }
            let dated: Vec<&&PersonRole> = theirs
                .iter()
                .filter(|p| p.role != "default" && p.code == role.code)
                .collect();
            if !dated.is_empty() {
                counts.same_code_dated += 1;
            }
            if dated
                .iter()
                .any(|p| p.from.is_none_or(|f| f <= to) && p.to.is_none_or(|t| from <= t))
            {
                counts.overlap += 1;
            }
            if dated.iter().any(|p| {
                p.from
                    .and_then(|f| f.until(from).ok())
                    .is_some_and(|s| s.get_days().abs() <= 31)
            }) {
                counts.start_31 += 1;
            }
        }
    }
    stats
}

fn pct(part: usize, whole: usize) -> String {
    if whole == 0 {
        "–".to_owned()
    } else {
        format!("{:.1}%", 100.0 * part as f64 / whole as f64)
    }
}

fn report(s: &Stats) -> String {
    let mut out = String::new();
    out.push_str("## Knowledge base: sitrep's people beside Phoenix\n\n");
    out.push_str(&format!(
        "sitrep's compiled-in people ({} people) matched by normalised name against the Phoenix \
         actor dictionaries ({} people with dated codes, CountryInfo of 2014-01-30): {} matched, \
         {} left out as ambiguous. Per dated role of a matched person: \"code\" compares \
         Phoenix's codes on the middle day of the role; \"dates\" compares Phoenix's dated codes \
         equal to sitrep's (overlapping range; start within 31 days). Command: `{COMMAND}`.\n\n",
        s.sitrep_people, s.phoenix_people, s.matched, s.ambiguous
    ));
    out.push_str("| roles | count | Phoenix has a code | code exact | code country | same code dated | range overlaps | start ±31 days |\n");
    out.push_str("|---|---:|---:|---:|---:|---:|---:|---:|\n");
    let all = Counts {
        roles: s.before.roles + s.after.roles,
        coded: s.before.coded + s.after.coded,
        code_exact: s.before.code_exact + s.after.code_exact,
        code_country: s.before.code_country + s.after.code_country,
        same_code_dated: s.before.same_code_dated + s.after.same_code_dated,
        overlap: s.before.overlap + s.after.overlap,
        start_31: s.before.start_31 + s.after.start_31,
    };
    for (label, c) in [
        ("starting by 2014-01-30", s.before),
        ("starting later", s.after),
        ("all", all),
    ] {
        out.push_str(&format!(
            "| {label} | {} | {} | {} | {} | {} | {} | {} |\n",
            c.roles,
            pct(c.coded, c.roles),
            pct(c.code_exact, c.roles),
            pct(c.code_country, c.roles),
            pct(c.same_code_dated, c.roles),
            pct(c.overlap, c.roles),
            pct(c.start_31, c.roles),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use sitrep_extract::kb::SourceLine;

    fn role(name: &str, code: &str, from: Option<Date>, to: Option<Date>, line: u32) -> PersonRole {
        PersonRole {
            name: name.to_owned(),
            aliases: Vec::new(),
            code: code.to_owned(),
            role: String::new(),
            from,
            to,
            source: SourceLine {
                file: "f".to_owned(),
                line,
            },
        }
    }

    #[test]
    fn normalises_names() {
        assert_eq!(normalise("Recep Tayyip Erdoğan"), "recep tayyip erdogan");
        assert_eq!(normalise("  Bashar al-Assad "), "bashar al assad");
    }

    #[test]
    fn counts_agreement() {
        let ours = [
            role(
                "Odo Kinbote",
                "ZMBGOV",
                Some(date(1999, 1, 10)),
                Some(date(2003, 6, 30)),
                1,
            ),
            role(
                "Odo Kinbote",
                "ZMBMIL",
                Some(date(2005, 1, 1)),
                Some(date(2006, 1, 1)),
                2,
            ),
            role("John Shade", "ZMBGOV", Some(date(2001, 1, 1)), None, 3),
        ];
        let theirs = [
            role(
                "Odo Kinbote",
                "ZMBGOV",
                Some(date(1999, 1, 1)),
                Some(date(2003, 6, 30)),
                10,
            ),
            role("Odo Kinbote", "ZMBELI", Some(date(2003, 7, 1)), None, 10),
        ];
        let s = agreement(&ours, &theirs, date(2024, 1, 1));
        assert_eq!((s.matched, s.sitrep_people, s.phoenix_people), (1, 2, 1));
        assert_eq!(
            s.before,
            Counts {
                roles: 2,
                coded: 2,
                code_exact: 1,
                code_country: 2,
                same_code_dated: 1,
                overlap: 1,
                start_31: 1,
            }
        );
    }
}
