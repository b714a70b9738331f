#!/usr/bin/env python3
"""spaCy's rule-based tokenizer + sentencizer over a JSONL corpus: the peer of sitrep's segment stage.

Usage: spacy_segment.py CORPUS.jsonl [RUNS]
Prints one JSON line: docs, words (whitespace-separated), tokens, sentences, wall_s (best of RUNS),
words_per_s. Only nlp.pipe is timed (the corpus is read first). Written for sitrep's benchmark harness
(`cargo run --release -p xtask -- bench`).
"""
import json
import sys
import time

import spacy


def main():
    path = sys.argv[1]
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    texts = [json.loads(line).get("text") or "" for line in open(path, encoding="utf-8") if line.strip()]
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.max_length = max(nlp.max_length, max((len(t) for t in texts), default=0) + 1)
    for t in texts[:5]:
        nlp(t)
    best = None
    for _ in range(runs):
        tokens = sentences = 0
        start = time.perf_counter()
        for doc in nlp.pipe(texts, batch_size=64):
            tokens += len(doc)
            sentences += sum(1 for _ in doc.sents)
        wall = time.perf_counter() - start
        best = wall if best is None else min(best, wall)
    words = sum(len(t.split()) for t in texts)
    print(json.dumps({"docs": len(texts), "words": words, "tokens": tokens, "sentences": sentences,
                      "wall_s": round(best, 3), "words_per_s": round(words / best, 1)}))


if __name__ == "__main__":
    main()
