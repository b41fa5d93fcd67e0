#!/usr/bin/env python3
"""Target-dependent sentiment macro-F1 of `newsctl enrich` on a NewsMTSC JSON Lines split.

Each sentence becomes one article (body = sentence, no title). The entity whose body mention
overlaps the target span [from, to) carries the prediction; when no entity overlaps (pronoun
targets, names the tagger missed) the prediction is NEUTRAL. When several entities overlap a
target that has a title or an affiliation in it ("House Speaker Nancy Pelosi", "Greg Miller of
The Washington Post"), the one that shares most words with the target's name (NewsMTSC ids end
in `_NAME_FROM_TO`) carries it, then the one with the longest overlap. Polarity -1/0/1 maps to
NEGATIVE/NEUTRAL/POSITIVE; the score is the macro-F1 over the three classes.

--half a|b keeps one half of the split: the targets whose sentence's MD5 starts with an even
(a) or odd (b) byte, so the targets of one sentence stay together. Read the errors of one half
only and check a change on the other, to see whether it overfits the half you read.

Usage: scripts/eval-newsmtsc.py PATH/TO/rw-dev.jsonl [--half a|b] [--newsctl ./newsctl] [--keep DIR]
"""
import argparse
import collections
import hashlib
import json
import os
import subprocess
import sys
import tempfile

LABELS = {-1: "NEGATIVE", 0: "NEUTRAL", 1: "POSITIVE"}


def words(text):
    return {w.lower() for w in text.replace(",", " ").split() if w[:1].isalpha()}


def target_name(row):
    """Words of the target's name from a NewsMTSC id (`..._NAME_FROM_TO`), else of the mention."""
    parts = str(row.get("id", "")).rsplit("_", 3)
    if len(parts) == 4 and parts[2].isdigit() and parts[3].isdigit():
        return words(parts[1])
    return words(row.get("mention", ""))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("path")
    ap.add_argument("--newsctl", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "newsctl"))
    ap.add_argument("--keep", help="directory to keep the input and output JSON Lines in")
    ap.add_argument("--half", choices=["a", "b"], help="only the targets of one half of the split (see above)")
    args = ap.parse_args()

    work = args.keep or tempfile.mkdtemp(prefix="newsline-newsmtsc-")
    os.makedirs(work, exist_ok=True)
    inp, out = os.path.join(work, "newsmtsc-in.jsonl"), os.path.join(work, "newsmtsc-out.jsonl")
    gold = {}
    with open(args.path, encoding="utf-8") as f, open(inp, "w", encoding="utf-8") as w:
        for i, line in enumerate(f):
            row = json.loads(line)
            if args.half and hashlib.md5(row["sentence"].encode("utf-8")).digest()[0] % 2 != "ab".index(args.half):
                continue
            aid = "mtsc-%d" % i
            gold[aid] = (row["from"], row["to"], LABELS[int(row["polarity"])], target_name(row))
            w.write(json.dumps({"id": aid, "url": "https://eval.example/newsmtsc/%d" % i,
                                "body": row["sentence"], "language": "en"}) + "\n")
    subprocess.run([args.newsctl, "enrich", "--in", inp, "--out", out], check=True)

    confusion = collections.Counter()
    covered = 0
    with open(out, encoding="utf-8") as f:
        for line in f:
            a = json.loads(line)
            start, end, label, name = gold[a["id"]]
            predicted = "NEUTRAL"
            best = None
            for e in a["entities"]:
                overlap = max([min(end, m["end"]) - max(start, m["start"]) for m in e["mentions"]
                               if m["field"] == "body" and m["start"] < end and start < m["end"]], default=0)
                if overlap > 0:
                    rank = (len(words(e["name"]) & name), overlap)
                    if best is None or rank > best[0]:
                        best = (rank, e)
            if best is not None:
                predicted = best[1]["sentiment"]["label"]
                covered += 1
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
