//! The compiled-in gazetteer: data/gazetteer/gazetteer-{1,2}.tsv.gz (GeoNames via registry packages,
//! built by scripts/build_gazetteer.py; CC BY 4.0), data/gazetteer/features.tsv (hand-kept) and the
//! country names and demonyms of data/kb/countries.tsv, parsed once per process; with the word
//! lists of data/gazetteer/divisions.tsv and the given names of data/entity/first_names.txt.

use std::io::Read;
use std::sync::LazyLock;

use rustc_hash::FxHashMap;
use sitrep_doc::PlaceFeature;

static GAZETTEER_GZ: [&[u8]; 2] = [
    include_bytes!("../../../../data/gazetteer/gazetteer-1.tsv.gz"),
    include_bytes!("../../../../data/gazetteer/gazetteer-2.tsv.gz"),
];
static ABBREVIATIONS: &str = include_str!("../../../../data/gazetteer/abbreviations.tsv");
static FEATURES: &str = include_str!("../../../../data/gazetteer/features.tsv");
static COUNTRIES: &str = include_str!("../../../../data/kb/countries.tsv");

static GIVEN_NAMES: &str = include_str!("../../../../data/entity/first_names.txt");
static DIVISIONS: &str = include_str!("../../../../data/gazetteer/divisions.tsv");

/// The words of data/gazetteer/divisions.tsv by role.
#[derive(Default)]
struct Divisions {
    /// Capitalised suffixes stripped before a lookup ("County").
    suffix: Vec<&'static str>,
    /// Lower-case words after a name that mark it as a place ("province").
    after: Vec<&'static str>,
    /// Lower-case words before "of" that mark the next name as a place ("village").
    before: Vec<&'static str>,
    /// Words after a city's name that make a local office of it ("Police", "Council").
    office: Vec<&'static str>,
    /// Lower-cased hashes of place names that are ordinary words ("West", "Lakes").
    common: Vec<u64>,
    /// Last words of street, square and airport names ("Road", "Airport").
    street: Vec<&'static str>,
}

fn divisions() -> Divisions {
    let mut d = Divisions::default();
    for line in DIVISIONS.lines().filter(|l| !l.starts_with('#')) {
        let mut f = line.split('\t').map(str::trim);
        let (Some(word), Some(role)) = (f.next(), f.next()) else {
            continue;
        };
        match role {
            "suffix" => d.suffix.push(word),
            "after" => d.after.push(word),
            "before" => d.before.push(word),
            "office" => d.office.push(word),
            "common" => d.common.push(name_hash(word)),
            "street" => d.street.push(word),
            _ => {}
        }
    }
    d
}

/// One gazetteer entry.
#[derive(Clone, Debug)]
pub struct Entry {
    pub name: &'static str,
    pub country: [u8; 2],
    pub admin1: &'static str,
    pub lat: f32,
    pub lon: f32,
    pub population: u32,
    pub geonameid: u32,
    pub feature: PlaceFeature,
}

impl Entry {
    pub fn country_str(&self) -> Option<&str> {
        std::str::from_utf8(&self.country)
            .ok()
            .filter(|c| *c != "  ")
    }
}

/// How a name matched an entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NameKind {
    /// The entry's name or its ASCII form.
    Primary,
    /// An alternate name.
    Alternate,
}

pub struct Gazetteer {
    pub entries: Vec<Entry>,
    /// (hash of the lower-cased name, entry, kind), sorted by hash then entry: one per half of
    /// the data, every entry of the second after those of the first.
    index: [Index; 2],
    /// Lower-cased demonym hash → ISO2.
    demonyms: FxHashMap<u64, [u8; 2]>,
    /// ISO2 → the country's entry.
    countries: FxHashMap<[u8; 2], u32>,
    /// Lower-cased hashes of government metonyms that are not cities ("the Kremlin").
    metonyms: Vec<u64>,
    divisions: Divisions,
    /// Lower-cased hashes of common given names (data/entity/first_names.txt), sorted.
    given: Vec<u64>,
}

/// A 64-bit hash of the lower-cased name (’ read as '), ignoring a leading "the ": eight bytes at
/// a time, with ASCII letters lower-cased in the word.
pub fn name_hash(name: &str) -> u64 {
    let name = strip_the(name.trim());
    if name.is_ascii() {
        return hash_lower(name.as_bytes());
    }
    let mut buf = Vec::with_capacity(name.len() + 4);
    for c in name.chars().flat_map(char::to_lowercase) {
        let c = if c == '’' { '\'' } else { c };
        buf.extend_from_slice(c.encode_utf8(&mut [0u8; 4]).as_bytes());
    }
    hash_lower(&buf)
}

/// ASCII capitals of the eight bytes of `w` made small (other bytes unchanged).
fn lower8(w: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    let low = w & (0x7f * ONES);
    let at_least_a = low + (0x80 - 0x41) * ONES;
    let past_z = low + (0x80 - 0x5b) * ONES;
    let upper = at_least_a & !past_z & !w & (0x80 * ONES);
    w | (upper >> 2)
}

fn hash_lower(bytes: &[u8]) -> u64 {
    const K: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ bytes.len() as u64;
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        h = (h ^ lower8(u64::from_le_bytes(w))).wrapping_mul(K);
        h ^= h >> 32;
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut w = [0u8; 8];
        w[..rest.len()].copy_from_slice(rest);
        h = (h ^ lower8(u64::from_le_bytes(w))).wrapping_mul(K);
        h ^= h >> 32;
    }
    // the murmur3 finalizer: every input bit reaches every output bit
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

pub fn strip_the(name: &str) -> &str {
    for p in ["the ", "The ", "THE "] {
        if let Some(rest) = name.strip_prefix(p) {
            return rest;
        }
    }
    name
}

fn iso2(s: &str) -> [u8; 2] {
    let b = s.trim().as_bytes();
    if b.len() == 2 {
        [b[0], b[1]]
    } else {
        *b"  "
    }
}

/// Inflates the embedded gzip data into a string that lives for the process.
fn inflate(gz: &[u8]) -> &'static str {
    // the gzip trailer's last four bytes are the uncompressed size (mod 2^32): preallocate it
    let size = gz
        .get(gz.len().saturating_sub(4)..)
        .and_then(|b| <[u8; 4]>::try_from(b).ok())
        .map_or(0, |b| u32::from_le_bytes(b) as usize);
    let mut bytes = Vec::with_capacity(size + 1);
    // the embedded file is valid gzip by construction; a broken build gives an empty gazetteer
    if flate2::read::GzDecoder::new(gz)
        .read_to_end(&mut bytes)
        .is_err()
    {
        bytes.clear();
    }
    let text = String::from_utf8(bytes).unwrap_or_default();
    Box::leak(text.into_boxed_str())
}

/// A decimal number such as "-98.58" or "34.5" (what the build script writes), parsed by hand;
/// anything else goes to the standard parser.
fn parse_coord(s: &str) -> Option<f32> {
    let b = s.as_bytes();
    let (neg, digits) = match b.first() {
        Some(b'-') => (true, &b[1..]),
        _ => (false, b),
    };
    let mut int: u64 = 0;
    let mut frac: u64 = 0;
    let mut scale: f64 = 1.0;
    let mut seen_dot = false;
    if digits.is_empty() || digits.len() > 18 {
        return s.parse().ok();
    }
    for &c in digits {
        match c {
            b'0'..=b'9' if seen_dot => {
                frac = frac * 10 + u64::from(c - b'0');
                scale *= 10.0;
            }
            b'0'..=b'9' => int = int * 10 + u64::from(c - b'0'),
            b'.' if !seen_dot => seen_dot = true,
            _ => return s.parse().ok(),
        }
    }
    let v = int as f64 + frac as f64 / scale;
    Some(if neg { -v } else { v } as f32)
}

/// A non-negative integer; 0 when it is not one.
fn parse_uint(s: &str) -> u64 {
    if s.is_empty() || s.len() > 19 || !s.bytes().all(|c| c.is_ascii_digit()) {
        return s.parse::<f64>().map_or(0, |v| v.max(0.0) as u64);
    }
    s.bytes().fold(0, |n, c| n * 10 + u64::from(c - b'0'))
}

type Index = Vec<(u64, u32, NameKind)>;

/// Whether `short` is `long` without its last words ("Anhui" of "Anhui Sheng").
fn is_word_prefix(short: &str, long: &str) -> bool {
    long.len() > short.len() + 1 && long.starts_with(short) && long.as_bytes()[short.len()] == b' '
}

/// Inflates and parses one part of the embedded data: its entries and their names' index
/// (entry numbers counted from the part's first line).
fn parse_part(gz: &[u8]) -> (Vec<Entry>, Index) {
    let text = inflate(gz);
    let mut entries = Vec::with_capacity(100_000);
    let mut index = Vec::with_capacity(400_000);
    let bytes = text.as_bytes();
    let mut pos = 0;
    while pos < bytes.len() {
        // one pass over the line: the starts of its first ten fields
        let mut cuts = [pos; 11];
        let mut n = 1;
        let mut end = pos;
        while end < bytes.len() && bytes[end] != b'\n' {
            if bytes[end] == b'\t' && n < 11 {
                cuts[n] = end + 1;
                n += 1;
            }
            end += 1;
        }
        let line_start = pos;
        pos = end + 1;
        if n < 10 || bytes[line_start] == b'#' {
            continue;
        }
        if n < 11 {
            cuts[10] = end + 1;
        }
        // tabs and newlines are ASCII: every cut is a character boundary
        let field = |k: usize| text.get(cuts[k]..cuts[k + 1] - 1).unwrap_or("");
        let (kind, gid, name, ascii, alts, cc, a1, lat, lon, pop) = (
            field(0),
            field(1),
            field(2),
            field(3),
            field(4),
            field(5),
            field(6),
            field(7),
            field(8),
            field(9),
        );
        let feature = match kind {
            "C" => PlaceFeature::Country,
            "A" => PlaceFeature::Admin1,
            _ => PlaceFeature::City,
        };
        let (Some(lat), Some(lon)) = (parse_coord(lat), parse_coord(lon)) else {
            continue;
        };
        let i = entries.len() as u32;
        index.push((name_hash(name), i, NameKind::Primary));
        if !ascii.is_empty() {
            index.push((name_hash(ascii), i, NameKind::Primary));
        }
        for a in alts.split('|').filter(|a| !a.is_empty()) {
            // a division's English or ASCII name ("Bavaria" of "Bayern") and a place's name
            // without its last words ("Anhui" of "Anhui Sheng", "Acapulco" of "Acapulco de
            // Juárez", of a city of 100,000 people or more) are as good as its name
            let kind = if feature == PlaceFeature::Admin1 && a.is_ascii()
                || is_word_prefix(a, name)
                    && (feature != PlaceFeature::City || parse_uint(pop) >= 100_000)
            {
                NameKind::Primary
            } else {
                NameKind::Alternate
            };
            index.push((name_hash(a), i, kind));
        }
        entries.push(Entry {
            name,
            country: iso2(cc),
            admin1: a1,
            lat,
            lon,
            population: parse_uint(pop).min(u64::from(u32::MAX)) as u32,
            geonameid: parse_uint(gid).min(u64::from(u32::MAX)) as u32,
            feature,
        });
    }
    (entries, index)
}

/// Sorts an index by (hash, entry) and drops repeated names of one entry: a counting sort on the
/// top bits of the hash, then a sort of each small bucket (several times faster than a full sort).
fn finish(index: Index) -> Index {
    const BITS: u32 = 16;
    let bucket = |h: u64| (h >> (64 - BITS)) as usize;
    let mut starts = vec![0usize; (1 << BITS) + 1];
    for e in &index {
        starts[bucket(e.0) + 1] += 1;
    }
    for k in 1..starts.len() {
        starts[k] += starts[k - 1];
    }
    let mut out = vec![(0u64, 0u32, NameKind::Primary); index.len()];
    let mut next = starts.clone();
    for e in &index {
        let b = bucket(e.0);
        out[next[b]] = *e;
        next[b] += 1;
    }
    for w in starts.windows(2) {
        if w[1] - w[0] > 1 {
            // a primary name first: it is the one the dedup below keeps
            out[w[0]..w[1]].sort_unstable_by_key(|&(h, i, k)| (h, i, k == NameKind::Alternate));
        }
    }
    out.dedup_by_key(|&mut (h, i, _)| (h, i));
    out
}

/// The first half of the data (countries, divisions, the largest cities), with the names the
/// knowledge base and the abbreviation list give its countries and divisions.
struct FirstPart {
    entries: Vec<Entry>,
    index: Index,
    by_iso: FxHashMap<[u8; 2], u32>,
    demonyms: FxHashMap<u64, [u8; 2]>,
    metonyms: Vec<u64>,
}

fn first_part() -> FirstPart {
    let (entries, mut index) = parse_part(GAZETTEER_GZ[0]);
    // abbreviations of first-level divisions ("Calif.", "NSW"); the divisions come first
    for line in ABBREVIATIONS.lines() {
        if line.starts_with('#') {
            continue;
        }
        let mut f = line.split('\t').map(str::trim);
        let (Some(abbr), Some(cc), Some(a1)) = (f.next(), f.next(), f.next()) else {
            continue;
        };
        let cc = iso2(cc);
        let found = entries
            .iter()
            .take_while(|e| e.feature != PlaceFeature::City)
            .position(|e| e.feature == PlaceFeature::Admin1 && e.country == cc && e.name == a1);
        if let Some(i) = found {
            index.push((name_hash(abbr), i as u32, NameKind::Primary));
        }
    }
    // country names and aliases from the knowledge base, demonyms
    let mut by_iso: FxHashMap<[u8; 2], u32> = FxHashMap::default();
    for (i, e) in entries.iter().enumerate() {
        if e.feature == PlaceFeature::Country {
            by_iso.insert(e.country, i as u32);
        }
    }
    let mut demonyms = FxHashMap::default();
    let mut metonyms = Vec::new();
    for line in COUNTRIES.lines() {
        if line.starts_with('#') {
            continue;
        }
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() < 5 {
            continue;
        }
        let cc = iso2(f[1]);
        if let Some(&i) = by_iso.get(&cc) {
            for n in std::iter::once(f[2]).chain(f[3].split(';')) {
                let n = n.trim();
                if !n.is_empty() {
                    index.push((name_hash(n), i, NameKind::Primary));
                }
            }
        }
        for d in f[4].split(';').map(str::trim).filter(|d| !d.is_empty()) {
            demonyms.insert(name_hash(d), cc);
        }
        if let Some(m) = f.get(5) {
            metonyms.extend(
                m.split(';')
                    .map(str::trim)
                    .filter(|m| !m.is_empty())
                    .map(name_hash),
            );
        }
    }
    FirstPart {
        entries,
        index: finish(index),
        by_iso,
        demonyms,
        metonyms,
    }
}

/// The second half of the data and the hand-kept features after it (entry numbers counted
/// from the half's first line).
fn second_part() -> (Vec<Entry>, Index) {
    let (mut entries, mut index) = parse_part(GAZETTEER_GZ[1]);
    // hand-kept features
    for line in FEATURES.lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let f: Vec<&'static str> = line.split('\t').collect();
        if f.len() < 5 {
            continue;
        }
        let (Ok(lat), Ok(lon)) = (f[3].trim().parse::<f32>(), f[4].trim().parse::<f32>()) else {
            continue;
        };
        let i = entries.len() as u32;
        index.push((name_hash(f[0]), i, NameKind::Primary));
        for a in f[1].split('|').filter(|a| !a.trim().is_empty()) {
            index.push((name_hash(a), i, NameKind::Primary));
        }
        entries.push(Entry {
            name: f[0],
            country: iso2(f[2]),
            admin1: "",
            lat,
            lon,
            population: 1_000_000,
            geonameid: 0,
            feature: PlaceFeature::Feature,
        });
    }
    (entries, finish(index))
}

impl Gazetteer {
    /// Parses the embedded data (what the first use of [`gazetteer`] does; public for timing).
    pub fn load() -> Gazetteer {
        // the two halves inflate and parse on two threads; one after the other if no thread
        let (first, (entries2, mut index2)) = std::thread::scope(|scope| {
            let second = std::thread::Builder::new()
                .spawn_scoped(scope, second_part)
                .ok();
            let first = first_part();
            let second = second
                .and_then(|h| h.join().ok())
                .unwrap_or_else(second_part);
            (first, second)
        });
        let FirstPart {
            mut entries,
            index,
            by_iso,
            demonyms,
            mut metonyms,
        } = first;
        // the second half's entries follow the first's: its index stays sorted, and a lookup
        // that reads the first index and then the second yields entries in order
        let base = entries.len() as u32;
        index2.iter_mut().for_each(|e| e.1 += base);
        entries.extend(entries2);
        let mut g = Gazetteer {
            entries,
            index: [index, index2],
            demonyms,
            countries: by_iso,
            metonyms: Vec::new(),
            divisions: divisions(),
            given: {
                let mut v: Vec<u64> = GIVEN_NAMES
                    .lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty() && !l.starts_with('#'))
                    .map(name_hash)
                    .collect();
                v.sort_unstable();
                v
            },
        };
        // a metonym that names a large city ("Moscow") stays a place
        metonyms.retain(|&h| {
            !g.lookup_hash(h).any(|(i, _)| {
                let e = &g.entries[i as usize];
                e.feature == PlaceFeature::City && e.population >= 100_000
            })
        });
        metonyms.sort_unstable();
        g.metonyms = metonyms;
        g
    }

    /// The entries whose name hashes to `h`, in entry order.
    fn lookup_hash(&self, h: u64) -> impl Iterator<Item = (u32, NameKind)> + '_ {
        self.index.iter().flat_map(move |index| {
            let start = index.partition_point(|&(x, _, _)| x < h);
            index[start..]
                .iter()
                .take_while(move |&&(x, _, _)| x == h)
                .map(|&(_, i, k)| (i, k))
        })
    }

    /// The entries named `name` (case-insensitive, a leading "the" ignored).
    pub fn lookup(&self, name: &str) -> impl Iterator<Item = (u32, NameKind)> + '_ {
        self.lookup_hash(name_hash(name))
    }

    pub fn contains(&self, name: &str) -> bool {
        self.lookup(name).next().is_some()
    }

    /// The country whose demonym `word` is ("Syrian" → SY).
    pub fn demonym(&self, word: &str) -> Option<[u8; 2]> {
        self.demonyms.get(&name_hash(word)).copied()
    }

    /// The entry of the country with ISO code `cc`.
    pub fn country(&self, cc: [u8; 2]) -> Option<u32> {
        self.countries.get(&cc).copied()
    }

    /// Whether `name` is a government metonym that is not a city ("the Kremlin", "the White House").
    pub fn is_metonym(&self, name: &str) -> bool {
        self.metonyms.binary_search(&name_hash(name)).is_ok()
    }

    /// `name` without an administrative suffix ("Metcalfe County" → "Metcalfe"), if it has one.
    pub fn strip_division<'a>(&self, name: &'a str) -> Option<&'a str> {
        self.divisions.suffix.iter().find_map(|suf| {
            let base = name.strip_suffix(suf)?.strip_suffix(' ')?.trim_end();
            (!base.is_empty()).then_some(base)
        })
    }

    /// Whether `word` ends street, square and airport names ("Road", "Airport").
    pub fn is_street(&self, word: &str) -> bool {
        self.divisions.street.contains(&word)
    }

    /// Whether the place name `name` is an ordinary word ("West", "Lakes").
    pub fn is_common(&self, name: &str) -> bool {
        self.divisions.common.contains(&name_hash(name))
    }

    /// Whether `word` after a city's name makes a local office of it ("London Police").
    pub fn is_office(&self, word: &str) -> bool {
        self.divisions.office.contains(&word)
    }

    /// Whether `word` is a common given name ("Victoria", "Tyler").
    pub fn is_given_name(&self, word: &str) -> bool {
        self.given.binary_search(&name_hash(word)).is_ok()
    }

    /// Whether `word` after a name marks it as a place ("province" in "Anhui province").
    pub fn is_division_after(&self, word: &str) -> bool {
        self.divisions.after.contains(&word)
    }

    /// Whether `word` before "of" marks the next name as a place ("village" in "the village of").
    pub fn is_division_before(&self, word: &str) -> bool {
        self.divisions.before.contains(&word)
    }

    pub fn entry(&self, i: u32) -> &Entry {
        &self.entries[i as usize]
    }
}

/// The gazetteer, parsed on first use.
pub fn gazetteer() -> &'static Gazetteer {
    static G: LazyLock<Gazetteer> = LazyLock::new(Gazetteer::load);
    &G
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_cities_countries_and_features() {
        let g = gazetteer();
        assert!(g
            .lookup("Aleppo")
            .any(|(i, _)| g.entry(i).country == *b"SY"));
        assert!(g
            .lookup("Syria")
            .any(|(i, _)| g.entry(i).feature == PlaceFeature::Country));
        assert!(g
            .lookup("the Strait of Hormuz")
            .any(|(i, _)| g.entry(i).feature == PlaceFeature::Feature));
        assert_eq!(g.demonym("Syrian"), Some(*b"SY"));
    }

    #[test]
    fn finds_division_abbreviations() {
        let g = gazetteer();
        let names = |n: &str| -> Vec<&str> { g.lookup(n).map(|(i, _)| g.entry(i).name).collect() };
        assert!(names("Calif.").contains(&"California"));
        assert!(names("NSW").contains(&"New South Wales"));
        assert!(names("B.C.").contains(&"British Columbia"));
    }

    #[test]
    fn hashes_ignore_case_and_the() {
        assert_eq!(
            name_hash("the Strait of Hormuz"),
            name_hash("STRAIT OF HORMUZ")
        );
        assert_eq!(name_hash(" Zürich"), name_hash("zürich"));
        assert_eq!(name_hash("Côte d’Ivoire"), name_hash("côte d'ivoire"));
        assert_ne!(name_hash("Aleppo"), name_hash("Alepp"));
        assert_ne!(name_hash("a@"), name_hash("a`"));
        assert_eq!(
            lower8(u64::from_le_bytes(*b"AZaz@[`{")),
            u64::from_le_bytes(*b"azaz@[`{")
        );
    }

    #[test]
    fn division_english_names_are_primary() {
        let g = gazetteer();
        for name in ["Bavaria", "Anhui", "Thuringia"] {
            assert!(
                g.lookup(name)
                    .any(|(i, k)| k == NameKind::Primary
                        && g.entry(i).feature == PlaceFeature::Admin1),
                "{name}"
            );
        }
        assert!(is_word_prefix("Anhui", "Anhui Sheng"));
        assert!(!is_word_prefix("Anhu", "Anhui Sheng"));
    }

    #[test]
    fn reads_the_division_words() {
        let g = gazetteer();
        assert_eq!(g.strip_division("Metcalfe County"), Some("Metcalfe"));
        assert_eq!(g.strip_division("County"), None);
        assert!(g.is_division_after("province"));
        assert!(g.is_division_before("village"));
        assert!(g.is_office("Police"));
        assert!(g.is_street("Road"));
        assert!(g.is_common("West"));
        assert!(g.is_given_name("Victoria"));
        assert!(!g.is_given_name("Malakal"));
    }

    #[test]
    fn parses_numbers_by_hand() {
        assert_eq!(parse_coord("-98.58"), Some(-98.58));
        assert_eq!(parse_coord("34.5"), Some(34.5));
        assert_eq!(parse_coord("x"), None);
        assert_eq!(parse_uint("1234"), 1234);
        assert_eq!(parse_uint(""), 0);
    }
}
