"""Live speech-to-text with PocketSphinx, printing what `pocketsphinx live` prints.

PocketSphinx 5's command-line program reads raw audio and prints one JSON object per utterance,
`{"b": start, "d": duration, "p": probability, "t": "text", "w": [words]}`. Its Python package
(`pip install pocketsphinx`, English model included, nothing downloaded) has no such program; this
script is one, so that it pairs with `playbook transcript convert --from pocketsphinx`:

    sox -d -r 16000 -c 1 -b 16 -e signed-integer -t raw - \\
      | python examples/pocketsphinx_live.py --lm-from-playbook builtin \\
      | playbook transcript convert --from pocketsphinx --role customer --out call.jsonl

Input: raw 16 kHz, 16-bit, mono audio on stdin (or a file named on the command line). With
`--lm-from-playbook`, the language model is built (with PocketSphinx's own ARPA builder) from the
words a meeting uses: the playbook's objection phrasings, small talk, questions and responses. It
recognises a sales conversation far better than the general English model.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from pathlib import Path

SAMPLE_RATE = 16000


def playbook_sentences(spec: str) -> list[str]:
    """What people say in a meeting run with this playbook, one sentence a line, lower case."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from playbook.format import load_playbook

    playbook = load_playbook(None if spec == "builtin" else spec)
    texts = [*playbook.neutral, *(p for o in playbook.objections for p in o.phrasings),
             *(r.text for o in playbook.objections for r in o.responses),
             *(q.text for q in playbook.questions), *(a for q in playbook.questions for a in q.ask_also),
             *(s for signal in playbook.signals for s in signal.phrasings), *(c.example for c in playbook.closings)]
    sentences = []
    for text in texts:
        for sentence in re.split(r"[.?!;:]+", text.lower()):
            words = re.findall(r"[a-z]+(?:'[a-z]+)?", sentence)
            if words:
                sentences.append(" ".join(words))
    return sentences


def language_model(spec: str) -> str:
    """An ARPA language model of the playbook's sentences, in a temporary file."""
    from pocketsphinx.lm import ArpaBoLM

    corpus = "\n".join(f"<s> {sentence} </s>" for sentence in playbook_sentences(spec))
    model = ArpaBoLM(text=corpus)
    model.compute()
    handle = tempfile.NamedTemporaryFile("w", suffix=".lm", delete=False)
    with handle:
        model.write(handle)
    return handle.name


def utterance(decoder, endpointer) -> dict:
    hypothesis = decoder.hyp()
    start = endpointer.speech_start
    words = []
    frame_rate = decoder.config["frate"]
    for segment in decoder.seg():
        if segment.word.startswith(("<", "[")) or segment.word == "(NULL)":
            continue
        word = re.sub(r"\(\d+\)$", "", segment.word)  # want(2): the dictionary's second pronunciation
        words.append({"b": round(start + segment.start_frame / frame_rate, 3),
                      "d": round((segment.end_frame + 1 - segment.start_frame) / frame_rate, 3),
                      "p": round(decoder.logmath.exp(segment.prob), 3), "t": word})
    return {"b": round(start, 3), "d": round(endpointer.speech_end - start, 3),
            "p": round(decoder.logmath.exp(hypothesis.prob), 3) if hypothesis else 0.0,
            "t": hypothesis.hypstr if hypothesis else "", "w": words}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("audio", nargs="?", help="raw 16 kHz 16-bit mono audio (default: stdin)")
    parser.add_argument("--lm-from-playbook", metavar="PLAYBOOK",
                        help="build the language model from a playbook's sentences (`builtin` or a path)")
    args = parser.parse_args()
    from pocketsphinx import Decoder, Endpointer

    options = {"samprate": SAMPLE_RATE, "loglevel": "ERROR"}
    if args.lm_from_playbook:
        options["lm"] = language_model(args.lm_from_playbook)
    decoder = Decoder(**options)
    endpointer = Endpointer(sample_rate=SAMPLE_RATE)
    source = open(args.audio, "rb") if args.audio else sys.stdin.buffer
    size = endpointer.frame_bytes
    while True:
        frame = source.read(size)
        was_speech = endpointer.in_speech
        if len(frame) < size:
            speech = endpointer.end_stream(frame) if frame or was_speech else None
        else:
            speech = endpointer.process(frame)
        if speech is not None:
            if not was_speech:
                decoder.start_utt()
            decoder.process_raw(speech)
            if not endpointer.in_speech:
                decoder.end_utt()
                print(json.dumps(utterance(decoder, endpointer)), flush=True)
        if len(frame) < size:
            return 0


if __name__ == "__main__":
    sys.exit(main())
