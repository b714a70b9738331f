//! GDELT 2.0 event records: the 61 tab-separated columns of GDELT's `*.export.CSV` files, filled
//! with what sitrep knows and empty where it knows nothing.
//!
//! GDELT names countries in its geography columns by FIPS 10-4 codes and sitrep by ISO 3166-1,
//! so the place's country goes through `data/gdelt/iso-fips.tsv`. Actor codes are split into the
//! country, type and religion columns with that table's alpha-3 codes and
//! `data/gdelt/cameo-roles.tsv`.

use std::collections::HashMap;
use std::io::{self, Write};
use std::sync::LazyLock;

use sitrep_store::EventRecord;

/// The GDELT 2.0 event table's columns, in file order (GDELT 2.0 Event Codebook).
pub(crate) const COLUMNS: [&str; 61] = [
    "GLOBALEVENTID",
    "SQLDATE",
    "MonthYear",
    "Year",
    "FractionDate",
    "Actor1Code",
    "Actor1Name",
    "Actor1CountryCode",
    "Actor1KnownGroupCode",
    "Actor1EthnicCode",
    "Actor1Religion1Code",
    "Actor1Religion2Code",
    "Actor1Type1Code",
    "Actor1Type2Code",
    "Actor1Type3Code",
    "Actor2Code",
    "Actor2Name",
    "Actor2CountryCode",
    "Actor2KnownGroupCode",
    "Actor2EthnicCode",
    "Actor2Religion1Code",
    "Actor2Religion2Code",
    "Actor2Type1Code",
    "Actor2Type2Code",
    "Actor2Type3Code",
    "IsRootEvent",
    "EventCode",
    "EventBaseCode",
    "EventRootCode",
    "QuadClass",
    "GoldsteinScale",
    "NumMentions",
    "NumSources",
    "NumArticles",
    "AvgTone",
    "Actor1Geo_Type",
    "Actor1Geo_FullName",
    "Actor1Geo_CountryCode",
    "Actor1Geo_ADM1Code",
    "Actor1Geo_ADM2Code",
    "Actor1Geo_Lat",
    "Actor1Geo_Long",
    "Actor1Geo_FeatureID",
    "Actor2Geo_Type",
    "Actor2Geo_FullName",
    "Actor2Geo_CountryCode",
    "Actor2Geo_ADM1Code",
    "Actor2Geo_ADM2Code",
    "Actor2Geo_Lat",
    "Actor2Geo_Long",
    "Actor2Geo_FeatureID",
    "ActionGeo_Type",
    "ActionGeo_FullName",
    "ActionGeo_CountryCode",
    "ActionGeo_ADM1Code",
    "ActionGeo_ADM2Code",
    "ActionGeo_Lat",
    "ActionGeo_Long",
    "ActionGeo_FeatureID",
    "DATEADDED",
    "SOURCEURL",
];

/// Column indexes used below.
mod col {
    pub(super) const ID: usize = 0;
    pub(super) const SQLDATE: usize = 1;
    pub(super) const MONTH_YEAR: usize = 2;
    pub(super) const YEAR: usize = 3;
    pub(super) const FRACTION_DATE: usize = 4;
    pub(super) const ACTOR1: usize = 5;
    pub(super) const ACTOR2: usize = 15;
    pub(super) const IS_ROOT: usize = 25;
    pub(super) const EVENT_CODE: usize = 26;
    pub(super) const BASE_CODE: usize = 27;
    pub(super) const ROOT_CODE: usize = 28;
    pub(super) const QUAD: usize = 29;
    pub(super) const GOLDSTEIN: usize = 30;
    pub(super) const NUM_MENTIONS: usize = 31;
    pub(super) const NUM_SOURCES: usize = 32;
    pub(super) const NUM_ARTICLES: usize = 33;
    pub(super) const ACTION_GEO: usize = 51;
    pub(super) const DATE_ADDED: usize = 59;
    pub(super) const SOURCE_URL: usize = 60;
}

/// Evidence sentences with an index below this count as the lead (GDELT's IsRootEvent: the event
/// was found in the lead paragraph). sitrep does not keep paragraphs, so the first two sentences
/// stand for it.
const LEAD_SENTENCES: u32 = 2;

/// GDELT's geography types.
const GEO_COUNTRY: &str = "1";
const GEO_US_CITY: &str = "3";
const GEO_WORLD_CITY: &str = "4";

/// One country of `data/gdelt/iso-fips.tsv`.
#[derive(Debug)]
pub(crate) struct Country {
    pub(crate) iso2: &'static str,
    /// Empty when FIPS 10-4 has no code for it.
    pub(crate) fips: &'static str,
    pub(crate) name: &'static str,
}

/// Countries by ISO alpha-2 and alpha-3 code (upper case).
pub(crate) struct Countries {
    by_iso2: HashMap<&'static str, Country>,
    iso3_to_iso2: HashMap<&'static str, &'static str>,
}

const ISO_FIPS: &str = include_str!("../../../../../data/gdelt/iso-fips.tsv");
const CAMEO_ROLES: &str = include_str!("../../../../../data/gdelt/cameo-roles.tsv");

static COUNTRIES: LazyLock<Countries> = LazyLock::new(|| Countries::parse(ISO_FIPS));
static ROLES: LazyLock<HashMap<&'static str, Role>> = LazyLock::new(|| parse_roles(CAMEO_ROLES));

/// Data lines of a bundled table: comments and blank lines skipped.
fn data_lines(text: &'static str) -> impl Iterator<Item = Vec<&'static str>> {
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| l.split('\t').collect())
}

impl Countries {
    /// The bundled table.
    pub(crate) fn get() -> &'static Countries {
        &COUNTRIES
    }

    fn parse(text: &'static str) -> Countries {
        let mut by_iso2 = HashMap::new();
        let mut iso3_to_iso2 = HashMap::new();
        for cells in data_lines(text) {
            // The file is generated and checked by a unit test; a short line is skipped.
            let [iso2, iso3, fips, name] = cells[..] else {
                continue;
            };
            iso3_to_iso2.insert(iso3, iso2);
            by_iso2.insert(iso2, Country { iso2, fips, name });
        }
        Countries {
            by_iso2,
            iso3_to_iso2,
        }
    }

    /// The country with ISO 3166-1 alpha-2 `code` (any case).
    pub(crate) fn by_iso2(&self, code: &str) -> Option<&Country> {
        self.by_iso2.get(code.to_ascii_uppercase().as_str())
    }

    /// The country with ISO 3166-1 alpha-3 `code` (any case).
    pub(crate) fn by_iso3(&self, code: &str) -> Option<&Country> {
        let iso2 = self.iso3_to_iso2.get(code.to_ascii_uppercase().as_str())?;
        self.by_iso2.get(iso2)
    }

    /// The FIPS 10-4 code of ISO alpha-2 `iso2`; `None` when unknown or FIPS has none.
    pub(crate) fn fips(&self, iso2: &str) -> Option<&'static str> {
        self.by_iso2(iso2)
            .map(|c| c.fips)
            .filter(|fips| !fips.is_empty())
    }
}

/// What a 3-letter chunk of an actor code says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Role {
    Type,
    Religion,
}

fn parse_roles(text: &'static str) -> HashMap<&'static str, Role> {
    data_lines(text)
        .filter_map(|cells| {
            let role = match *cells.get(1)? {
                "type" => Role::Type,
                "religion" => Role::Religion,
                _ => return None,
            };
            Some((cells[0], role))
        })
        .collect()
}

/// An actor code split GDELT's way: RUSMILGOV → country RUS, types MIL and GOV.
#[derive(Debug, Default, PartialEq, Eq)]
struct ActorParts<'a> {
    country: &'a str,
    religions: Vec<&'a str>,
    types: Vec<&'a str>,
}

fn actor_parts(code: &str) -> ActorParts<'_> {
    let mut parts = ActorParts::default();
    if !code.is_ascii() {
        return parts;
    }
    let mut rest = code;
    if let Some(first) = code.get(..3) {
        if COUNTRIES.by_iso3(first).is_some() {
            parts.country = first;
            rest = &code[3..];
        }
    }
    while rest.len() >= 3 {
        let (chunk, tail) = rest.split_at(3);
        match ROLES.get(chunk) {
            Some(Role::Type) if parts.types.len() < 3 => parts.types.push(chunk),
            Some(Role::Religion) if parts.religions.len() < 2 => parts.religions.push(chunk),
            _ => {}
        }
        rest = tail;
    }
    parts
}

/// `text` with what would break a tab-separated line (tabs, line breaks) turned into spaces and
/// double quotes removed (pandas and DuckDB would take a leading one for CSV quoting).
fn clean(text: &str) -> String {
    let text: String = text
        .chars()
        .filter(|&c| c != '"')
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    text.split(' ')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A URL with the characters a tab-separated reader chokes on percent-encoded.
fn clean_url(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for c in url.trim().chars() {
        match c {
            '"' => out.push_str("%22"),
            ' ' => out.push_str("%20"),
            c if c.is_control() => out.push_str(&format!("%{:02X}", u32::from(c) & 0xFF)),
            c => out.push(c),
        }
    }
    out
}

/// A date's parts: (year, month, day), as precise as the date is.
fn date_parts(date: &str) -> Option<(i32, Option<u8>, Option<u8>)> {
    let mut parts = date.splitn(3, '-');
    let year: i32 = parts
        .next()?
        .parse()
        .ok()
        .filter(|y| (0..=9999).contains(y))?;
    let month = match parts.next() {
        Some(m) => Some(m.parse::<u8>().ok().filter(|m| (1..=12).contains(m))?),
        None => None,
    };
    let day = match parts.next() {
        Some(d) => Some(d.parse::<u8>().ok().filter(|d| (1..=31).contains(d))?),
        None => None,
    };
    Some((year, month, day))
}

/// The GDELT row for one event.
pub(crate) fn row(event: &EventRecord) -> Vec<String> {
    let mut row = vec![String::new(); COLUMNS.len()];
    row[col::ID] = event.id.to_string();

    // SQLDATE and FractionDate need a day; a month or a year fills only the columns it can.
    if let Some((year, month, day)) = event.date.as_deref().and_then(date_parts) {
        row[col::YEAR] = format!("{year:04}");
        if let Some(month) = month {
            row[col::MONTH_YEAR] = format!("{year:04}{month:02}");
            if let Some(day) = day {
                row[col::SQLDATE] = format!("{year:04}{month:02}{day:02}");
                // The codebook says (MONTH * 30 + DAY) / 365, which passes 1 in December; GDELT's
                // files count months from 0 (2015-02-18 is 2015.1315), and so does this.
                let days = (f64::from(month) - 1.0) * 30.0 + f64::from(day);
                let fraction = f64::from(year) + days / 365.0;
                row[col::FRACTION_DATE] = format!("{fraction:.4}");
            }
        }
    }

    for (start, code, name) in [
        (col::ACTOR1, &event.source, &event.source_text),
        (col::ACTOR2, &event.target, &event.target_text),
    ] {
        let Some(code) = code.as_deref().filter(|c| !c.is_empty()) else {
            continue;
        };
        let code = clean(code);
        let parts = actor_parts(&code);
        row[start] = code.clone();
        row[start + 1] = name
            .as_deref()
            .map(clean)
            .unwrap_or_default()
            .to_uppercase();
        row[start + 2] = parts.country.to_owned();
        // +3 known group and +4 ethnic group: sitrep's codes do not say.
        for (i, religion) in parts.religions.iter().enumerate() {
            row[start + 5 + i] = (*religion).to_owned();
        }
        for (i, kind) in parts.types.iter().enumerate() {
            row[start + 7 + i] = (*kind).to_owned();
        }
    }

    row[col::IS_ROOT] = u8::from(event.evidence.sentence < LEAD_SENTENCES).to_string();
    row[col::EVENT_CODE] = clean(&event.code);
    row[col::BASE_CODE] = clean(event.code.get(..3).unwrap_or(&event.code));
    row[col::ROOT_CODE] = clean(&event.root);
    row[col::QUAD] = event.quad.to_string();
    row[col::GOLDSTEIN] = format!("{:.1}", event.goldstein);
    row[col::NUM_MENTIONS] = event.mentions.to_string();
    // sitrep counts documents, not outlets: both source counts are the documents.
    row[col::NUM_SOURCES] = event.documents.to_string();
    row[col::NUM_ARTICLES] = event.documents.to_string();
    // AvgTone: the store does not return a tone with events; left empty.

    if let Some(place) = &event.place {
        let country = place.country.as_deref().and_then(|c| COUNTRIES.by_iso2(c));
        let name = clean(&place.name);
        let is_country = country.is_some_and(|c| {
            c.name.eq_ignore_ascii_case(&name) || c.iso2.eq_ignore_ascii_case(&name)
        });
        let geo = col::ACTION_GEO;
        let fips = country
            .and_then(|c| COUNTRIES.fips(c.iso2))
            .unwrap_or_default();
        if is_country {
            row[geo] = GEO_COUNTRY.to_owned();
            row[geo + 1] = country.map(|c| c.name).unwrap_or_default().to_owned();
            row[geo + 3] = fips.to_owned();
            row[geo + 7] = fips.to_owned();
        } else {
            // Without the place's feature class, anything below a country counts as a city.
            let us = country.is_some_and(|c| c.iso2 == "US");
            row[geo] = if us { GEO_US_CITY } else { GEO_WORLD_CITY }.to_owned();
            row[geo + 1] = match country {
                Some(c) => format!("{name}, {}", c.name),
                None => name,
            };
        }
        row[geo + 2] = fips.to_owned();
        if place.lat.is_finite() && place.lon.is_finite() {
            row[geo + 5] = place.lat.to_string();
            row[geo + 6] = place.lon.to_string();
        }
    }

    // DATEADDED: sitrep has no time of capture; the publication date is the nearest it knows.
    if let Some((year, Some(month), Some(day))) =
        event.evidence.published.as_deref().and_then(date_parts)
    {
        row[col::DATE_ADDED] = format!("{year:04}{month:02}{day:02}000000");
    }
    row[col::SOURCE_URL] = event
        .evidence
        .url
        .as_deref()
        .map(clean_url)
        .unwrap_or_default();
    row
}

/// Writes events as GDELT 2.0 lines.
pub(crate) struct GdeltWriter<W: Write> {
    out: W,
}

impl<W: Write> GdeltWriter<W> {
    /// A writer that starts with a header row of column names when `header` is set.
    pub(crate) fn new(mut out: W, header: bool) -> io::Result<Self> {
        if header {
            writeln!(out, "{}", COLUMNS.join("\t"))?;
        }
        Ok(GdeltWriter { out })
    }

    pub(crate) fn write(&mut self, events: &[EventRecord]) -> io::Result<()> {
        for event in events {
            writeln!(self.out, "{}", row(event).join("\t"))?;
        }
        Ok(())
    }

    pub(crate) fn finish(mut self) -> io::Result<W> {
        self.out.flush()?;
        Ok(self.out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::command::export::tests::event;

    fn cell<'a>(row: &'a [String], name: &str) -> &'a str {
        let i = COLUMNS.iter().position(|c| *c == name).unwrap();
        &row[i]
    }

    #[test]
    fn the_layout_has_61_distinct_columns() {
        assert_eq!(COLUMNS.len(), 61);
        let mut names = COLUMNS.to_vec();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), 61);
        assert_eq!(COLUMNS[col::ACTION_GEO], "ActionGeo_Type");
        assert_eq!(COLUMNS[col::ACTOR2 + 9], "Actor2Type3Code");
        assert_eq!(COLUMNS[col::DATE_ADDED], "DATEADDED");
    }

    #[test]
    fn the_fips_table_is_well_formed() {
        let mut lines = 0;
        for line in ISO_FIPS.lines().filter(|l| !l.starts_with('#')) {
            let cells: Vec<&str> = line.split('\t').collect();
            assert_eq!(cells.len(), 4, "{line:?}");
            assert_eq!(cells[0].len(), 2, "{line:?}");
            assert_eq!(cells[1].len(), 3, "{line:?}");
            assert!(cells[2].is_empty() || cells[2].len() == 2, "{line:?}");
            lines += 1;
        }
        assert!(lines > 240, "{lines} countries");
        assert!(ISO_FIPS.contains("licence: CC BY 4.0"));
    }

    #[test]
    fn iso_codes_map_to_fips() {
        let countries = Countries::get();
        assert_eq!(countries.fips("SY"), Some("SY"));
        assert_eq!(countries.fips("de"), Some("GM"));
        assert_eq!(countries.fips("GB"), Some("UK"));
        assert_eq!(countries.fips("RU"), Some("RS"));
        assert_eq!(countries.fips("XK"), Some("KV"));
        assert_eq!(countries.fips("ZZ"), None);
        assert_eq!(countries.by_iso3("syr").unwrap().iso2, "SY");
        assert_eq!(countries.by_iso3("USA").unwrap().iso2, "US");
    }

    #[test]
    fn no_role_code_is_a_country_code() {
        for code in ROLES.keys() {
            assert!(COUNTRIES.by_iso3(code).is_none(), "{code}");
        }
    }

    #[test]
    fn actor_codes_split_into_country_and_roles() {
        assert_eq!(
            actor_parts("RUSMILGOV"),
            ActorParts {
                country: "RUS",
                religions: vec![],
                types: vec!["MIL", "GOV"],
            }
        );
        assert_eq!(
            actor_parts("IGOUNO"),
            ActorParts {
                country: "",
                religions: vec![],
                types: vec!["IGO", "UNO"],
            }
        );
        assert_eq!(actor_parts("SYRREBMOS").religions, vec!["MOS"]);
        assert_eq!(actor_parts("IS").country, "");
        assert_eq!(actor_parts("ÉÉÉÉ"), ActorParts::default());
    }

    #[test]
    fn a_day_dated_event_fills_every_date_column() {
        let row = row(&event());
        assert_eq!(row.len(), 61);
        assert_eq!(cell(&row, "GLOBALEVENTID"), "7");
        assert_eq!(cell(&row, "SQLDATE"), "20171211");
        assert_eq!(cell(&row, "MonthYear"), "201712");
        assert_eq!(cell(&row, "Year"), "2017");
        assert_eq!(cell(&row, "FractionDate"), "2017.9342"); // (11*30+11)/365
        assert_eq!(cell(&row, "DATEADDED"), "20171212000000");
    }

    #[test]
    fn a_month_dated_event_leaves_the_day_columns_empty() {
        let mut e = event();
        e.date = Some("2015-09".into());
        let row = row(&e);
        assert_eq!(cell(&row, "SQLDATE"), "");
        assert_eq!(cell(&row, "MonthYear"), "201509");
        assert_eq!(cell(&row, "Year"), "2015");
        assert_eq!(cell(&row, "FractionDate"), "");
        e.date = Some("2015".into());
        assert_eq!(cell(&super::row(&e), "MonthYear"), "");
        e.date = Some("junk".into());
        assert_eq!(cell(&super::row(&e), "Year"), "");
    }

    #[test]
    fn actors_codes_and_counts_fill_their_columns() {
        let row = row(&event());
        assert_eq!(cell(&row, "Actor1Code"), "RUSGOV");
        assert_eq!(cell(&row, "Actor1Name"), "RUSSIAN PRESIDENT VLADIMIR PUTIN");
        assert_eq!(cell(&row, "Actor1CountryCode"), "RUS");
        assert_eq!(cell(&row, "Actor1Type1Code"), "GOV");
        assert_eq!(cell(&row, "Actor2Code"), "SYR");
        assert_eq!(cell(&row, "Actor2CountryCode"), "SYR");
        assert_eq!(cell(&row, "Actor2Type1Code"), "");
        assert_eq!(cell(&row, "EventCode"), "0874");
        assert_eq!(cell(&row, "EventBaseCode"), "087");
        assert_eq!(cell(&row, "EventRootCode"), "08");
        assert_eq!(cell(&row, "QuadClass"), "2");
        assert_eq!(cell(&row, "GoldsteinScale"), "9.0");
        assert_eq!(cell(&row, "NumMentions"), "3");
        assert_eq!(cell(&row, "NumArticles"), "2");
        assert_eq!(cell(&row, "AvgTone"), "");
        assert_eq!(cell(&row, "IsRootEvent"), "0");
        assert_eq!(cell(&row, "SOURCEURL"), "https://example.org/a%20b");
    }

    #[test]
    fn the_action_place_uses_fips_codes() {
        let row = row(&event());
        assert_eq!(cell(&row, "ActionGeo_Type"), "4");
        assert_eq!(cell(&row, "ActionGeo_FullName"), "Aleppo, Syria");
        assert_eq!(cell(&row, "ActionGeo_CountryCode"), "SY");
        assert_eq!(cell(&row, "ActionGeo_ADM1Code"), "");
        assert_eq!(cell(&row, "ActionGeo_Lat"), "36.20124");
        assert_eq!(cell(&row, "ActionGeo_Long"), "37.16117");
        assert_eq!(cell(&row, "Actor1Geo_Type"), "");

        let mut e = event();
        let place = e.place.as_mut().unwrap();
        place.name = "Germany".into();
        place.country = Some("DE".into());
        let row = super::row(&e);
        assert_eq!(cell(&row, "ActionGeo_Type"), "1");
        assert_eq!(cell(&row, "ActionGeo_FullName"), "Germany");
        assert_eq!(cell(&row, "ActionGeo_CountryCode"), "GM");
        assert_eq!(cell(&row, "ActionGeo_ADM1Code"), "GM");
        assert_eq!(cell(&row, "ActionGeo_FeatureID"), "GM");

        e.place = None;
        assert_eq!(cell(&super::row(&e), "ActionGeo_Type"), "");
    }

    #[test]
    fn text_cannot_break_a_line_or_start_a_quote() {
        let mut e = event();
        e.source_text = Some("\"the\tIslamic\nState\"".into());
        let line = row(&e).join("\t");
        assert_eq!(line.split('\t').count(), 61);
        assert!(!line.contains('\n') && !line.contains('"'));
        assert!(line.contains("\tTHE ISLAMIC STATE\t"));
    }

    #[test]
    fn the_writer_adds_a_header_on_request() {
        let mut w = GdeltWriter::new(Vec::new(), true).unwrap();
        w.write(&[event(), event()]).unwrap();
        let out = String::from_utf8(w.finish().unwrap()).unwrap();
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 3);
        assert!(lines[0].starts_with("GLOBALEVENTID\tSQLDATE\t"));
        assert!(lines[1].starts_with("7\t20171211\t201712\t2017\t"));
        assert!(out.ends_with('\n'));
    }
}
