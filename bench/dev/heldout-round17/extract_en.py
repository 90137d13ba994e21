"""Extracts the hand-written customer turns from conversations/en-*.txt into the en csv files.
No text is generated or combined: each csv row is one turn copied verbatim from a log."""
import csv, glob, os, random, re, sys
from collections import Counter
D = os.path.dirname(os.path.abspath(__file__))
pat = re.compile(r'^\d+\. \(([^)]*)\) \| ([a-z_|]+) \| (.+)$')
obj, neg = [], []
for fn in sorted(glob.glob(os.path.join(D, 'conversations', 'en-*.txt'))):
    for line in open(fn, encoding='utf-8'):
        m = pat.match(line.rstrip('\n'))
        if not m:
            continue
        role, label, text = m.groups()
        (neg if label == 'none' else obj).append((text.strip(), label))
c = Counter(l for _, l in obj)
print('calls', len(glob.glob(os.path.join(D, 'conversations', 'en-*.txt'))), 'obj', len(obj), 'neg', len(neg))
print(dict(sorted(c.items())))
if '--write' in sys.argv:
    random.seed(17)
    for name, rows in (('en_objections.csv', obj), ('en_negatives.csv', neg)):
        rows = rows[:]; random.shuffle(rows)
        with open(os.path.join(D, name), 'w', encoding='utf-8', newline='') as f:
            w = csv.writer(f); w.writerow(['text', 'label']); w.writerows(rows)
