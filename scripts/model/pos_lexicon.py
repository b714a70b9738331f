#!/usr/bin/env python3
"""Writes data/model/pos-lexicon.tsv: English word forms with the Penn-style word classes the
SPECIALIST Lexicon gives them (NN NNS VB VBD VBN VBG VBZ JJ JJR JJS RB RBR RBS AUX), from the tables
shipped in the `lemminflect` PyPI package (MIT licence, Brad Jascob; its data are derived from the
NLM SPECIALIST Lexicon, free to use under the UMLS SPECIALIST Lexicon terms).

The tagger uses the classes as an "ambiguity class" feature for every word, which helps most on
words it never saw in training.

    python3 -m venv /tmp/lex && /tmp/lex/bin/pip install lemminflect==0.2.3
    /tmp/lex/bin/python scripts/model/pos_lexicon.py > data/model/pos-lexicon.tsv

An optional argument names lemminflect's resources/ folder instead of importing the package.
Then retrain the tagger: cargo run --release -p xtask -- train tagger
"""

import gzip
import os
import sys

SLOTS = {
    "noun": ["NNS"],
    "verb": ["VBD", "VBN", "VBG", "VBZ"],
    "adj": ["JJR", "JJS"],
    "adv": ["RBR", "RBS"],
}
BASE = {"noun": "NN", "verb": "VB", "adj": "JJ", "adv": "RB"}


def resources_dir():
    if len(sys.argv) > 1:
        return sys.argv[1]
    import lemminflect

    return os.path.join(os.path.dirname(lemminflect.__file__), "resources")


def main():
    res = resources_dir()
    classes = {}

    def add(word, tag):
        if word and "," not in word and "\t" not in word and " " not in word:
            classes.setdefault(word, set()).add(tag)

    with gzip.open(os.path.join(res, "infl_lu.csv.gz"), "rt", encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split(",")
            lemma, pos, forms = parts[0], parts[1], parts[2:]
            if pos not in BASE:
                continue
            add(lemma, BASE[pos])
            if pos == "verb" and len(forms) > 1 and not forms[1]:
                forms[1] = forms[0]  # regular verbs leave the past participle empty: same as the past
            for tag, form in zip(SLOTS[pos], forms):
                for word in form.split("/"):
                    add(word, tag)
    with gzip.open(os.path.join(res, "lemma_lu.csv.gz"), "rt", encoding="utf-8") as f:
        for line in f:
            word, pos, lemma = line.rstrip("\n").split(",")
            if pos == "aux":
                add(word, "AUX")
            elif pos in BASE and word in lemma.split("/"):
                add(word, BASE[pos])
            elif pos in BASE and word not in classes:
                # An inflected form missing from the inflection table: its coarse class.
                add(word, SLOTS[pos][0])

    out = sys.stdout
    out.write("# English word forms and their word classes (Penn-style: NN NNS VB VBD VBN VBG VBZ JJ JJR JJS\n")
    out.write("# RB RBR RBS AUX), one word a line: word<TAB>classes separated by spaces.\n")
    out.write("# Source: the lemma and inflection tables of the lemminflect 0.2.3 PyPI package (MIT licence,\n")
    out.write("# Copyright (C) 2019 Brad Jascob), derived from the NLM SPECIALIST Lexicon.\n")
    out.write("# Regenerate: python3 scripts/model/pos_lexicon.py > data/model/pos-lexicon.tsv\n")
    order = ["NN", "NNS", "VB", "VBD", "VBN", "VBG", "VBZ", "JJ", "JJR", "JJS", "RB", "RBR", "RBS", "AUX"]
    for word in sorted(classes):
        tags = " ".join(t for t in order if t in classes[word])
        out.write(f"{word}\t{tags}\n")


if __name__ == "__main__":
    main()
