#!/usr/bin/env python3
"""Entity F1 of `newsctl enrich` on a CoNLL-2003 file (IOB1 or IOB2, 4 columns).

Each -DOCSTART- document becomes one article: tokens joined by single spaces, sentences by
newlines, no title. Gold spans are character offsets into that body; predicted spans are the
body mentions of the enriched entities. A prediction counts when its span and type match exactly.

Usage: scripts/eval-conll.py PATH/TO/valid.txt [--newsctl ./newsctl] [--keep DIR]
"""
import argparse
import collections
import json
import os
import subprocess
import sys
import tempfile

TYPES = {"PER": "PERSON", "ORG": "ORGANIZATION", "LOC": "LOCATION", "MISC": "MISC"}


def read_documents(path):
    docs, sentences, sentence = [], [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("-DOCSTART-"):
                if sentence:
                    sentences.append(sentence)
                    sentence = []
                if sentences:
                    docs.append(sentences)
                sentences = []
            elif not line.strip():
                if sentence:
                    sentences.append(sentence)
                    sentence = []
            else:
                parts = line.split()
                sentence.append((parts[0], parts[-1]))
    if sentence:
        sentences.append(sentence)
    if sentences:
        docs.append(sentences)
    return docs


def to_article(doc_index, sentences):
    body_lines, gold = [], []
    offset = 0
    for sentence in sentences:
        words = []
        current = None
        for i, (word, tag) in enumerate(sentence):
            start = offset + sum(len(w) + 1 for w in words)
            words.append(word)
            end = start + len(word)
            kind = tag[2:] if tag != "O" else None
            begins = tag.startswith("B-") or (kind and (current is None or current[2] != kind))
            if current and (kind is None or begins):
                gold.append(tuple(current))
                current = None
            if kind:
                if current is None:
                    current = [start, end, kind]
                else:
                    current[1] = end
        if current:
            gold.append(tuple(current))
        line = " ".join(words)
        body_lines.append(line)
        offset += len(line) + 1
    body = "\n".join(body_lines)
    gold = [(s, e, TYPES[k]) for s, e, k in gold]
    article = {"id": "conll-%d" % doc_index, "url": "https://eval.example/conll/%d" % doc_index,
               "body": body, "language": "en"}
    return article, gold


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("path")
    ap.add_argument("--newsctl", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "newsctl"))
    ap.add_argument("--keep", help="directory to keep the input and output JSON Lines in")
    args = ap.parse_args()

    docs = read_documents(args.path)
    work = args.keep or tempfile.mkdtemp(prefix="newsline-conll-")
    os.makedirs(work, exist_ok=True)
    inp, out = os.path.join(work, "conll-in.jsonl"), os.path.join(work, "conll-out.jsonl")
    golds = {}
    tokens = 0
    with open(inp, "w", encoding="utf-8") as f:
        for i, doc in enumerate(docs):
            article, gold = to_article(i, doc)
            golds[article["id"]] = gold
            tokens += sum(len(s) for s in doc)
            f.write(json.dumps(article) + "\n")
    subprocess.run([args.newsctl, "enrich", "--in", inp, "--out", out], check=True)

    tp, fp, fn = collections.Counter(), collections.Counter(), collections.Counter()
    with open(out, encoding="utf-8") as f:
        for line in f:
            a = json.loads(line)
            predicted = {(m["start"], m["end"], e["type"]) for e in a["entities"] for m in e["mentions"]
                         if m["field"] == "body"}
            gold = set(golds[a["id"]])
            for s in predicted & gold:
                tp[s[2]] += 1
            for s in predicted - gold:
                fp[s[2]] += 1
            for s in gold - predicted:
                fn[s[2]] += 1

    def prf(t, p, n):
        precision = t / (t + p) if t + p else 0.0
        recall = t / (t + n) if t + n else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return precision, recall, f1

    print("documents %d, tokens %d" % (len(docs), tokens))
    print("%-13s %9s %9s %9s %7s" % ("type", "precision", "recall", "F1", "gold"))
    for t in ["PERSON", "ORGANIZATION", "LOCATION", "MISC"]:
        p, r, f1 = prf(tp[t], fp[t], fn[t])
        print("%-13s %9.4f %9.4f %9.4f %7d" % (t, p, r, f1, tp[t] + fn[t]))
    p, r, f1 = prf(sum(tp.values()), sum(fp.values()), sum(fn.values()))
    print("%-13s %9.4f %9.4f %9.4f %7d" % ("overall", p, r, f1, sum(tp.values()) + sum(fn.values())))


if __name__ == "__main__":
    sys.exit(main())
