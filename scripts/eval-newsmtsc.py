#!/usr/bin/env python3
"""Target-dependent sentiment macro-F1 of `newsctl enrich` on a NewsMTSC JSON Lines split.

Each sentence becomes one article (body = sentence, no title). The entity whose body mention
overlaps the target span [from, to) carries the prediction; when no entity overlaps (pronoun
targets, names the tagger missed) the prediction is NEUTRAL. Polarity -1/0/1 maps to
NEGATIVE/NEUTRAL/POSITIVE; the score is the macro-F1 over the three classes.

Usage: scripts/eval-newsmtsc.py PATH/TO/rw-dev.jsonl [--newsctl ./newsctl] [--keep DIR]
"""
import argparse
import collections
import json
import os
import subprocess
import sys
import tempfile

LABELS = {-1: "NEGATIVE", 0: "NEUTRAL", 1: "POSITIVE"}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("path")
    ap.add_argument("--newsctl", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "newsctl"))
    ap.add_argument("--keep", help="directory to keep the input and output JSON Lines in")
    args = ap.parse_args()

    work = args.keep or tempfile.mkdtemp(prefix="newsline-newsmtsc-")
    os.makedirs(work, exist_ok=True)
    inp, out = os.path.join(work, "newsmtsc-in.jsonl"), os.path.join(work, "newsmtsc-out.jsonl")
    gold = {}
    with open(args.path, encoding="utf-8") as f, open(inp, "w", encoding="utf-8") as w:
        for i, line in enumerate(f):
            row = json.loads(line)
            aid = "mtsc-%d" % i
            gold[aid] = (row["from"], row["to"], LABELS[int(row["polarity"])])
            w.write(json.dumps({"id": aid, "url": "https://eval.example/newsmtsc/%d" % i,
                                "body": row["sentence"], "language": "en"}) + "\n")
    subprocess.run([args.newsctl, "enrich", "--in", inp, "--out", out], check=True)

    confusion = collections.Counter()
    covered = 0
    with open(out, encoding="utf-8") as f:
        for line in f:
            a = json.loads(line)
            start, end, label = gold[a["id"]]
            predicted = "NEUTRAL"
            for e in a["entities"]:
                if any(m["field"] == "body" and m["start"] < end and start < m["end"] for m in e["mentions"]):
                    predicted = e["sentiment"]["label"]
                    covered += 1
                    break
            confusion[(label, predicted)] += 1

    total = sum(confusion.values())
    f1s = []
    print("targets %d, with an overlapping entity %d (%.1f%%)" % (total, covered, 100.0 * covered / max(1, total)))
    print("%-9s %9s %9s %9s %6s" % ("label", "precision", "recall", "F1", "gold"))
    for label in ["NEGATIVE", "NEUTRAL", "POSITIVE"]:
        tp = confusion[(label, label)]
        predicted = sum(v for (g, p), v in confusion.items() if p == label)
        actual = sum(v for (g, p), v in confusion.items() if g == label)
        precision = tp / predicted if predicted else 0.0
        recall = tp / actual if actual else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        f1s.append(f1)
        print("%-9s %9.4f %9.4f %9.4f %6d" % (label, precision, recall, f1, actual))
    accuracy = sum(v for (g, p), v in confusion.items() if g == p) / max(1, total)
    print("macro-F1 %.4f, accuracy %.4f" % (sum(f1s) / 3, accuracy))


if __name__ == "__main__":
    sys.exit(main())
