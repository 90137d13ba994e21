"""Converters: a local speech-to-text tool's live output, line by line, into canonical lines.

`playbook transcript convert --from NAME` feeds each line the tool prints to `feed` and writes the
Lines it returns; `finish` says what is left when the tool stops. Each converter knows one tool's
own output, as its documentation and source show it (tests/transcripts/ keeps a sample of each,
with where its format comes from):

- `vosk`: Vosk's recognisers print `{"partial": "..."}` while a phrase is heard and
  `{"text": "...", "result": [words]}` when it ends (alphacep/vosk-api, python/example/
  test_microphone.py prints `rec.PartialResult()` / `rec.Result()`, pretty-printed over several
  lines).
- `whisper-stream`: whisper.cpp's `whisper-stream` in its VAD mode (`--step 0`) prints blocks
  `### Transcription N START | t0 = ... ms | t1 = ... ms`, then `[hh:mm:ss.mmm --> hh:mm:ss.mmm]  text`
  lines timed within the block, then `### Transcription N END` (examples/stream/stream.cpp). With
  a long `--length`, a block transcribes audio an earlier block covered: a segment ending where
  the transcript already is is dropped.
- `whisper-streaming`: ufal/whisper_streaming prints each committed stretch as `beg_ms end_ms text`
  (whisper_online_server.py), or `emission_ms beg_ms end_ms text` (whisper_online.py). Stretches
  are parts of sentences: they are joined into one utterance, shown as a partial line as it grows,
  and final at the end of a sentence (. ? !) or after a pause of a second.
- `whisperlive`: collabora/WhisperLive's server sends `{"uid": ..., "segments": [{"start": "0.000",
  "end": "2.340", "text": ..., "completed": true}, ...]}`: the last segments again each time, the
  last one not completed yet (whisper_live/backend/base.py). One message (or its list of segments)
  per line.
- `pocketsphinx`: PocketSphinx 5's `pocketsphinx live` prints one JSON object per utterance,
  `{"b": start, "d": duration, "p": probability, "t": "text", "w": [words]}` (programs/
  pocketsphinx_main.c); examples/pocketsphinx_live.py prints the same with the Python package.

Ids are `PREFIX` + a number, the prefix naming the run, so that two converters appending to one
file (one per side of a call) or a converter restarted on the same file never reuse an id.
"""

from __future__ import annotations

import json
import re
import time
from typing import Any, Callable

from .lines import MAX_SPEAKER, MAX_TEXT, Line, Role, seconds

SENTENCE_END = re.compile(r"[.?!…。？！]['\")\]]*$")
PAUSE_SECONDS = 1.0  # whisper-streaming: a gap this long between stretches ends an utterance
OVERLAP_TOLERANCE = 0.3  # whisper-stream: a segment must end this much past the transcript to be new
MAX_JSON_LINES = 2000  # a pretty-printed object longer than this is given up on
NON_SPEECH = re.compile(r"^\s*(?:\[[^\]]*\]|\([^)]*\)|\*[^*]*\*|\s)*\s*$")  # [BLANK_AUDIO], (music), *laughs*


def run_prefix(name: str, clock: Callable[[], float] = time.time) -> str:
    """A prefix for this run's ids: the name, then the time in base 36 (short, and new each run)."""
    stamp, digits = int(clock()), ""
    while True:
        stamp, rest = divmod(stamp, 36)
        digits = "0123456789abcdefghijklmnopqrstuvwxyz"[rest] + digits
        if not stamp:
            break
    return f"{name}-{digits}-"


class Converter:
    """A tool's output in, canonical lines out. `speaker` and `role` are given to every line
    (one converter per channel of a call: the rep's microphone, the customer's side)."""

    name = ""

    def __init__(self, speaker: str = "", role: Role | None = None, prefix: str | None = None) -> None:
        self.speaker = " ".join(speaker.split())[:MAX_SPEAKER]
        self.role = role
        self.prefix = run_prefix(self.speaker or role or self.name) if prefix is None else prefix
        self._count = 0

    def feed(self, text: str) -> list[Line]:
        raise NotImplementedError

    def finish(self) -> list[Line]:
        return []

    def _new_id(self) -> str:
        self._count += 1
        return f"{self.prefix}{self._count}"

    def _line(self, ident: str, text: str, final: bool, t0: float | None = None, t1: float | None = None,
              speaker: str = "") -> Line:
        text = " ".join(text.split())[:MAX_TEXT]
        return Line(ident, text, final, self.speaker or " ".join(speaker.split())[:MAX_SPEAKER], self.role,
                    _time(t0), _time(t1))


def _time(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if number >= 0 and number == number and number != float("inf") else None


def _speech(text: str) -> str:
    """The words of a segment, without non-speech marks ([BLANK_AUDIO], (music))."""
    return "" if NON_SPEECH.match(text) else text.strip()


class _JsonObjects:
    """JSON objects from a stream of lines, each on one line or pretty-printed over several; text
    between objects (a tool's banner) is skipped."""

    def __init__(self) -> None:
        self._lines: list[str] = []

    def feed(self, line: str) -> list[Any]:
        if not self._lines and not line.lstrip().startswith(("{", "[")):
            return []
        self._lines.append(line)
        try:
            value = json.loads("\n".join(self._lines))
        except ValueError:
            if len(self._lines) > MAX_JSON_LINES or (len(self._lines) > 1 and line.lstrip().startswith(("{", "["))
                                                     and _loads(line) is not None):
                # A new object began before the old one ended: the old one was not JSON.
                self._lines = []
                value = _loads(line)
                return [] if value is None else [value]
            return []
        self._lines = []
        return [value]


def _loads(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return None


class Vosk(Converter):
    name = "vosk"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._objects = _JsonObjects()
        self._current: str | None = None  # the id of the phrase being heard
        self._last_partial = ""

    def feed(self, text: str) -> list[Line]:
        out: list[Line] = []
        for value in self._objects.feed(text):
            if not isinstance(value, dict):
                continue
            if isinstance(value.get("partial"), str):
                partial = " ".join(value["partial"].split())
                if partial and partial != self._last_partial:
                    if self._current is None:
                        self._current = self._new_id()
                    self._last_partial = partial
                    words = value.get("partial_result")
                    out.append(self._line(self._current, partial, False, *_word_times(words)))
            elif isinstance(value.get("text"), str):
                final = " ".join(value["text"].split())
                if final or self._current is not None:
                    ident = self._current or self._new_id()
                    out.append(self._line(ident, final, True, *_word_times(value.get("result"))))
                self._current, self._last_partial = None, ""
            elif isinstance(value.get("alternatives"), list) and value["alternatives"]:
                best = value["alternatives"][0]
                if isinstance(best, dict) and isinstance(best.get("text"), str):
                    ident = self._current or self._new_id()
                    out.append(self._line(ident, best["text"], True, *_word_times(best.get("result"))))
                    self._current, self._last_partial = None, ""
        return out


def _word_times(words: Any) -> tuple[float | None, float | None]:
    if not isinstance(words, list) or not words or not all(isinstance(w, dict) for w in words):
        return None, None
    return _time(words[0].get("start")), _time(words[-1].get("end"))


class WhisperStream(Converter):
    name = "whisper-stream"
    BLOCK = re.compile(r"^###\s+Transcription\s+(\d+)\s+START\b.*?t0\s*=\s*(\d+)\s*ms")
    END = re.compile(r"^###\s+Transcription\s+\d+\s+END\b")
    SEGMENT = re.compile(r"^\[(\d+:\d{2}:\d{2}[.,]\d{3})\s*-->\s*(\d+:\d{2}:\d{2}[.,]\d{3})\]\s?(.*)$")
    ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._base: float | None = None
        self._covered = 0.0  # the end of the last segment written, in seconds of the recording

    def feed(self, text: str) -> list[Line]:
        text = self.ANSI.sub("", text).split("\r")[-1].strip()
        block = self.BLOCK.match(text)
        if block:
            self._base = int(block.group(2)) / 1000.0
            return []
        if self.END.match(text):
            self._base = None
            return []
        segment = self.SEGMENT.match(text)
        if segment is None or self._base is None:
            return []
        words = _speech(segment.group(3).replace("[SPEAKER_TURN]", ""))
        t0, t1 = self._base + seconds(segment.group(1)), self._base + seconds(segment.group(2))
        if not words or t1 <= self._covered + OVERLAP_TOLERANCE:
            return []
        self._covered = t1
        return [self._line(self._new_id(), words, True, t0, t1)]


class WhisperStreaming(Converter):
    name = "whisper-streaming"
    STRETCH = re.compile(r"^\s*(\d+(?:\.\d+)?)\s+(\d+(?:\.\d+)?)\s+(\d+(?:\.\d+)?\s+)?(.*)$")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._id: str | None = None
        self._words = ""
        self._t0: float | None = None
        self._t1: float | None = None

    def feed(self, text: str) -> list[Line]:
        match = self.STRETCH.match(text)
        if match is None:
            return []
        first, second, third, words = match.groups()
        if third is not None and "." in first:  # emission_ms beg_ms end_ms text (whisper_online.py)
            beg, end = float(second), float(third)
        else:  # beg_ms end_ms text (the server); a number starting the text stays in it
            beg, end = float(first), float(second)
            if third is not None:
                words = third + words
        words = _speech(words)
        if not words:
            return []
        out: list[Line] = []
        beg, end = beg / 1000.0, end / 1000.0
        if self._id is not None and self._t1 is not None and beg - self._t1 >= PAUSE_SECONDS:
            out.extend(self._close())
        if self._id is None:
            self._id, self._t0 = self._new_id(), beg
        self._words = f"{self._words} {words}".strip()
        self._t1 = end
        if SENTENCE_END.search(self._words):
            out.extend(self._close())
        else:
            out.append(self._line(self._id, self._words, False, self._t0, self._t1))
        return out

    def _close(self) -> list[Line]:
        if self._id is None:
            return []
        line = self._line(self._id, self._words, True, self._t0, self._t1)
        self._id, self._words, self._t0, self._t1 = None, "", None, None
        return [line]

    def finish(self) -> list[Line]:
        return self._close()


class WhisperLive(Converter):
    name = "whisperlive"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._done: dict[str, str] = {}  # start of each completed segment written -> its id
        self._open: str | None = None  # the id of the segment still being heard
        self._open_text = ""
        self._objects = _JsonObjects()

    def feed(self, text: str) -> list[Line]:
        out: list[Line] = []
        for value in self._objects.feed(text):
            segments = value.get("segments") if isinstance(value, dict) else value
            if not isinstance(segments, list):
                continue
            for segment in segments:
                if isinstance(segment, dict) and isinstance(segment.get("text"), str):
                    out.extend(self._segment(segment))
        return out

    def _segment(self, segment: dict[str, Any]) -> list[Line]:
        start = str(segment.get("start", ""))
        words = _speech(segment["text"])
        speaker = str(segment.get("speaker") or "")
        t0, t1 = _time(segment.get("start")), _time(segment.get("end"))
        if segment.get("completed"):
            if start in self._done:
                return []
            heard_before = self._open is not None
            ident = self._open or self._new_id()  # the partial being heard becomes this segment
            self._open, self._open_text = None, ""
            self._done[start] = ident
            return [self._line(ident, words, True, t0, t1, speaker)] if words or heard_before else []
        if not words or words == self._open_text:
            return []
        if self._open is None:
            self._open = self._new_id()
        self._open_text = words
        return [self._line(self._open, words, False, t0, t1, speaker)]

    def finish(self) -> list[Line]:
        if self._open is None:
            return []
        line = self._line(self._open, self._open_text, True)
        self._open = None
        return [line]


class PocketSphinx(Converter):
    name = "pocketsphinx"

    def feed(self, text: str) -> list[Line]:
        value = _loads(text.strip()) if text.lstrip().startswith("{") else None
        if not isinstance(value, dict) or not isinstance(value.get("t"), str):
            return []
        words = _speech(re.sub(r"<[^>]*>|\[[A-Z_]+\]|\(\d+\)", " ", value["t"]))
        if not words:
            return []
        start, duration = _time(value.get("b")), _time(value.get("d"))
        end = start + duration if start is not None and duration is not None else None
        return [self._line(self._new_id(), words, True, start, end)]


CONVERTERS: dict[str, type[Converter]] = {
    cls.name: cls for cls in (Vosk, WhisperStream, WhisperStreaming, WhisperLive, PocketSphinx)
}
