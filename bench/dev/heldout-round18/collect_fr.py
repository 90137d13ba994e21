"""Collect the hand-written customer turns from conversations/fr_*.txt into the French csv files.
Only extracts and shuffles; no text is generated or combined."""
import csv, glob, os, random, re, sys
from collections import Counter
D = os.path.dirname(os.path.abspath(__file__))
PAT = re.compile(r"^- \(([^)]*)\) (.*) => (\S+)\s*$")
obj, neg = [], []
for fn in sorted(glob.glob(os.path.join(D, "conversations", "fr_*.txt"))):
    for line in open(fn, encoding="utf-8"):
        if line.startswith("- ("):
            m = PAT.match(line.rstrip("\n"))
            if not m:
                print("UNPARSED", fn, line.strip()); continue
            text, label = m.group(2).strip(), m.group(3)
            (neg if label == "none" else obj).append((text, label))
c = Counter(l for _, l in obj)
print("objections", len(obj), dict(sorted(c.items())))
print("negatives", len(neg))
if "--write" in sys.argv:
    random.seed(18)
    random.shuffle(obj); random.shuffle(neg)
    for name, rows in (("fr_objections.csv", obj), ("fr_negatives.csv", neg)):
        with open(os.path.join(D, name), "w", encoding="utf-8", newline="") as f:
            w = csv.writer(f); w.writerow(["text", "label"]); w.writerows(rows)
    print("written")
