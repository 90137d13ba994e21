"""Quality check for the heldout19 set (issue 13, round 19).

Floors: en_objections 400 lines / 42 per category; fr_objections 220 / 22;
en_negatives 300; fr_negatives 160. Two-way labels under 3.5% of a file.
Flags near-duplicates within a file (similarity > 0.9) and objection lines
near-identical to a negative line of the same language (similarity > 0.75).
"""
import csv, sys, os
from collections import Counter
from difflib import SequenceMatcher

D = os.path.dirname(os.path.abspath(__file__))
CATS = ["price","timing","need","product","messenger","authority","competitor","brush_off","risk"]
TWO_WAY = {"timing|brush_off","price|timing"}
FILES = {
    "en_objections.csv": ("obj", 400, 42),
    "fr_objections.csv": ("obj", 220, 22),
    "en_negatives.csv": ("neg", 300, 0),
    "fr_negatives.csv": ("neg", 160, 0),
}
try:
    from rapidfuzz.fuzz import ratio as _rf
    sim = lambda a, b: _rf(a, b) / 100.0
except ImportError:
    sim = lambda a, b: SequenceMatcher(None, a, b).ratio()

def load(name):
    with open(os.path.join(D, name), encoding="utf-8", newline="") as f:
        r = csv.reader(f)
        hdr = next(r)
        assert hdr == ["text", "label"], (name, hdr)
        rows = [tuple(x) for x in r]
    for x in rows:
        assert len(x) == 2, (name, x)
    return rows

# `check.py en` or `check.py fr` checks one language's files only (each writer checks their own).
LANGS = [a for a in sys.argv[1:] if a in ("en", "fr")] or ["en", "fr"]
FILES = {name: spec for name, spec in FILES.items() if name[:2] in LANGS}

errors = 0
data = {}
for name, (kind, floor_total, floor_cat) in FILES.items():
    rows = load(name); data[name] = rows
    c = Counter(l for _, l in rows)
    for t, l in rows:
        ok = (l == "none") if kind == "neg" else (l in CATS or l in TWO_WAY)
        if not ok or not t.strip():
            print("BAD LABEL/TEXT", name, repr(t), l); errors += 1
    if len(rows) < floor_total:
        print("TOO FEW", name, len(rows)); errors += 1
    if kind == "obj":
        for cat in CATS:
            if c[cat] < floor_cat:
                print("CATEGORY BELOW FLOOR", name, cat, c[cat]); errors += 1
        tw = sum(c[k] for k in TWO_WAY)
        if tw / len(rows) > 0.035:
            print("TOO MANY TWO-WAY", name, tw); errors += 1
    print(name, len(rows), dict(sorted(c.items())))
    # near duplicates within file
    low = [t.lower() for t, _ in rows]
    for i in range(len(low)):
        for j in range(i + 1, len(low)):
            if low[i] == low[j] or sim(low[i], low[j]) > 0.9:
                print("NEAR-DUP", name, "|", rows[i][0], "|", rows[j][0]); errors += 1

for lang in LANGS:
    obj = [t.lower() for t, _ in data[f"{lang}_objections.csv"]]
    neg = [t.lower() for t, _ in data[f"{lang}_negatives.csv"]]
    for a in obj:
        for b in neg:
            if sim(a, b) > 0.75:
                print("OBJ~NEG", lang, "|", a, "|", b); errors += 1

print("ERRORS:", errors)
sys.exit(1 if errors else 0)
