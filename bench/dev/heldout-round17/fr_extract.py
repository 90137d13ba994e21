# Extracts the hand-written customer turns from conversations/fr-*.txt into the two French csv files.
# No text is generated or combined: each csv row is one turn copied as written in a log.
import csv, glob, os, random, re, sys
from collections import Counter
D = os.path.dirname(os.path.abspath(__file__))
pat = re.compile(r"^\[([^\]]+)\] (.+) \|\| (\S+)\s*$")
obj, neg = [], []
for fn in sorted(glob.glob(os.path.join(D, "conversations", "fr-*.txt"))):
    for line in open(fn, encoding="utf-8"):
        m = pat.match(line.rstrip("\n"))
        if not m:
            continue
        text, label = m.group(2).strip(), m.group(3)
        (neg if label == "none" else obj).append((text, label))
c = Counter(l for _, l in obj)
print("objections", len(obj), dict(sorted(c.items())))
print("negatives", len(neg))
if "--write" in sys.argv:
    rnd = random.Random(17)
    for name, rows in (("fr_objections.csv", obj), ("fr_negatives.csv", neg)):
        rows = rows[:]; rnd.shuffle(rows)
        with open(os.path.join(D, name), "w", encoding="utf-8", newline="") as f:
            w = csv.writer(f); w.writerow(["text", "label"]); w.writerows(rows)
