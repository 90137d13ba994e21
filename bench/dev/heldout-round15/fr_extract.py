# extracts "role | label | text" lines from my own fr-*.txt logs, shuffles, writes the fr csv files
import csv, glob, random, sys
from collections import Counter
obj, neg = [], []
for fn in sorted(glob.glob('/work/heldout15/conversations/fr-*.txt')):
    for line in open(fn, encoding='utf-8'):
        parts = line.rstrip('\n').split(' | ', 2)
        if len(parts) != 3: continue
        role, label, text = parts
        (neg if label == 'none' else obj).append((text.strip(), label.strip()))
print(len(obj), len(neg), sorted(Counter(l for _, l in obj).items()))
if len(sys.argv) > 1:
    random.seed(int(sys.argv[1]))
    for name, rows in (('fr_objections.csv', obj), ('fr_negatives.csv', neg)):
        random.shuffle(rows)
        with open('/work/heldout15/' + name, 'w', encoding='utf-8', newline='') as f:
            w = csv.writer(f); w.writerow(['text', 'label']); w.writerows(rows)
