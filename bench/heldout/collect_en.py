"""Collect the hand-written customer turns from conversations/en_*.txt into the csv files.
Extraction and shuffling only; no text is generated or combined."""
import csv, glob, os, random, re, sys
from collections import Counter
D = os.path.dirname(os.path.abspath(__file__))
pat = re.compile(r"^- \(([^)]+)\) (.+) => (\S+)\s*$")
obj, neg, bad = [], [], []
for fn in sorted(glob.glob(os.path.join(D, "conversations", "en_*.txt"))):
    for ln in open(fn, encoding="utf-8"):
        if ln.startswith("- ("):
            m = pat.match(ln.rstrip("\n"))
            if not m: bad.append((fn, ln)); continue
            t, l = m.group(2).strip(), m.group(3)
            (neg if l == "none" else obj).append((t, l))
for b in bad: print("UNPARSED", b)
c = Counter(l for _, l in obj)
print("files", len(glob.glob(os.path.join(D, "conversations", "en_*.txt"))), "obj", len(obj), "neg", len(neg))
print(dict(sorted(c.items())))
if "--write" in sys.argv:
    rnd = random.Random(19)
    for name, rows in (("en_objections.csv", obj), ("en_negatives.csv", neg)):
        rows = rows[:]; rnd.shuffle(rows)
        with open(os.path.join(D, name), "w", encoding="utf-8", newline="") as f:
            w = csv.writer(f); w.writerow(["text", "label"]); w.writerows(rows)
