//! [`KnowledgeBase`]: the facts of [`Entries`] compiled into hash maps keyed by normalized names.
//!
//! Names are matched on token boundaries by the entity recognizer: it joins the texts of
//! consecutive tokens (with one space where the text has white space between them, nothing where
//! they touch), lower-cases them, and looks the key up with [`KnowledgeBase::names`]. Every
//! prefix of a name that ends on a possible token boundary is a key too (with no candidates), so
//! the recognizer knows when to keep extending a match and stops at the first token that cannot
//! continue any name: one hash look-up per token for most tokens.
//!
//! Later entries override earlier ones: a name (or alias, demonym, metonym) given again for the
//! same kind of fact replaces the earlier fact's claim to it, and a person's roles given again by
//! a later file replace that person's roles from earlier files (the compiled-in files count as one). People who share a name ("Bush")
//! stay side by side: the document's date chooses between them.

use std::collections::hash_map::Entry;

use jiff::civil::Date;
use rustc_hash::FxHashMap;
use sitrep_doc::EntityLabel;

use super::entry::{Agent, Country, Entries, OrgKind, Organization, PersonRole};

/// What a name stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Target {
    /// A country by index into [`KnowledgeBase::countries`], and which of its names matched.
    Country(u32, CountryForm),
    /// An organization by index into [`KnowledgeBase::organizations`].
    Organization(u32),
    /// A person by index into [`KnowledgeBase::people`].
    Person(u32),
}

/// Which kind of country name matched.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CountryForm {
    /// The name or an alias ("Russia", "the Russian Federation"): a GPE.
    Name,
    /// An adjective or nationality noun ("Russian", "Russians"): a NORP.
    Demonym,
    /// A capital or seat of power ("Moscow", "the Kremlin"): a GPE that may stand for the government.
    Metonym,
}

/// One fact a name may stand for, with the name as written in the dictionary.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Candidate {
    pub target: Target,
    /// The name as the dictionary writes it (white space collapsed).
    pub form: Box<str>,
    /// The dictionary form has capitals: the text must match it case for case (except for the
    /// first letter at a sentence start).
    pub cased: bool,
}

/// A key of the name index: a whole name (with candidates), a prefix of one, or both.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NameNode {
    /// Facts the key names, in dictionary order (the last one is the latest).
    pub candidates: Vec<Candidate>,
    /// Some longer name starts with this key.
    pub prefix: bool,
}

/// A person with every role the dictionaries give them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Person {
    pub name: String,
    pub roles: Vec<PersonRole>,
}

impl Person {
    /// The role held on `date`: the one whose dates contain it (the latest-starting one when
    /// several do), else the role nearest in time. Without a date, the role held today.
    pub fn role_on(&self, date: Option<Date>) -> Option<&PersonRole> {
        let date = date.unwrap_or_else(today);
        let holding = self
            .roles
            .iter()
            .filter(|r| r.holds_on(date))
            .max_by_key(|r| r.from);
        holding.or_else(|| {
            self.roles.iter().min_by_key(|r| {
                let gap = |d: Date| (date - d).get_days().unsigned_abs();
                match (r.from, r.to) {
                    (Some(f), _) if date < f => gap(f),
                    (_, Some(t)) => gap(t),
                    _ => 0,
                }
            })
        })
    }

    /// Whether the person holds some role on `date`.
    pub fn active_on(&self, date: Option<Date>) -> bool {
        let date = date.unwrap_or_else(today);
        self.roles.iter().any(|r| r.holds_on(date))
    }
}

fn today() -> Date {
    jiff::Zoned::now().date()
}

/// The knowledge base compiled for look-up. Cheap to share behind an `Arc`.
#[derive(Clone, Debug, Default)]
pub struct KnowledgeBase {
    countries: Vec<Country>,
    organizations: Vec<Organization>,
    people: Vec<Person>,
    names: FxHashMap<Box<str>, NameNode>,
    /// Agent phrases (lower case, lemmas joined by spaces) → role code; prefixes map to "".
    agents: FxHashMap<Box<str>, Box<str>>,
    /// Longest agent phrase, in words.
    agent_words: usize,
    /// Country code → index.
    country_codes: FxHashMap<Box<str>, u32>,
    /// Normalized canonical names → the fact they name, for the actor coder: places (countries
    /// and metonyms, without a leading "the"), organizations, people.
    canonical_places: FxHashMap<Box<str>, Target>,
    canonical_orgs: FxHashMap<Box<str>, Target>,
    canonical_people: FxHashMap<Box<str>, Target>,
}

impl KnowledgeBase {
    /// Compiles `entries`; later entries override earlier ones with the same name.
    pub fn new(entries: Entries) -> KnowledgeBase {
        let Entries {
            countries,
            organizations,
            people,
            agents,
        } = entries;
        let mut kb = KnowledgeBase::default();
        let mut key = String::new();

        for country in countries {
            let i = kb.countries.len() as u32;
            let forms = std::iter::once((&country.name, CountryForm::Name))
                .chain(country.aliases.iter().map(|a| (a, CountryForm::Name)))
                .chain(country.demonyms.iter().map(|d| (d, CountryForm::Demonym)))
                .chain(country.metonyms.iter().map(|m| (m, CountryForm::Metonym)));
            for (form, kind) in forms {
                kb.add_name(form, Target::Country(i, kind), &mut key);
            }
            normalize_into(&country.name, &mut key);
            kb.canonical_places
                .insert(key.as_str().into(), Target::Country(i, CountryForm::Name));
            for m in &country.metonyms {
                normalize_into(m.strip_prefix("the ").unwrap_or(m), &mut key);
                kb.canonical_places.insert(
                    key.as_str().into(),
                    Target::Country(i, CountryForm::Metonym),
                );
            }
            kb.country_codes.insert(country.code.as_str().into(), i);
            kb.countries.push(country);
        }

        for org in organizations {
            let i = kb.organizations.len() as u32;
            for form in std::iter::once(&org.name).chain(&org.aliases) {
                kb.add_name(form, Target::Organization(i), &mut key);
            }
            normalize_into(&org.name, &mut key);
            kb.canonical_orgs
                .insert(key.as_str().into(), Target::Organization(i));
            kb.organizations.push(org);
        }

        // People: group roles by name; a later file's roles for a name replace earlier files'. The
        // compiled-in files count as one source, so a person's national and organizational roles
        // (Guterres: Portugal, then the UN) merge; only user dictionaries replace them.
        let mut by_name: FxHashMap<String, (u32, String)> = FxHashMap::default();
        for role in people {
            normalize_into(&role.name, &mut key);
            let i = match by_name.entry(key.clone()) {
                Entry::Occupied(mut e) => {
                    let (i, file) = e.get_mut();
                    if source_group(file) != source_group(&role.source.file) {
                        kb.people[*i as usize].roles.clear();
                        file.clone_from(&role.source.file);
                    }
                    *i
                }
                Entry::Vacant(e) => {
                    let i = kb.people.len() as u32;
                    e.insert((i, role.source.file.clone()));
                    kb.people.push(Person {
                        name: role.name.clone(),
                        roles: Vec::new(),
                    });
                    i
                }
            };
            kb.people[i as usize].roles.push(role);
        }
        for i in 0..kb.people.len() {
            let person = &kb.people[i];
            let mut forms: Vec<String> = vec![person.name.clone()];
            for role in &person.roles {
                for a in &role.aliases {
                    if !forms.contains(a) {
                        forms.push(a.clone());
                    }
                }
            }
            normalize_into(&person.name, &mut key);
            kb.canonical_people
                .insert(key.as_str().into(), Target::Person(i as u32));
            for form in &forms {
                kb.add_name(form, Target::Person(i as u32), &mut key);
            }
        }

        for Agent { phrase, code, .. } in agents {
            normalize_into(&phrase, &mut key);
            if key.is_empty() {
                continue;
            }
            kb.agent_words = kb.agent_words.max(key.split(' ').count());
            for (at, _) in key.match_indices(' ') {
                kb.agents
                    .entry(key[..at].into())
                    .or_insert_with(|| "".into());
            }
            kb.agents.insert(key.as_str().into(), code.as_str().into());
        }
        kb
    }

    /// Adds `form` as a name of `target`: replaces earlier claims of the same kind of fact
    /// (people excepted: namesakes coexist), and marks its prefixes.
    fn add_name(&mut self, form: &str, target: Target, key: &mut String) {
        normalize_into(form, key);
        if key.is_empty() {
            return;
        }
        let written = collapse_space(form);
        let cased = written.chars().any(char::is_uppercase);
        // Prefixes ending where a token may end: before a space, or next to a non-alphanumeric
        // character ("al-" in "al-Qaeda", "U." in "U.S.").
        let bytes = key.as_bytes();
        for (at, c) in key.char_indices().skip(1) {
            let prev = key[..at].chars().next_back().unwrap_or(' ');
            let boundary =
                c == ' ' || !c.is_alphanumeric() || (!prev.is_alphanumeric() && prev != ' ');
            if boundary && bytes[at - 1] != b' ' {
                self.names.entry(key[..at].into()).or_default().prefix = true;
            }
        }
        let node = self.names.entry(key.as_str().into()).or_default();
        let same_kind = |c: &Candidate| match (c.target, target) {
            (Target::Person(a), Target::Person(b)) => a == b,
            (Target::Country(..), Target::Country(..)) => true,
            (Target::Organization(_), Target::Organization(_)) => true,
            _ => false,
        };
        node.candidates.retain(|c| !same_kind(c));
        node.candidates.push(Candidate {
            target,
            form: written.into(),
            cased,
        });
    }

    /// The index entry for a normalized key (lower case, single spaces; see [`normalize_into`]).
    pub fn names(&self, key: &str) -> Option<&NameNode> {
        self.names.get(key)
    }

    /// The role code of an agent phrase (lower-case lemmas joined by single spaces): `Some("")`
    /// for a prefix of a longer phrase only.
    pub fn agent(&self, phrase: &str) -> Option<&str> {
        self.agents.get(phrase).map(|c| &**c)
    }

    /// The number of words of the longest agent phrase.
    pub fn agent_words(&self) -> usize {
        self.agent_words
    }

    pub fn countries(&self) -> &[Country] {
        &self.countries
    }

    pub fn organizations(&self) -> &[Organization] {
        &self.organizations
    }

    pub fn people(&self) -> &[Person] {
        &self.people
    }

    /// The country with a CAMEO code.
    pub fn country_by_code(&self, code: &str) -> Option<&Country> {
        self.country_codes
            .get(code)
            .map(|&i| &self.countries[i as usize])
    }

    /// What the canonical name of an entity with `label` names (any case): a country or
    /// metonym for GPE and NORP, an organization for ORG and GROUP, a person for PERSON.
    pub fn by_canonical(&self, label: EntityLabel, name: &str) -> Option<Target> {
        let map = match label {
            EntityLabel::Person => &self.canonical_people,
            EntityLabel::Org | EntityLabel::Group => &self.canonical_orgs,
            EntityLabel::Gpe | EntityLabel::Norp => &self.canonical_places,
            EntityLabel::Loc | EntityLabel::Fac => return None,
        };
        let mut key = String::new();
        normalize_into(name, &mut key);
        map.get(key.as_str()).copied()
    }

    /// The canonical name of a target: the country's name (for a demonym too), the metonym as
    /// listed, the organization's or person's name.
    pub fn canonical_name<'a>(&'a self, target: Target, form: &'a str) -> &'a str {
        match target {
            Target::Country(_, CountryForm::Metonym) => form.strip_prefix("the ").unwrap_or(form),
            Target::Country(i, _) => &self.countries[i as usize].name,
            Target::Organization(i) => &self.organizations[i as usize].name,
            Target::Person(i) => &self.people[i as usize].name,
        }
    }

    /// The actor code of a target on `date` (a person's role code, an organization's code, a
    /// country's code; a metonym gives the country code, to which the coder adds GOV).
    pub fn code(&self, target: Target, date: Option<Date>) -> Option<&str> {
        match target {
            Target::Country(i, _) => Some(&self.countries[i as usize].code),
            Target::Organization(i) => Some(&self.organizations[i as usize].code),
            Target::Person(i) => self.people[i as usize]
                .role_on(date)
                .map(|r| r.code.as_str()),
        }
    }

    /// The entity kind of an organization.
    pub fn org_kind(&self, i: u32) -> OrgKind {
        self.organizations[i as usize].kind
    }
}

/// Lower-cases `text` into `out`, with runs of white space as one space, typographic apostrophes
/// as `'`, and no leading or trailing space: the form of every key of the index.
pub fn normalize_into(text: &str, out: &mut String) {
    out.clear();
    let mut space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            space = !out.is_empty();
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        match c {
            '’' | '‘' => out.push('\''),
            c if c.is_ascii() => out.push(c.to_ascii_lowercase()),
            c => out.extend(c.to_lowercase()),
        }
    }
}

fn collapse_space(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Which source a file's facts belong to for replacement: the compiled-in files under data/kb/
/// are one source; every user dictionary is its own.
fn source_group(file: &str) -> &str {
    if file.starts_with("data/kb/") {
        "data/kb/"
    } else {
        file
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kb::entry::SourceLine;

    fn src(file: &str) -> SourceLine {
        SourceLine {
            file: file.into(),
            line: 1,
        }
    }

    fn date(s: &str) -> Date {
        s.parse().unwrap()
    }

    fn role(name: &str, alias: &str, code: &str, from: &str, to: &str, file: &str) -> PersonRole {
        PersonRole {
            name: name.into(),
            aliases: vec![alias.into()],
            code: code.into(),
            role: "president".into(),
            from: (!from.is_empty()).then(|| date(from)),
            to: (!to.is_empty()).then(|| date(to)),
            source: src(file),
        }
    }

    fn entries() -> Entries {
        Entries {
            countries: vec![Country {
                code: "RUS".into(),
                iso2: "RU".into(),
                name: "Russia".into(),
                aliases: vec!["the Russian Federation".into()],
                demonyms: vec!["Russian".into()],
                metonyms: vec!["Moscow".into(), "the Kremlin".into()],
                source: src("countries.tsv"),
            }],
            organizations: vec![Organization {
                code: "IMGMOSISI".into(),
                kind: OrgKind::Group,
                name: "Islamic State".into(),
                aliases: vec!["IS".into(), "al-Dawla".into()],
                source: src("organizations.tsv"),
            }],
            people: vec![
                role(
                    "Vladimir Putin",
                    "Putin",
                    "RUSGOV",
                    "2000-05-07",
                    "",
                    "a.tsv",
                ),
                role(
                    "George W. Bush",
                    "Bush",
                    "USAGOV",
                    "2001-01-20",
                    "2009-01-20",
                    "a.tsv",
                ),
                role(
                    "George H. W. Bush",
                    "Bush",
                    "USAGOV",
                    "1989-01-20",
                    "1993-01-20",
                    "a.tsv",
                ),
            ],
            agents: vec![
                Agent {
                    phrase: "prime minister".into(),
                    code: "GOV".into(),
                    source: src("agents.tsv"),
                },
                Agent {
                    phrase: "troops".into(),
                    code: "MIL".into(),
                    source: src("agents.tsv"),
                },
            ],
        }
    }

    #[test]
    fn names_and_prefixes() {
        let kb = KnowledgeBase::new(entries());
        let node = kb.names("the kremlin").unwrap();
        assert_eq!(
            node.candidates[0].target,
            Target::Country(0, CountryForm::Metonym)
        );
        assert!(kb.names("the").unwrap().prefix);
        assert!(kb.names("the russian").unwrap().prefix);
        assert!(kb.names("al-").unwrap().prefix || kb.names("al").unwrap().prefix);
        assert!(kb.names("is").unwrap().candidates[0].cased);
        assert_eq!(kb.names("bush").unwrap().candidates.len(), 2);
        assert_eq!(kb.agent("prime minister"), Some("GOV"));
        assert_eq!(kb.agent("prime"), Some(""));
        assert_eq!(kb.agent_words(), 2);
        assert_eq!(
            kb.by_canonical(EntityLabel::Person, "Vladimir Putin"),
            Some(Target::Person(0))
        );
        assert_eq!(
            kb.by_canonical(EntityLabel::Gpe, "Kremlin"),
            Some(Target::Country(0, CountryForm::Metonym))
        );
    }

    #[test]
    fn later_entries_override() {
        let mut e = entries();
        e.extend(Entries {
            organizations: vec![Organization {
                code: "IMGTEST".into(),
                kind: OrgKind::Group,
                name: "Islamic State".into(),
                aliases: vec![],
                source: src("user.tsv"),
            }],
            people: vec![role(
                "Vladimir Putin",
                "Putin",
                "RUSELI",
                "",
                "",
                "user.tsv",
            )],
            ..Entries::default()
        });
        let kb = KnowledgeBase::new(e);
        let node = kb.names("islamic state").unwrap();
        assert_eq!(node.candidates.len(), 1);
        assert_eq!(kb.code(node.candidates[0].target, None), Some("IMGTEST"));
        assert_eq!(kb.people()[0].roles.len(), 1);
        assert_eq!(kb.code(Target::Person(0), None), Some("RUSELI"));
    }

    #[test]
    fn dated_roles() {
        let kb = KnowledgeBase::new(entries());
        let bushes = &kb.names("bush").unwrap().candidates;
        let active: Vec<&str> = bushes
            .iter()
            .filter_map(|c| match c.target {
                Target::Person(i) => Some(&kb.people()[i as usize]),
                _ => None,
            })
            .filter(|p| p.active_on(Some(date("2005-03-01"))))
            .map(|p| p.name.as_str())
            .collect();
        assert_eq!(active, ["George W. Bush"]);
        // Before any role: the nearest one.
        let putin = &kb.people()[0];
        assert_eq!(
            putin.role_on(Some(date("1999-01-01"))).unwrap().code,
            "RUSGOV"
        );
    }

    #[test]
    fn normalization() {
        let mut s = String::new();
        normalize_into("  The  Kremlin’s\tWALL ", &mut s);
        assert_eq!(s, "the kremlin's wall");
    }
}
