//! The facts of the knowledge base, as loaded from `data/kb/` and user dictionaries
//! (docs/knowledge-base.md describes the file formats).

use jiff::civil::Date;

/// Where a fact came from, for error messages and overrides: a file and a 1-based line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceLine {
    pub file: String,
    pub line: u32,
}

/// A country or territory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Country {
    /// CAMEO country code ("RUS").
    pub code: String,
    /// ISO 3166-1 alpha-2 ("RU").
    pub iso2: String,
    pub name: String,
    pub aliases: Vec<String>,
    /// Adjectives and nationality nouns ("Russian", "Russians").
    pub demonyms: Vec<String>,
    /// Capitals and seats of power that stand for the government ("Moscow", "the Kremlin").
    pub metonyms: Vec<String>,
    pub source: SourceLine,
}

/// What kind of entity an organization is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OrgKind {
    /// International and regional organizations, NGOs, companies, media: label ORG.
    Org,
    /// Armed non-state groups, parties, movements: label GROUP.
    Group,
}

/// An organization or group.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Organization {
    pub code: String,
    pub kind: OrgKind,
    pub name: String,
    pub aliases: Vec<String>,
    pub source: SourceLine,
}

/// One role of a person, with its dates.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PersonRole {
    pub name: String,
    pub aliases: Vec<String>,
    pub code: String,
    pub role: String,
    /// First day of the role; `None`: since always.
    pub from: Option<Date>,
    /// Last day of the role; `None`: still holds it.
    pub to: Option<Date>,
    pub source: SourceLine,
}

impl PersonRole {
    /// Whether the role is held on `date`.
    pub fn holds_on(&self, date: Date) -> bool {
        self.from.is_none_or(|f| f <= date) && self.to.is_none_or(|t| date <= t)
    }
}

/// A role noun or phrase and its CAMEO role code ("troops" → MIL).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Agent {
    /// Lower case, singular.
    pub phrase: String,
    pub code: String,
    pub source: SourceLine,
}

/// Every kind of fact, as a dictionary file yields them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Entries {
    pub countries: Vec<Country>,
    pub organizations: Vec<Organization>,
    pub people: Vec<PersonRole>,
    pub agents: Vec<Agent>,
}

impl Entries {
    /// Appends `other`; later entries override earlier ones with the same name where the
    /// knowledge base compiles them.
    pub fn extend(&mut self, other: Entries) {
        self.countries.extend(other.countries);
        self.organizations.extend(other.organizations);
        self.people.extend(other.people);
        self.agents.extend(other.agents);
    }
}
