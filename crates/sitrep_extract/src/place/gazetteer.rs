//! The compiled-in gazetteer: data/gazetteer/gazetteer.tsv.gz (GeoNames via registry packages,
//! built by scripts/build_gazetteer.py; CC BY 4.0), data/gazetteer/features.tsv (hand-kept) and the
//! country names and demonyms of data/kb/countries.tsv, parsed once per process.

use std::io::Read;
use std::sync::LazyLock;

use rustc_hash::FxHashMap;
use sitrep_doc::PlaceFeature;

static GAZETTEER_GZ: &[u8] = include_bytes!("../../../../data/gazetteer/gazetteer.tsv.gz");
static FEATURES: &str = include_str!("../../../../data/gazetteer/features.tsv");
static COUNTRIES: &str = include_str!("../../../../data/kb/countries.tsv");

/// Administrative suffixes stripped before a lookup ("Metcalfe County" → Metcalfe).
pub const DIVISION_SUFFIXES: &[&str] = &[
    " County",
    " Parish",
    " Township",
    " City",
    " Province",
    " District",
    " Borough",
];

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
    /// (hash of the lower-cased name, entry, kind), sorted by hash.
    index: Vec<(u64, u32, NameKind)>,
    /// Lower-cased demonym hash → ISO2.
    demonyms: FxHashMap<u64, [u8; 2]>,
    /// ISO2 → the country's entry.
    countries: FxHashMap<[u8; 2], u32>,
    /// Lower-cased hashes of government metonyms that are not cities ("the Kremlin").
    metonyms: Vec<u64>,
}

/// FNV-1a over the lower-cased characters, ignoring a leading "the ".
pub fn name_hash(name: &str) -> u64 {
    let name = name.trim();
    let name = strip_the(name);
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for c in name.chars().flat_map(char::to_lowercase) {
        let c = if c == '’' { '\'' } else { c };
        let mut buf = [0u8; 4];
        for &b in c.encode_utf8(&mut buf).as_bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
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

impl Gazetteer {
    /// Parses the embedded data (what the first use of [`gazetteer`] does; public for timing).
    pub fn load() -> Gazetteer {
        let mut text = String::new();
        // the embedded file is valid gzip by construction; a broken build gives an empty gazetteer
        let _ = flate2::read::GzDecoder::new(GAZETTEER_GZ).read_to_string(&mut text);
        let text: &'static str = Box::leak(text.into_boxed_str());
        let mut entries = Vec::with_capacity(200_000);
        let mut index = Vec::with_capacity(700_000);
        for line in text.lines() {
            if line.starts_with('#') || line.is_empty() {
                continue;
            }
            let mut f = line.split('\t');
            let (
                Some(kind),
                Some(gid),
                Some(name),
                Some(ascii),
                Some(alts),
                Some(cc),
                Some(a1),
                Some(lat),
                Some(lon),
                Some(pop),
            ) = (
                f.next(),
                f.next(),
                f.next(),
                f.next(),
                f.next(),
                f.next(),
                f.next(),
                f.next(),
                f.next(),
                f.next(),
            )
            else {
                continue;
            };
            let feature = match kind {
                "C" => PlaceFeature::Country,
                "A" => PlaceFeature::Admin1,
                _ => PlaceFeature::City,
            };
            let (Ok(lat), Ok(lon)) = (lat.parse::<f32>(), lon.parse::<f32>()) else {
                continue;
            };
            let i = entries.len() as u32;
            index.push((name_hash(name), i, NameKind::Primary));
            if !ascii.is_empty() {
                index.push((name_hash(ascii), i, NameKind::Primary));
            }
            for a in alts.split('|').filter(|a| !a.is_empty()) {
                index.push((name_hash(a), i, NameKind::Alternate));
            }
            entries.push(Entry {
                name,
                country: iso2(cc),
                admin1: a1,
                lat,
                lon,
                population: pop.parse::<u64>().unwrap_or(0).min(u64::from(u32::MAX)) as u32,
                geonameid: gid.parse().unwrap_or(0),
                feature,
            });
        }
        // hand-kept features
        for line in FEATURES.lines() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let f: Vec<&'static str> = line.split('\t').collect();
            if f.len() < 5 {
                continue;
            }
            let (Ok(lat), Ok(lon)) = (f[3].trim().parse::<f32>(), f[4].trim().parse::<f32>())
            else {
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
        index.sort_unstable_by_key(|&(h, i, _)| (h, i));
        index.dedup_by_key(|&mut (h, i, _)| (h, i));
        let mut g = Gazetteer {
            entries,
            index,
            demonyms,
            countries: by_iso,
            metonyms: Vec::new(),
        };
        // a metonym that names a large city ("Moscow") stays a place
        metonyms.retain(|&h| {
            let start = g.index.partition_point(|&(x, _, _)| x < h);
            !g.index[start..]
                .iter()
                .take_while(|&&(x, _, _)| x == h)
                .any(|&(_, i, _)| {
                    let e = &g.entries[i as usize];
                    e.feature == PlaceFeature::City && e.population >= 100_000
                })
        });
        metonyms.sort_unstable();
        g.metonyms = metonyms;
        g
    }

    /// The entries named `name` (case-insensitive, a leading "the" ignored).
    pub fn lookup(&self, name: &str) -> impl Iterator<Item = (u32, NameKind)> + '_ {
        let h = name_hash(name);
        let start = self.index.partition_point(|&(x, _, _)| x < h);
        self.index[start..]
            .iter()
            .take_while(move |&&(x, _, _)| x == h)
            .map(|&(_, i, k)| (i, k))
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
}
