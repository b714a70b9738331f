//! PETRARCH/Phoenix dictionaries: `.actors` files (`Phoenix.Countries.actors.txt`,
//! `Phoenix.International.actors.txt`, `Phoenix.MilNonState.actors.txt`) and `.agents` files
//! (`Phoenix.agents.txt`), read into sitrep's [`Entries`].
//!
//! # The syntax read
//!
//! Both kinds: a line starting with `#` is a comment, and so is everything after a `#` inside a
//! line; `<!-- … -->` comments (also over several lines); blank lines; `---STOP---` ends the file.
//! Words are joined by `_` (a trailing `_` is ignored) or spaces.
//!
//! Actors:
//! ```text
//! ZEMBLA_                          [ZMB]          an actor with its code on its line
//! +ZEMBLAN_REPUBLIC_                              an alias of the actor above (`; comment` allowed)
//! ODO_KINBOTE_                                    an actor whose codes follow, tab-indented:
//!     [ZMBGOV 990101-030630]                      YYMMDD-YYMMDD: from-to, both days included
//!     [ZMBGOV >080508]                            from that day on
//!     [ZMBOPP <981231]                            until that day
//!     [ZMBELI]                                    the default: whenever no dated code applies
//! JOHN_SHADE_ [ZMBGOV 20010101-20051231] [ELI]    codes inline; YYYYMMDD dates
//! PALE_FIRE_ [---]                                no code: the entry is ignored
//! ```
//! Six- and seven-digit dates are YYMMDD with years 00–30 read as 20YY and 31–99 as 19YY (as
//! PETRARCH does; a seventh digit is ignored), eight or more digits are YYYYMMDD (digits after
//! the eighth are ignored).
//!
//! Agents:
//! ```text
//! !PERSON! = MAN, MEN, WOMAN         a substitution set, used as `SENTRY!PERSON!`
//! TROOPER [~MIL]                     a role noun and its code, appended to the actor's (`~MIL`)
//! GUARDSMAN {GUARDSMEN} [~MIL]       with its plural (ignored: sitrep matches lemmas)
//! TRUCE_MONITOR [IGO~]               a code put before the actor's (`IGO~`)
//! ```
//!
//! # The mapping to sitrep's entries
//!
//! - An actor with at least one dated code is a person: one [`PersonRole`] per dated code (role
//!   `""`), and its default code fills the time no dated code covers (role `"default"`: before
//!   the first, between and after them), so that exactly PETRARCH's code holds on every day
//!   where its dated codes do not overlap.
//! - An actor without dates whose code is a bare country code of the compiled-in knowledge base
//!   (`[AFG]`) is a [`Country`] with that code, its name and aliases (Phoenix lists cities and
//!   provinces there, which PETRARCH codes as the country), and no ISO code, demonyms or
//!   metonyms.
//! - Any other undated actor is an [`Organization`]: label GROUP when its code has a sector of
//!   armed or political non-state actors (IMG, REB, INS, UAF, SEP, RAD, OPP, PTY), else ORG. Its
//!   first code is used. (Phoenix does not mark people: an individual without dates, such as a
//!   UN official listed as `[IGOUNO]`, becomes an organization entry with the right code.)
//! - Agents become [`Agent`]s: the phrase in lower case with `_` as spaces, each substitution
//!   expanded; the code without its `~`.
//! - Names: Phoenix writes them in capitals; sitrep matches names with capitals
//!   case-sensitively, so they are title-cased ("VLADIMIR_PUTIN_" → "Vladimir Putin",
//!   "BASHAR_AL-ASSAD_" → "Bashar al-Assad", "U.N." stays), and for organizations short
//!   words stay in capitals ("UN", "EU") and a one-word name of up to six letters is also
//!   listed in capitals ("Nato" and "NATO").

use jiff::civil::Date;

use super::entry::{Agent, Country, Entries, OrgKind, Organization, PersonRole, SourceLine};
use super::load::{KbError, LineProblem, Loaded};

/// CAMEO sectors whose organizations are labelled GROUP (armed non-state groups, parties,
/// movements).
const GROUP_SECTORS: [&str; 8] = ["IMG", "REB", "INS", "UAF", "SEP", "RAD", "OPP", "PTY"];

/// Words written in lower case inside a name ("Bashar al-Assad", "Court of Justice").
const PARTICLES: [&str; 24] = [
    "a", "al", "an", "and", "at", "bin", "by", "da", "de", "del", "der", "des", "di", "du", "el",
    "for", "ibn", "in", "la", "le", "of", "on", "the", "von",
];

/// Whether `text` looks like a PETRARCH/Phoenix dictionary rather than a sitrep one: no
/// `#sitrep` header, and its first entries use `[CODE]` brackets or `+ALIAS` lines.
pub fn looks_like_phoenix(text: &str) -> bool {
    for line in text.lines().take(5000) {
        let line = line.trim_end();
        if line.starts_with("#sitrep") {
            return false;
        }
        if line.trim().is_empty() || line.starts_with('#') || line.starts_with("<!") {
            continue;
        }
        if line.contains('[') || line.starts_with('+') || line.starts_with('!') {
            return true;
        }
        if line.split('\t').filter(|f| !f.trim().is_empty()).count() >= 2 {
            return false;
        }
    }
    false
}

/// Parses a Phoenix actors or agents file, telling them apart by content (agent codes carry a
/// `~`). Bare country codes are those of the compiled-in knowledge base.
pub fn parse(file_name: &str, text: &str) -> Result<Loaded, KbError> {
    if is_agents(text) {
        parse_agents(file_name, text)
    } else {
        let countries = super::load::builtin_country_codes();
        parse_actors(file_name, text, &|code| {
            countries.binary_search_by(|c| c.as_str().cmp(code)).is_ok()
        })
    }
}

fn is_agents(text: &str) -> bool {
    for (_, line) in Lines::new(text) {
        if line.starts_with('!') && line.contains('=') {
            return true;
        }
        if let Some(open) = line.find('[') {
            let code = &line[open + 1..];
            return code.trim_start().starts_with('~')
                || code
                    .split(']')
                    .next()
                    .is_some_and(|c| c.trim_end().ends_with('~'));
        }
    }
    false
}

/// The meaningful lines of a Phoenix file, with their 1-based numbers: comments and blank lines
/// dropped, `---STOP---` ending the file.
struct Lines<'a> {
    inner: std::iter::Enumerate<std::str::Lines<'a>>,
    in_comment: bool,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str) -> Self {
        Lines {
            inner: text.lines().enumerate(),
            in_comment: false,
        }
    }
}

impl<'a> Iterator for Lines<'a> {
    type Item = (u32, &'a str);

    fn next(&mut self) -> Option<(u32, &'a str)> {
        loop {
            let (index, raw) = self.inner.next()?;
            let mut line = raw.strip_suffix('\r').unwrap_or(raw);
            if self.in_comment {
                match line.find("-->") {
                    Some(end) => {
                        self.in_comment = false;
                        line = &line[end + 3..];
                    }
                    None => continue,
                }
            }
            if line.starts_with('#') {
                continue;
            }
            if let Some(hash) = line.find('#') {
                line = &line[..hash];
            }
            if let Some(open) = line.find("<!--") {
                match line[open..].find("-->") {
                    // A comment inside the line: keep what precedes it (rare; what follows is lost).
                    Some(_) => line = &line[..open],
                    None => {
                        self.in_comment = true;
                        line = &line[..open];
                    }
                }
            }
            if line.contains("---STOP---") {
                return None;
            }
            let line = line.trim_end();
            if line.trim_start().is_empty() {
                continue;
            }
            return Some((u32::try_from(index + 1).unwrap_or(u32::MAX), line));
        }
    }
}

/// One code of an actor, with its date restriction.
struct Code {
    code: String,
    from: Option<Date>,
    to: Option<Date>,
    dated: bool,
}

/// An actor being read: its primary name, aliases and codes.
struct Actor {
    name: String,
    aliases: Vec<String>,
    codes: Vec<Code>,
    /// Whether a `[…]` was seen: an actor without one shares the codes of the next actor (a
    /// PETRARCH synonym block: `NAME_` lines, each with `+ALIAS_` lines, then the codes).
    coded: bool,
    line: u32,
}

/// Parses a Phoenix actors file; `is_country` tells bare country codes (`AFG`) from other
/// three-letter codes (`NGO`, `MNC`).
pub fn parse_actors(
    file_name: &str,
    text: &str,
    is_country: &dyn Fn(&str) -> bool,
) -> Result<Loaded, KbError> {
    let mut entries = Entries::default();
    let mut skipped = Vec::new();
    let mut current: Option<Actor> = None;
    for (line_no, line) in Lines::new(text) {
        let fail = |message: String| KbError::Line {
            file: file_name.to_owned(),
            line: line_no,
            problem: LineProblem::Phoenix(message),
        };
        // Indentation only matters for codes: an indented name is still a name.
        let line = line.trim_start();
        let (head, brackets) = split_brackets(line).map_err(&fail)?;
        if head.is_empty() {
            // `\t[CODE dates]`: the codes of the current actor.
            let Some(actor) = current.as_mut() else {
                return Err(fail(
                    "a code before any actor name (expected `NAME_ [CODE]` or `NAME_` first)"
                        .into(),
                ));
            };
            actor.coded |= !brackets.is_empty();
            for b in brackets {
                push_code(&mut actor.codes, b, &mut skipped, &fail)?;
            }
        } else if let Some(alias) = line.strip_prefix('+') {
            let Some(actor) = current.as_mut() else {
                return Err(fail(
                    "an alias (+NAME_) before any actor name (expected `NAME_ [CODE]` first)"
                        .into(),
                ));
            };
            let alias = head.strip_prefix('+').unwrap_or(alias);
            let alias = words(alias.split(';').next().unwrap_or(""));
            if alias.is_empty() {
                return Err(fail("an empty alias: expected `+NAME_`".into()));
            }
            actor.aliases.push(alias);
            actor.coded |= !brackets.is_empty();
            for b in brackets {
                push_code(&mut actor.codes, b, &mut skipped, &fail)?;
            }
        } else {
            let mut synonyms = Vec::new();
            match current.take() {
                Some(done) if !done.coded => {
                    synonyms.push(done.name);
                    synonyms.extend(done.aliases);
                }
                Some(done) => finish(file_name, done, is_country, &mut entries)?,
                None => {}
            }
            let name = words(head.split(';').next().unwrap_or(""));
            if name.is_empty() {
                return Err(fail(format!(
                    "expected an actor `NAME_ [CODE]`, found {:?}",
                    line.trim()
                )));
            }
            let mut actor = Actor {
                name,
                aliases: synonyms,
                codes: Vec::new(),
                coded: false,
                line: line_no,
            };
            actor.coded |= !brackets.is_empty();
            for b in brackets {
                push_code(&mut actor.codes, b, &mut skipped, &fail)?;
            }
            current = Some(actor);
        }
    }
    if let Some(done) = current.take() {
        finish(file_name, done, is_country, &mut entries)?;
    }
    Ok(Loaded { entries, skipped })
}

/// Splits a line into the text before its first `[` and the contents of its `[…]` groups.
fn split_brackets(line: &str) -> Result<(&str, Vec<&str>), String> {
    let head_end = line.find('[').unwrap_or(line.len());
    let mut brackets = Vec::new();
    let mut rest = &line[head_end..];
    while let Some(open) = rest.find('[') {
        let Some(close) = rest[open..].find(']') else {
            return Err(format!(
                "an unclosed `[` in {:?}: expected `[CODE]` or `[CODE dates]`",
                line.trim()
            ));
        };
        brackets.push(&rest[open + 1..open + close]);
        rest = &rest[open + close + 1..];
    }
    if rest.contains(']') {
        return Err(format!("a `]` without `[` in {:?}", line.trim()));
    }
    Ok((&line[..head_end], brackets))
}

/// Parses `CODE`, `CODE dates` or `---` and adds it to `codes`. A code of the wrong shape is an
/// error; a bad date restriction is skipped and reported in `skipped`, as PETRARCH skips it.
fn push_code(
    codes: &mut Vec<Code>,
    bracket: &str,
    skipped: &mut Vec<KbError>,
    fail: &dyn Fn(String) -> KbError,
) -> Result<(), KbError> {
    match code(bracket) {
        Ok(Some(code)) => codes.push(code),
        Ok(None) => {}
        Err(Bad::Skip(message)) => skipped.push(fail(format!("{message}; code skipped"))),
        Err(Bad::Fatal(message)) => return Err(fail(message)),
    }
    Ok(())
}

/// A problem in a Phoenix line: one PETRARCH skips with a warning, or one it cannot read.
enum Bad {
    Skip(String),
    Fatal(String),
}

/// Parses the inside of `[…]`: `CODE`, `CODE dates` or `---` (`None`).
fn code(bracket: &str) -> Result<Option<Code>, Bad> {
    let bracket = bracket.trim();
    if bracket.chars().all(|c| c == '-') {
        return Ok(None); // `[---]`: no code
    }
    let (code, dates) = match bracket.split_once(char::is_whitespace) {
        Some((code, dates)) => (code, dates.trim()),
        None => (bracket, ""),
    };
    if code.is_empty()
        || !code
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
    {
        return Err(Bad::Fatal(format!(
            "{code:?} is not a CAMEO code (expected upper-case letters like USAGOV, then optional dates: [USAGOV 010120-090120])"
        )));
    }
    let (from, to) = if dates.is_empty() {
        (None, None)
    } else if let Some(d) = dates.strip_prefix('>') {
        (Some(phoenix_date(d.trim()).map_err(Bad::Skip)?), None)
    } else if let Some(d) = dates.strip_prefix('<') {
        (None, Some(phoenix_date(d.trim()).map_err(Bad::Skip)?))
    } else if let Some((a, b)) = dates.split_once('-') {
        let a = phoenix_date(a.trim()).map_err(Bad::Skip)?;
        let b = phoenix_date(b.trim()).map_err(Bad::Skip)?;
        if b < a {
            return Err(Bad::Skip(format!(
                "the date range {dates:?} ends before it starts (expected YYMMDD-YYMMDD, earlier date first)"
            )));
        }
        (Some(a), Some(b))
    } else {
        return Err(Bad::Skip(format!(
            "{dates:?} is not a date restriction (expected YYMMDD-YYMMDD, >YYMMDD or <YYMMDD)"
        )));
    };
    Ok(Some(Code {
        code: code.to_owned(),
        from,
        to,
        dated: !dates.is_empty(),
    }))
}

/// YYMMDD (six or seven digits; 00–30 is 20YY) or YYYYMMDD (eight or more digits).
fn phoenix_date(s: &str) -> Result<Date, String> {
    let bad = || format!("{s:?} is not a date (expected YYMMDD or YYYYMMDD)");
    if s.len() < 6 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    let num = |r: std::ops::Range<usize>| s[r].parse::<i16>().map_err(|_| bad());
    let (year, rest) = if s.len() <= 7 {
        let yy = num(0..2)?;
        (if yy <= 30 { 2000 + yy } else { 1900 + yy }, 2)
    } else {
        (num(0..4)?, 4)
    };
    let month = i8::try_from(num(rest..rest + 2)?).map_err(|_| bad())?;
    let day = i8::try_from(num(rest + 2..rest + 4)?).map_err(|_| bad())?;
    Date::new(year, month, day).map_err(|_| bad())
}

/// Turns a finished actor into entries (see the module documentation for the mapping).
fn finish(
    file_name: &str,
    actor: Actor,
    is_country: &dyn Fn(&str) -> bool,
    entries: &mut Entries,
) -> Result<(), KbError> {
    let source = SourceLine {
        file: file_name.to_owned(),
        line: actor.line,
    };
    if actor.codes.is_empty() {
        return Ok(()); // `[---]` or never coded: PETRARCH ignores it too
    }
    let person = actor.codes.iter().any(|c| c.dated);
    let name = display(&actor.name, person);
    let mut aliases: Vec<String> = Vec::with_capacity(actor.aliases.len() + 1);
    let add = |alias: String, aliases: &mut Vec<String>| {
        if alias != name && !aliases.contains(&alias) {
            aliases.push(alias);
        }
    };
    for alias in &actor.aliases {
        add(display(alias, person), &mut aliases);
    }
    if person {
        let default = actor
            .codes
            .iter()
            .find(|c| !c.dated)
            .map(|c| c.code.clone());
        let mut dated: Vec<&Code> = actor.codes.iter().filter(|c| c.dated).collect();
        for c in &dated {
            entries.people.push(PersonRole {
                name: name.clone(),
                aliases: aliases.clone(),
                code: c.code.clone(),
                role: String::new(),
                from: c.from,
                to: c.to,
                source: source.clone(),
            });
        }
        if let Some(default) = default {
            dated.sort_by_key(|c| c.from);
            for (from, to) in gaps(&dated) {
                entries.people.push(PersonRole {
                    name: name.clone(),
                    aliases: aliases.clone(),
                    code: default.clone(),
                    role: "default".to_owned(),
                    from,
                    to,
                    source: source.clone(),
                });
            }
        }
        return Ok(());
    }
    let code = actor.codes[0].code.clone();
    if code.len() == 3 && is_country(&code) {
        entries.countries.push(Country {
            code,
            iso2: String::new(),
            name,
            aliases,
            demonyms: Vec::new(),
            metonyms: Vec::new(),
            source,
        });
        return Ok(());
    }
    // Short one-word names may be acronyms ("NATO", "IPCC"): listed in capitals too.
    for raw in std::iter::once(&actor.name).chain(&actor.aliases) {
        if !raw.contains(' ') && raw.chars().count() <= 6 {
            add(raw.to_uppercase(), &mut aliases);
        }
    }
    let group = (0..code.len() / 3).any(|i| GROUP_SECTORS.contains(&&code[i * 3..i * 3 + 3]));
    entries.organizations.push(Organization {
        code,
        kind: if group { OrgKind::Group } else { OrgKind::Org },
        name,
        aliases,
        source,
    });
    Ok(())
}

/// The stretches of time no dated code covers, sorted by start (`None` = unbounded).
fn gaps(dated: &[&Code]) -> Vec<(Option<Date>, Option<Date>)> {
    let mut out = Vec::new();
    // `covered`: the last day covered so far; `None` before the first code.
    let mut covered: Option<Date> = None;
    let mut started = false;
    for c in dated {
        match (started, c.from) {
            (false, Some(from)) => {
                if let Ok(day) = from.yesterday() {
                    out.push((None, Some(day)));
                }
            }
            (true, Some(from)) => {
                if let Some(last) = covered {
                    if let (Ok(a), Ok(b)) = (last.tomorrow(), from.yesterday()) {
                        if a <= b {
                            out.push((Some(a), Some(b)));
                        }
                    }
                }
            }
            (_, None) => {}
        }
        started = true;
        match c.to {
            None => return out,
            Some(to) => covered = Some(covered.map_or(to, |c| c.max(to))),
        }
    }
    if let Some(last) = covered {
        if let Ok(a) = last.tomorrow() {
            out.push((Some(a), None));
        }
    }
    out
}

/// Phoenix words as sitrep text: `_` as spaces, trailing `_` and extra spaces dropped.
fn words(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for word in raw.split(['_', ' ', '\t']).filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// A name in capitals as news would write it (see the module documentation).
fn display(name: &str, person: bool) -> String {
    let mut out = String::with_capacity(name.len());
    for (w, word) in name.split(' ').enumerate() {
        if w > 0 {
            out.push(' ');
        }
        let lower = word.to_lowercase();
        let letters = word.chars().filter(|c| c.is_alphabetic()).count();
        if w > 0 && PARTICLES.contains(&lower.as_str()) {
            out.push_str(&lower);
        } else if !person
            && w + 1 < name.split(' ').count().max(2)
            && letters <= 2
            && !word.contains('.')
        {
            out.push_str(word); // "UN", "EU" inside an organization's name
        } else {
            title_case(word, w > 0, &mut out);
        }
    }
    out
}

/// Title-cases one word: a capital at its start and after `-`, `.`, `(`, `/` and a one-letter
/// `X'` prefix; a leading particle before `-` stays lower case when not first ("al-Assad").
fn title_case(word: &str, inner: bool, out: &mut String) {
    let mut upper_next = true;
    let mut segment_len = 0usize;
    let mut segment_start = out.len();
    let mut first_segment = true;
    for c in word.chars() {
        if c.is_alphabetic() {
            if upper_next {
                out.extend(c.to_uppercase());
            } else {
                out.extend(c.to_lowercase());
            }
            upper_next = false;
            segment_len += 1;
        } else {
            if c == '-' && first_segment && inner {
                let segment = &out[segment_start..];
                let lower = segment.to_lowercase();
                if PARTICLES.contains(&lower.as_str()) {
                    out.truncate(segment_start);
                    out.push_str(&lower);
                }
            }
            upper_next = matches!(c, '-' | '.' | '(' | '/') || (c == '\'' && segment_len == 1);
            out.push(c);
            first_segment = false;
            segment_len = 0;
            segment_start = out.len();
        }
    }
}

/// Parses a Phoenix agents file.
pub fn parse_agents(file_name: &str, text: &str) -> Result<Loaded, KbError> {
    let mut entries = Entries::default();
    let mut skipped = Vec::new();
    let mut sets: Vec<(String, Vec<String>)> = Vec::new();
    for (line_no, line) in Lines::new(text) {
        let fail = |message: String| KbError::Line {
            file: file_name.to_owned(),
            line: line_no,
            problem: LineProblem::Phoenix(message),
        };
        if line.starts_with('!') && line.contains('=') && !line.contains('[') {
            let (marker, items) = line.split_once('=').unwrap_or((line, ""));
            let marker = marker.trim().trim_matches('!');
            if marker.is_empty() || marker.contains('!') {
                return Err(fail(format!(
                    "expected a substitution set like `!PERSON! = MAN, MEN`, found {:?}",
                    line.trim()
                )));
            }
            let items = items
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect();
            sets.retain(|(m, _)| m != marker);
            sets.push((marker.to_owned(), items));
            continue;
        }
        let (head, brackets) = match split_brackets(line) {
            Ok(split) => split,
            Err(message) => {
                // PETRARCH reads such a code as garbage; sitrep skips the line.
                skipped.push(fail(format!("{message}; line skipped")));
                continue;
            }
        };
        let bracket = match brackets[..] {
            [bracket] => bracket,
            [] => {
                // PETRARCH: "Codes are required for agents; line skipped".
                skipped.push(fail(format!(
                    "expected an agent `NOUN_ [~CODE]`, found {:?} without a code; line skipped",
                    line.trim()
                )));
                continue;
            }
            _ => {
                return Err(fail(format!(
                    "expected an agent `NOUN_ [~CODE]` (one code in brackets), found {:?}",
                    line.trim()
                )))
            }
        };
        let code = bracket.trim().trim_matches('~');
        if !super::load::is_code(code) {
            return Err(fail(format!(
                "{:?} is not an agent code (expected [~MIL], [~GOVCOP] or [IGO~])",
                bracket.trim()
            )));
        }
        let phrase = head.split('{').next().unwrap_or("");
        if head.contains('{') && !head.contains('}') {
            skipped.push(fail(
                "a `{` without `}` (expected `NOUN_ {PLURAL_} [~CODE]`); line skipped".into(),
            ));
            continue;
        }
        let source = SourceLine {
            file: file_name.to_owned(),
            line: line_no,
        };
        let expanded = match expand(phrase, &sets) {
            Ok(expanded) => expanded,
            Err(message) => {
                skipped.push(fail(format!("{message}; line skipped")));
                continue;
            }
        };
        for expanded in expanded {
            let phrase = words(&expanded).to_lowercase();
            if phrase.is_empty() {
                return Err(fail(format!("an agent without a noun: {:?}", line.trim())));
            }
            entries.agents.push(Agent {
                phrase,
                code: code.to_owned(),
                source: source.clone(),
            });
        }
    }
    Ok(Loaded { entries, skipped })
}

/// Expands `!MARKER!` substitutions (at most one per phrase, as in PETRARCH).
fn expand(phrase: &str, sets: &[(String, Vec<String>)]) -> Result<Vec<String>, String> {
    let Some(open) = phrase.find('!') else {
        return Ok(vec![phrase.to_owned()]);
    };
    let Some(len) = phrase[open + 1..].find('!') else {
        return Err(format!(
            "an unclosed substitution marker in {:?}: expected !NAME!",
            phrase.trim()
        ));
    };
    let marker = &phrase[open + 1..open + 1 + len];
    let Some((_, items)) = sets.iter().find(|(m, _)| m == marker) else {
        return Err(format!(
            "the substitution marker !{marker}! is not defined (expected a line `!{marker}! = WORD, WORD` above)"
        ));
    };
    let (before, after) = (&phrase[..open], &phrase[open + len + 2..]);
    Ok(items
        .iter()
        .map(|item| format!("{before}{item}{after}"))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn names_are_title_cased() {
        assert_eq!(display("VLADIMIR PUTIN", true), "Vladimir Putin");
        assert_eq!(display("BASHAR AL-ASSAD", true), "Bashar al-Assad");
        assert_eq!(display("AL-QAEDA", false), "Al-Qaeda");
        assert_eq!(
            display("U.N. SECURITY COUNCIL", false),
            "U.N. Security Council"
        );
        assert_eq!(
            display("UN DEPARTMENT OF PEACEKEEPING", false),
            "UN Department of Peacekeeping"
        );
        assert_eq!(display("SEAN O'BRIEN", true), "Sean O'Brien");
        assert_eq!(display("CHILDREN'S FUND", false), "Children's Fund");
    }

    #[test]
    fn dates_follow_petrarch() {
        assert_eq!(phoenix_date("090120"), Ok(date(2009, 1, 20)));
        assert_eq!(phoenix_date("510724"), Ok(date(1951, 7, 24)));
        assert_eq!(phoenix_date("19411207"), Ok(date(1941, 12, 7)));
        assert_eq!(phoenix_date("300101"), Ok(date(2030, 1, 1)));
        assert!(phoenix_date("990231").is_err());
        assert!(phoenix_date("0901").is_err());
    }

    #[test]
    fn detection() {
        assert!(looks_like_phoenix("# x\nZEMBLA_ [ZMB]\n"));
        assert!(!looks_like_phoenix("#sitrep people\nA\t\tZMBGOV\tking\n"));
        assert!(!looks_like_phoenix("troops\tMIL\n"));
        assert!(is_agents("# x\nTROOPER [~MIL]\n"));
        assert!(!is_agents("ZEMBLA_ [ZMB]\n"));
    }
}
