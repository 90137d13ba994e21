"""Extract the hand-written customer turns from conversations/en-*.txt into the English csv files.
No text is generated or combined: each csv row is one turn, copied as typed in its log.
Turns labelled '-' (left out: unclear or two objections at once) are skipped."""
import csv, glob, os, random, re, sys
from collections import Counter
D = os.path.dirname(os.path.abspath(__file__))
PAT = re.compile(r"^\d+ \[([^\]]+)\] (\S+) :: (.+)$")
obj, neg, bad = [], [], []
for fn in sorted(glob.glob(os.path.join(D, "conversations", "en-*.txt"))):
    for line in open(fn, encoding="utf-8"):
        line = line.rstrip("\n")
        if re.match(r"^\d+ \[", line):
            m = PAT.match(line)
            if not m:
                bad.append((fn, line)); continue
            role, label, text = m.groups()
            if label == "-":
                continue
            (neg if label == "none" else obj).append((text.strip(), label))
c = Counter(l for _, l in obj)
print("logs:", len(glob.glob(os.path.join(D, "conversations", "en-*.txt"))), "obj:", len(obj), "neg:", len(neg))
print(dict(sorted(c.items())))
for b in bad: print("UNPARSED", b)
if "--write" in sys.argv:
    rnd = random.Random(16)
    for name, rows in (("en_objections.csv", obj), ("en_negatives.csv", neg)):
        rows = rows[:]; rnd.shuffle(rows)
        with open(os.path.join(D, name), "w", encoding="utf-8", newline="") as f:
            w = csv.writer(f); w.writerow(["text", "label"]); w.writerows(rows)
    print("written")
