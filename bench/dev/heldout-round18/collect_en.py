"""Collect hand-written customer turns from conversations/en_*.txt into the en csv files.
Only extracts and shuffles; no text is generated or changed."""
import csv, glob, os, random, re, sys
from collections import Counter
D = os.path.dirname(os.path.abspath(__file__))
pat = re.compile(r"^\[([^\]]+)\] (.*) \|\| (\S+)\s*$")
obj, neg = [], []
bad = 0
for fn in sorted(glob.glob(os.path.join(D, "conversations", "en_*.txt"))):
    for ln in open(fn, encoding="utf-8"):
        if ln.startswith("["):
            m = pat.match(ln.rstrip("\n"))
            if not m:
                print("UNPARSED", fn, ln); bad += 1; continue
            t, l = m.group(2).strip(), m.group(3)
            if l == "left_out":  # turn kept in the meeting file, but no confident label
                continue
            (neg if l == "none" else obj).append((t, l))
c = Counter(l for _, l in obj)
print("objections", len(obj), dict(sorted(c.items())))
print("negatives", len(neg))
if "--write" in sys.argv:
    rnd = random.Random(18)
    for name, rows in (("en_objections.csv", obj), ("en_negatives.csv", neg)):
        rows = rows[:]; rnd.shuffle(rows)
        with open(os.path.join(D, name), "w", encoding="utf-8", newline="") as f:
            w = csv.writer(f); w.writerow(["text", "label"]); w.writerows(rows)
