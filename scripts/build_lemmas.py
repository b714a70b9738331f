#!/usr/bin/env python3
"""Regenerate data/lemma/lemmas.tsv from the lemma tables of registry packages.

Usage (from the repository root):

    python3 -m venv /tmp/lemvenv
    /tmp/lemvenv/bin/pip install lemminflect==0.2.3 spacy-lookups-data==1.0.5
    /tmp/lemvenv/bin/python scripts/build_lemmas.py

Sources:
- lemminflect (MIT, (C) 2019 Brad Jascob): resources/lemma_lu.csv.gz, every inflected form of
  English nouns, verbs, adjectives and adverbs with its lemma(s) by Universal POS class.
- spacy-lookups-data (MIT, (C) 2019 ExplosionAI GmbH; the English exception lists derive from
  WordNet 3.0, (C) 2006 Princeton University, WordNet licence): en_lemma_exc.json.gz, irregular
  forms by class, used only for forms lemminflect lacks.

Output: one line per lower-cased form (a lemma keeps its capital when the source lists the
form only capitalised, "american" → American), `form<TAB>NOUN<TAB>VERB<TAB>ADJ<TAB>ADV`, where a column
holds the lemma for that class, `=` when the lemma is the form itself and nothing when the form is
not known in that class. Hand-written conventions (closed classes, Universal Dependencies
choices) live beside it in data/lemma/closed.tsv and data/lemma/overrides.tsv and are not touched.
"""

import csv
import gzip
import io
import json
import os
import sys
from importlib import metadata

CLASSES = ["noun", "verb", "adj", "adv"]


def package_info(name):
    dist = metadata.distribution(name)
    meta = dist.metadata
    lic = meta.get("License")
    if not lic or lic == "UNKNOWN":
        lic = next(
            (c.split("::")[-1].strip() for c in meta.get_all("Classifier") or [] if c.startswith("License ::")),
            "unknown",
        )
    return dist, dist.version, lic


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    out_path = os.path.join(root, "data", "lemma", "lemmas.tsv")

    li_dist, li_version, li_licence = package_info("lemminflect")
    sl_dist, sl_version, sl_licence = package_info("spacy-lookups-data")
    import lemminflect
    import spacy_lookups_data

    li_dir = os.path.join(os.path.dirname(lemminflect.__file__), "resources")
    sl_dir = os.path.join(os.path.dirname(spacy_lookups_data.__file__), "data")

    # table[form][class] = lemma; a lower-case source form wins over a capitalised one
    # ("us" over "Us"), otherwise the first lemma lemminflect lists (its most likely one).
    table = {}
    from_lower = {}
    with gzip.open(os.path.join(li_dir, "lemma_lu.csv.gz"), "rt", encoding="utf-8") as f:
        for row in csv.reader(f):
            if len(row) != 3:
                continue
            form, cls, lemmas = row
            if cls not in CLASSES:
                continue  # aux: closed class, hand-written in closed.tsv
            lemma = lemmas.split("/")[0]
            key = form.lower()
            is_lower = form == key
            slot = (key, cls)
            if slot in from_lower and (from_lower[slot] or not is_lower):
                continue
            from_lower[slot] = is_lower
            # A lemma listed only with a capital ("American", "English") keeps it: UD keeps the
            # capital of proper adjectives and nouns.
            table.setdefault(key, {})[cls] = lemma.lower() if is_lower else lemma

    added = 0
    with gzip.open(os.path.join(sl_dir, "en_lemma_exc.json.gz"), "rt", encoding="utf-8") as f:
        exc = json.load(f)
    for cls in CLASSES:
        for form, lemmas in exc.get(cls, {}).items():
            key = form.lower()
            if "_" in key or " " in key or not lemmas:
                continue
            entry = table.setdefault(key, {})
            if cls not in entry:
                entry[cls] = lemmas[0].lower()
                added += 1

    lines = []
    for form in sorted(table):
        if "\t" in form or "\n" in form or not form:
            continue
        entry = table[form]
        cols = []
        for cls in CLASSES:
            lemma = entry.get(cls)
            cols.append("" if lemma is None else ("=" if lemma == form else lemma))
        lines.append(form + "\t" + "\t".join(cols))

    header = [
        "# English lemma table: form<TAB>NOUN<TAB>VERB<TAB>ADJ<TAB>ADV (`=`: the form itself; empty: not in class).",
        f"# Source: lemminflect {li_version} (licence: {li_licence}, (C) 2019 Brad Jascob), resources/lemma_lu.csv.gz;",
        f"#   plus {added} irregular forms from spacy-lookups-data {sl_version} (licence: {sl_licence}, (C) 2019 ExplosionAI GmbH),",
        "#   en_lemma_exc.json.gz, itself derived from WordNet 3.0 ((C) 2006 Princeton University, WordNet licence).",
        "# Generated, do not edit: python3 -m venv /tmp/lemvenv && /tmp/lemvenv/bin/pip install "
        f"lemminflect=={li_version} spacy-lookups-data=={sl_version} && /tmp/lemvenv/bin/python scripts/build_lemmas.py",
        "# Hand-written corrections go in data/lemma/overrides.tsv.",
    ]
    with io.open(out_path, "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(header + lines) + "\n")
    print(f"wrote {out_path}: {len(lines)} forms ({added} from spacy-lookups-data)", file=sys.stderr)


if __name__ == "__main__":
    main()
