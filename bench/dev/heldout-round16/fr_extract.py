"""Extract the hand-written customer turns from conversations/fr-*.txt into the French csv files.
No text is generated or combined: each csv row is one turn exactly as typed in a log."""
import csv, glob, os, random, sys
from collections import Counter
D = os.path.dirname(os.path.abspath(__file__))
obj, neg = [], []
for p in sorted(glob.glob(os.path.join(D, "conversations", "fr-*.txt"))):
    for line in open(p, encoding="utf-8"):
        parts = line.rstrip("\n").split(" | ", 3)
        if len(parts) == 4 and parts[0].strip().isdigit():
            _, role, label, text = parts
            (neg if label == "none" else obj).append((text.strip(), label.strip()))
c = Counter(l for _, l in obj)
print("convs", len(glob.glob(os.path.join(D, "conversations", "fr-*.txt"))), "obj", len(obj), "neg", len(neg))
print(dict(sorted(c.items())))
if "--write" in sys.argv:
    rnd = random.Random(16)
    for name, rows in (("fr_objections.csv", obj), ("fr_negatives.csv", neg)):
        rows = rows[:]; rnd.shuffle(rows)
        with open(os.path.join(D, name), "w", encoding="utf-8", newline="") as f:
            w = csv.writer(f); w.writerow(["text", "label"]); w.writerows(rows)
