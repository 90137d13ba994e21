"""Finding an account by what the rep types: its id, its name, part of it, or a near miss.

The choices are normalised once (name_key) and kept as {id: key}; each query is normalised once.
Exact names rank first, then names the query starts (or a word of which it starts), then fuzzy
matches (rapidfuzz, scorer and processor given explicitly). One clear winner is the account; a
close race is for the rep to settle (the app asks, the command line lists the candidates).
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz, process

from ..model.accounts import name_key

FUZZY_CUTOFF = 70.0  # below this a name is not a candidate at all
CLEAR_LEAD = 8.0  # a fuzzy match this far ahead of the next one is the one meant
CLOSE_NAMES = 88.0  # two different names at least this similar may be one company (asked about)


@dataclass(frozen=True)
class Candidate:
    account_id: int
    name: str
    score: float  # 0-100
    how: str  # "id", "exact", "prefix" or "fuzzy"


class NameIndex:
    """Every account's name, normalised once, searched by id, name, prefix or near miss."""

    def __init__(self, names: dict[int, tuple[str, str]]) -> None:
        """`names`: {account id: (name, name_key)} as the store lists them."""
        self.names = {account_id: name for account_id, (name, _) in names.items()}
        self.keys = {account_id: key for account_id, (_, key) in names.items()}
        self.by_key: dict[str, int] = {}
        for account_id, key in self.keys.items():
            self.by_key.setdefault(key, account_id)

    def add(self, account_id: int, name: str) -> None:
        key = name_key(name)
        self.names[account_id], self.keys[account_id] = name, key
        self.by_key.setdefault(key, account_id)

    def search(self, query: str, limit: int = 8) -> list[Candidate]:
        """Candidates for `query`, best first."""
        text = " ".join(str(query).split())
        if text.isdigit() and int(text) in self.names:
            account_id = int(text)
            return [Candidate(account_id, self.names[account_id], 100.0, "id")]
        key = name_key(text)
        if not key:
            return []
        found: dict[int, Candidate] = {}
        if key in self.by_key:
            account_id = self.by_key[key]
            found[account_id] = Candidate(account_id, self.names[account_id], 100.0, "exact")
        for account_id, name_text in self.keys.items():
            if account_id not in found and (name_text.startswith(key) or f" {key}" in f" {name_text}"):
                found[account_id] = Candidate(account_id, self.names[account_id], 95.0, "prefix")
            if len(found) >= limit * 4:
                break
        for _, score, account_id in process.extract(key, self.keys, scorer=fuzz.WRatio, processor=None,
                                                    limit=limit, score_cutoff=FUZZY_CUTOFF):
            if account_id not in found:
                found[account_id] = Candidate(account_id, self.names[account_id], float(score), "fuzzy")
        order = {"id": 0, "exact": 0, "prefix": 1, "fuzzy": 2}
        ranked = sorted(found.values(), key=lambda c: (order[c.how], -c.score, self.keys[c.account_id]))
        return ranked[:limit]

    def resolve(self, query: str) -> tuple[Candidate | None, list[Candidate]]:
        """The one account meant, or None with the candidates to choose from (maybe none)."""
        candidates = self.search(query)
        if not candidates:
            return None, []
        best = candidates[0]
        if best.how in ("id", "exact"):
            return best, candidates
        rivals = [c for c in candidates[1:] if c.how == best.how]
        if not rivals or (best.how == "fuzzy" and best.score - rivals[0].score >= CLEAR_LEAD):
            return best, candidates
        return None, candidates

    def close_to(self, name: str, leave_out: int | None = None) -> list[Candidate]:
        """Accounts whose name is different from `name` but close enough to be the same company."""
        key = name_key(name)
        out = []
        for _, score, account_id in process.extract(key, self.keys, scorer=fuzz.token_set_ratio, processor=None,
                                                    limit=5, score_cutoff=CLOSE_NAMES):
            if account_id != leave_out and self.keys[account_id] != key:
                out.append(Candidate(account_id, self.names[account_id], float(score), "fuzzy"))
        return out
