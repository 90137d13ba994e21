# extracts customer turns from my own hand-written en-* logs into the two csv files, shuffled
import re, glob, csv, random, collections, os
D = os.path.dirname(os.path.abspath(__file__))
obj, neg = [], []
pat = re.compile(r'^\[(.+?)\] \((.+?)\) (.+)$')
for fn in sorted(glob.glob(os.path.join(D, 'conversations', 'en-*.txt'))):
    for line in open(fn, encoding='utf-8'):
        m = pat.match(line.rstrip('\n'))
        if not m: continue
        role, label, text = m.groups()
        (neg if label == 'none' else obj).append((text.strip(), label))
random.seed(15)
random.shuffle(obj); random.shuffle(neg)
for name, rows in (('en_objections.csv', obj), ('en_negatives.csv', neg)):
    with open(os.path.join(D, name), 'w', encoding='utf-8', newline='') as f:
        w = csv.writer(f); w.writerow(['text', 'label']); w.writerows(rows)
c = collections.Counter(l for _, l in obj)
print(len(glob.glob(os.path.join(D, 'conversations', 'en-*.txt'))), 'visits', len(obj), 'obj', len(neg), 'neg', dict(sorted(c.items())))
