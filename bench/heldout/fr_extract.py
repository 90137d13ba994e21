"""Collect the hand-written customer lines from conversations/fr_*.txt into the two French csv files.
Each line '[role] text => label' is taken as is (role dropped); rows shuffled. No text is generated."""
import csv, glob, os, random, sys
from collections import Counter
D = os.path.dirname(os.path.abspath(__file__))
obj, neg = [], []
for p in sorted(glob.glob(os.path.join(D, "conversations", "fr_*.txt"))):
    for line in open(p, encoding="utf-8"):
        line = line.rstrip("\n")
        if not line.startswith("[") or " => " not in line:
            continue
        body, label = line.rsplit(" => ", 1)
        text = body.split("] ", 1)[1].strip()
        (neg if label.strip() == "none" else obj).append((text, label.strip()))
c = Counter(l for _, l in obj)
print(len(obj), len(neg), dict(sorted(c.items())))
if "--write" in sys.argv:
    rnd = random.Random(19)
    for name, rows in (("fr_objections.csv", obj), ("fr_negatives.csv", neg)):
        rows = rows[:]; rnd.shuffle(rows)
        with open(os.path.join(D, name), "w", encoding="utf-8", newline="") as f:
            w = csv.writer(f); w.writerow(["text", "label"]); w.writerows(rows)
