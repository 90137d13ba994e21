"""The live transcript's engine (issue 20): the line format and its JSON Schema, following a file
as it grows, the converters on each tool's sample output, and the card policy."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from playbook.format import load_playbook
from playbook.matching.matcher import Match
from playbook.transcript.cards import CardPolicy, repeats
from playbook.transcript.converters import CONVERTERS
from playbook.transcript.follower import Follower, Notice, Position
from playbook.transcript.lines import Line, LineError, parse_cue, parse_json_line

SAMPLES = Path(__file__).parent / "transcripts"
SCHEMA = json.loads((Path(__file__).parent.parent / "playbook" / "schema" / "transcript.schema.json").read_text())


def line(ident: str, text: str, final: bool = True, **more) -> str:
    return json.dumps({"v": 1, "id": ident, "text": text, "final": final, **more})


# -- the format ------------------------------------------------------------------------------


def test_the_schema_is_a_valid_draft_2020_12_schema_with_every_field_described() -> None:
    Draft202012Validator.check_schema(SCHEMA)
    assert set(SCHEMA["properties"]) == {"v", "id", "t0", "t1", "speaker", "role", "text", "final"}
    assert all(prop.get("description") for prop in SCHEMA["properties"].values())


GOOD = [
    {"v": 1, "id": "u17", "t0": 12.4, "t1": 15.0, "speaker": "SPEAKER_01", "role": "customer", "text": "too dear", "final": True},
    {"v": 1, "id": "u1", "text": "", "final": False},
    {"v": 1, "id": "x", "text": "hi", "final": True, "role": None, "speaker": None, "t0": None, "conf": 0.9},
    {"v": 1, "id": "x", "text": "hi", "final": True, "t0": 0},
]
BAD = [
    {"id": "u1", "text": "no version", "final": True},
    {"v": 2, "id": "u1", "text": "a later version", "final": True},
    {"v": True, "id": "u1", "text": "true is not 1", "final": True},
    {"v": 1, "id": "", "text": "empty id", "final": True},
    {"v": 1, "id": 7, "text": "numeric id", "final": True},
    {"v": 1, "id": "u1", "final": True},
    {"v": 1, "id": "u1", "text": "final missing"},
    {"v": 1, "id": "u1", "text": "final as text", "final": "yes"},
    {"v": 1, "id": "u1", "text": "a role unknown", "final": True, "role": "manager"},
    {"v": 1, "id": "u1", "text": "negative time", "final": True, "t0": -1},
    {"v": 1, "id": "u1", "text": "time as text", "final": True, "t1": "3"},
    {"v": 1, "id": "u1", "text": "speaker as number", "final": True, "speaker": 3},
    {"v": 1, "id": "u1", "text": "x" * 5001, "final": True},
    ["not", "an", "object"],
]


@pytest.mark.parametrize("value", GOOD)
def test_a_line_the_schema_accepts_is_read(value) -> None:
    Draft202012Validator(SCHEMA).validate(value)
    parsed = parse_json_line(json.dumps(value))
    assert (parsed.id, parsed.text, parsed.final) == (value["id"], value["text"], value["final"])


@pytest.mark.parametrize("value", BAD)
def test_a_line_the_schema_refuses_is_refused_in_words(value) -> None:
    assert list(Draft202012Validator(SCHEMA).iter_errors(value))
    with pytest.raises(LineError) as error:
        parse_json_line(json.dumps(value))
    assert str(error.value) and "\n" not in str(error.value)


def test_a_written_line_is_valid_and_reads_back_the_same() -> None:
    written = Line("u1", "it's \u202etoo dear", False, "Anna", "customer", 1.23456, 2.0)
    value = json.loads(written.dumps())
    Draft202012Validator(SCHEMA).validate(value)
    assert "\u202e" not in written.dumps()  # escaped, so no terminal reorders it
    assert parse_json_line(written.dumps()) == Line("u1", "it's \u202etoo dear", False, "Anna", "customer", 1.235, 2.0)


def test_cues_give_their_speaker_from_a_voice_tag_or_a_prefix() -> None:
    assert parse_cue(["3", "00:01:02.500 --> 00:01:04.000", "<v Anna Martin>Too <i>dear</i> for us</v>"], 1) == \
        Line("cue-3", "Too dear for us", True, "Anna Martin", None, 62.5, 64.0)
    assert parse_cue(["00:00:01,000 --> 00:00:02,000", "[SPEAKER_01]: too dear", "for us"], 4) == \
        Line("cue#4", "too dear for us", True, "SPEAKER_01", None, 1.0, 2.0)
    assert parse_cue(["WEBVTT"], 1) is None and parse_cue(["NOTE", "a comment"], 1) is None


# -- following a file --------------------------------------------------------------------------


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def append(path: Path, text: str) -> None:
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(text)


def lines_of(updates) -> list[tuple[str, str, bool]]:
    return [(u.id, u.text, u.final) for u in updates if isinstance(u, Line)]


def test_half_a_line_waits_for_the_rest(tmp_path: Path) -> None:
    path = tmp_path / "call.jsonl"
    path.write_text("")
    follower = Follower(path)
    whole = line("u1", "it is too expensive")
    append(path, whole[:20])
    assert follower.poll() == []
    append(path, whole[20:])
    assert follower.poll() == []  # still no newline
    append(path, "\n")
    assert lines_of(follower.poll()) == [("u1", "it is too expensive", True)]


def test_it_starts_at_the_end_by_default_and_at_the_start_with_replay(tmp_path: Path) -> None:
    path = tmp_path / "call.jsonl"
    path.write_text(line("u1", "said before") + "\n" + line("u2", "half", False)[:10])
    live = Follower(path)
    replay = Follower(path, replay=True)
    assert live.poll() == []
    assert lines_of(replay.poll()) == [("u1", "said before", True)]
    append(path, line("u2", "half", False)[10:] + "\n")
    assert lines_of(live.poll()) == [("u2", "half", False)]  # the unfinished line is read once done
    assert lines_of(replay.poll()) == [("u2", "half", False)]


def test_a_malformed_line_gets_one_notice_with_its_number_and_following_goes_on(tmp_path: Path) -> None:
    path = tmp_path / "call.jsonl"
    path.write_text("")
    follower = Follower(path)
    append(path, line("u1", "fine") + "\n" + '{"v": 1, "id": oops}\n' + "\n" + line("u2", "still fine") + "\n"
           + json.dumps({"v": 1, "id": "u3", "text": "no final"}) + "\n")
    updates = follower.poll()
    notices = [u.text for u in updates if isinstance(u, Notice)]
    assert lines_of(updates) == [("u1", "fine", True), ("u2", "still fine", True)]
    assert notices == [f"{path}:2: not JSON (Expecting value); line skipped, following goes on",
                       f'{path}:5: "final" must be true or false; line skipped, following goes on']


def test_truncation_is_read_again_from_the_start(tmp_path: Path) -> None:
    path = tmp_path / "call.jsonl"
    path.write_text(line("u1", "a long first line of the call, well past what comes next") + "\n")
    follower = Follower(path, replay=True)
    assert len(lines_of(follower.poll())) == 1
    path.write_text(line("u9", "after truncation") + "\n")
    updates = follower.poll()
    assert lines_of(updates) == [("u9", "after truncation", True)]
    assert any(isinstance(u, Notice) and "truncated" in u.text for u in updates)


def test_rotation_reads_the_rest_of_the_old_file_then_the_new_one(tmp_path: Path) -> None:
    path = tmp_path / "call.jsonl"
    path.write_text("")
    follower = Follower(path)
    append(path, line("u1", "before rotation") + "\n")
    assert lines_of(follower.poll()) == [("u1", "before rotation", True)]
    append(path, line("u2", "last words of the old file") + "\n")
    os.rename(path, tmp_path / "call.jsonl.1")
    path.write_text(line("u3", "first words of the new file") + "\n")
    assert lines_of(follower.poll()) == [("u2", "last words of the old file", True), ("u3", "first words of the new file", True)]
    append(path, line("u4", "and on") + "\n")
    assert lines_of(follower.poll()) == [("u4", "and on", True)]


def test_a_missing_file_is_waited_for(tmp_path: Path) -> None:
    path = tmp_path / "later.jsonl"
    follower = Follower(path)
    first = follower.poll()
    assert [u.text for u in first if isinstance(u, Notice)] == [f"{path}: waiting for the transcript file to appear"]
    assert follower.poll() == []  # said once
    path.write_text(line("u1", "there now") + "\n")
    assert lines_of(follower.poll()) == [("u1", "there now", True)]  # a new file is read from its start


def test_a_saved_position_resumes_where_following_stopped(tmp_path: Path) -> None:
    path = tmp_path / "call.jsonl"
    path.write_text(line("u1", "one") + "\n")
    first = Follower(path, replay=True)
    first.poll()
    position = first.position
    first.close()
    append(path, line("u2", "two") + "\n" + "garbage\n")
    again = Follower(path, position=position)
    updates = again.poll()
    assert lines_of(updates) == [("u2", "two", True)]
    assert [u.text for u in updates if isinstance(u, Notice)][0].startswith(f"{path}:3:")  # numbering goes on
    other = tmp_path / "other.jsonl"
    other.write_text(line("o1", "another file") + "\n")
    assert lines_of(Follower(other, position=Position(str(other), 1, 1, 9999, 40)).poll()) == [("o1", "another file", True)]


def test_the_follower_never_writes_the_file(tmp_path: Path) -> None:
    path = tmp_path / "call.jsonl"
    path.write_text(line("u1", "one") + "\n")
    path.chmod(0o444)
    before = path.stat().st_mtime_ns
    follower = Follower(path, replay=True)
    assert lines_of(follower.poll()) == [("u1", "one", True)]
    follower.close()
    assert path.stat().st_mtime_ns == before


def test_webvtt_and_srt_files_are_followed_cue_by_cue(tmp_path: Path) -> None:
    clock = Clock()
    vtt = Follower(SAMPLES / "call.vtt", replay=True, clock=clock)
    first = vtt.poll()
    assert [(u.id, u.speaker, u.text) for u in first if isinstance(u, Line)] == [
        ("cue-1", "Rep", "Thanks for making the time today."),
        ("cue-2", "Anna Martin", "Honestly, it is way too expensive for us."),
    ]  # the last cue has no blank line after it yet
    clock.now += 2  # the file rests: the last cue counts
    assert [(u.id, u.text) for u in vtt.poll() if isinstance(u, Line)] == [("cue#3", "Can you send me a brochure?")]
    srt = Follower(SAMPLES / "call.srt", replay=True)
    assert [(u.speaker, u.text, u.t0) for u in srt.poll() if isinstance(u, Line)] == [
        ("SPEAKER_00", "Thanks for making the time today.", 0.0),
        ("SPEAKER_01", "Honestly, it is way too expensive for us.", 2.6),
    ]
    growing = tmp_path / "live.vtt"
    growing.write_text("WEBVTT\n\n1\n00:00:00.000 --> 00:00:01.000\nsaid before\n\n")
    follower = Follower(growing)
    assert follower.poll() == []
    append(growing, "2\n00:00:02.000 --> 00:00:03.000\n<v Anna>too dear\n")
    assert follower.poll() == []
    append(growing, "\n")
    assert [(u.id, u.speaker, u.text) for u in follower.poll() if isinstance(u, Line)] == [("cue-2", "Anna", "too dear")]


# -- converters --------------------------------------------------------------------------------


def convert(name: str, sample: str, **options) -> list[Line]:
    converter = CONVERTERS[name](options.get("speaker", ""), options.get("role"), options.get("prefix", "t-"))
    out: list[Line] = []
    for raw in (SAMPLES / sample).read_text(encoding="utf-8").splitlines():
        out += converter.feed(raw)
    return out + converter.finish()


def test_vosk_partials_then_the_result_share_one_id() -> None:
    lines = convert("vosk", "vosk_microphone.txt", role="customer")
    assert [(l.id, l.text, l.final) for l in lines] == [
        ("t-1", "honestly", False),
        ("t-1", "honestly it is", False),
        ("t-1", "honestly it is way too expensive", False),
        ("t-1", "honestly it is way too expensive for us", True),
        ("t-2", "um", False),
        ("t-2", "", True),  # the false start is withdrawn
        ("t-3", "send me a brochure", False),
        ("t-3", "send me a brochure", True),
    ]
    assert (lines[3].t0, lines[3].t1, lines[3].role) == (0.21, 2.46, "customer")


def test_whisper_stream_blocks_become_timed_final_lines_without_repeats() -> None:
    lines = convert("whisper-stream", "whisper_stream_vad.txt")
    assert [(l.text, l.t0, l.t1) for l in lines] == [
        ("Thanks for making the time today.", 0.0, 2.4),
        ("How is the quarter going for you?", 2.4, 4.2),
        ("Busy. Honestly, it is way too expensive for us.", 4.2, 7.0),  # the block's offset added
    ]
    assert all(l.final for l in lines) and len({l.id for l in lines}) == 3


def test_whisper_streaming_stretches_grow_into_sentences() -> None:
    lines = convert("whisper-streaming", "whisper_streaming_server.txt")
    assert [(l.id, l.text, l.final) for l in lines] == [
        ("t-1", "Thanks for making", False),
        ("t-1", "Thanks for making the time today.", True),
        ("t-2", "How is the quarter going", False),
        ("t-2", "How is the quarter going for you?", True),
        ("t-3", "Busy.", True),
        ("t-4", "Honestly, it is way", False),
        ("t-4", "Honestly, it is way too expensive for us.", True),
        ("t-5", "2 licences would be", False),  # a number starting the text stays in it
        ("t-5", "2 licences would be", True),  # what is left when the tool stops
    ]
    assert (lines[6].t0, lines[6].t1) == (7.0, 9.4)
    simulated = convert("whisper-streaming", "whisper_online.txt")
    assert [(l.text, l.final) for l in simulated if l.final] == [
        ("Thanks for making the time today.", True), ("Honestly, it is way too expensive for us.", True)]
    assert simulated[-1].t0 == 7.0  # the emission time is not taken for the start


def test_whisperlive_segments_are_written_once_the_partial_replaced_by_its_final() -> None:
    lines = convert("whisperlive", "whisperlive_segments.jsonl")
    assert [(l.id, l.text, l.final, l.speaker) for l in lines] == [
        ("t-1", "Thanks for making", False, ""),
        ("t-1", "Thanks for making the time today.", True, ""),
        ("t-2", "Honestly, it is", False, ""),
        ("t-2", "Honestly, it is way too expensive", False, ""),
        ("t-2", "Honestly, it is way too expensive for us.", True, "SPEAKER_01"),
        ("t-3", "Hmm", False, ""),
        ("t-3", "Hmm", True, ""),
    ]


def test_pocketsphinx_utterances_are_final_lines() -> None:
    lines = convert("pocketsphinx", "pocketsphinx_live.jsonl", speaker="line-in", role="customer")
    assert [(l.text, l.t0, l.t1, l.speaker, l.role) for l in lines] == [
        ("thanks for making the time today", 0.52, 2.67, "line-in", "customer"),
        ("it is way too expensive for us", 4.61, 6.66, "line-in", "customer"),
    ]


@pytest.mark.parametrize("name, sample", [("vosk", "vosk_microphone.txt"), ("whisper-stream", "whisper_stream_vad.txt"),
                                          ("whisper-streaming", "whisper_streaming_server.txt"),
                                          ("whisperlive", "whisperlive_segments.jsonl"),
                                          ("pocketsphinx", "pocketsphinx_live.jsonl")])
def test_convert_on_the_command_line_writes_valid_lines_or_appends_them(cli, monkeypatch, tmp_path: Path, name, sample) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO((SAMPLES / sample).read_text(encoding="utf-8")))
    result = cli("transcript", "convert", "--from", name, "--role", "customer", "--id-prefix", "c-")
    assert result.code == 0, result.err
    written = [json.loads(raw) for raw in result.out.splitlines()]
    assert written and all(not list(Draft202012Validator(SCHEMA).iter_errors(w)) for w in written)
    assert any(w["final"] and "too expensive" in w["text"] for w in written)
    out = tmp_path / "call.jsonl"
    out.write_text(line("earlier", "kept") + "\n")
    monkeypatch.setattr("sys.stdin", io.StringIO((SAMPLES / sample).read_text(encoding="utf-8")))
    appended = cli("transcript", "convert", "--from", name, "--out", str(out), "--id-prefix", "c-")
    assert appended.code == 0 and appended.out == ""
    assert out.read_text().splitlines()[0] == line("earlier", "kept")
    assert len(out.read_text().splitlines()) == len(written) + 1
    lines = [l for l in Follower(out, replay=True).poll() if isinstance(l, Line)]
    assert len(lines) == len(written) + 1


def test_convert_refuses_an_unwritable_output_in_one_line(cli, monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    result = cli("transcript", "convert", "--from", "vosk", "--out", str(tmp_path / "no" / "such" / "dir.jsonl"))
    assert result.code == 1 and result.err.count("\n") == 1 and "cannot be written" in result.err


def test_ids_differ_from_run_to_run_unless_given() -> None:
    first = CONVERTERS["pocketsphinx"]("", "customer")
    assert first.prefix.startswith("customer-") and first.prefix != CONVERTERS["pocketsphinx"]("", "rep").prefix


# -- the card policy ---------------------------------------------------------------------------


PRICE = (Match("price", 90.0, "too expensive"),)
UNSURE_PRICE = (Match("price", 50.0, "too expensive"),)


def test_only_final_lines_raise_cards_by_default_and_one_card_per_utterance() -> None:
    clock = Clock()
    policy = CardPolicy(60, clock=clock)
    assert policy.consider(Line("u1", "too expensive", False), PRICE, True, False) is None
    card = policy.consider(Line("u1", "too expensive", True), PRICE, True, False)
    assert card is not None and (card.objection, card.line) == ("price", "u1")
    clock.now += 1000
    assert policy.consider(Line("u1", "too expensive really", True), PRICE, True, False) is None


def test_early_cards_need_the_same_sure_objection_twice_in_a_row() -> None:
    policy = CardPolicy(60, early=True, clock=Clock())
    assert policy.consider(Line("u1", "too", False), PRICE, True, False) is None  # first sure update
    assert policy.consider(Line("u1", "too exp", False), UNSURE_PRICE, True, False) is None  # not sure: starts over
    assert policy.consider(Line("u1", "too expen", False), PRICE, True, False) is None
    card = policy.consider(Line("u1", "too expensive", False), PRICE, True, False)
    assert card is not None and card.text == "too expensive"
    assert policy.consider(Line("u1", "too expensive for us", True), PRICE, True, False) is None  # one per utterance


def test_the_cooldown_holds_one_objection_and_not_another() -> None:
    clock = Clock()
    policy = CardPolicy(30, clock=clock)
    assert policy.consider(Line("u1", "x", True), PRICE, True, False) is not None
    clock.now += 10
    assert policy.consider(Line("u2", "x", True), PRICE, True, False) is None
    assert policy.consider(Line("u3", "x", True), (Match("timing", 90.0, "later"),), True, False) is not None
    clock.now += 25
    assert policy.consider(Line("u4", "x", True), PRICE, True, False) is not None


def test_no_card_for_the_rep_for_no_objection_or_for_what_the_screen_shows() -> None:
    policy = CardPolicy(0, clock=Clock())
    assert policy.consider(Line("u1", "x", True), PRICE, False, False) is None
    assert policy.consider(Line("u2", "x", True), (), True, False) is None
    assert policy.consider(Line("u3", "x", True), PRICE, True, True) is None
    assert policy.consider(Line("u4", "x", True), PRICE, True, False, frozenset({"price"})) is None  # already open
    assert policy.consider(Line("u5", "x", True), PRICE, True, False, frozenset({"timing"})) is not None


def test_a_line_read_from_the_screen_is_recognised_as_such() -> None:
    shown = ["When you say it's expensive, compared to what? Another offer, or the budget you had in mind?"]
    assert repeats("when you say it's expensive compared to what", shown)
    assert repeats("When you say it is expensive, compared to what? Another offer or the budget you had in mind", shown)
    assert not repeats("it is way too expensive for us", shown)
    assert not repeats("expensive", shown)


def test_buying_signals_and_small_talk_raise_no_card_through_the_matcher() -> None:
    from playbook.matching import Matcher

    matcher = Matcher.from_playbook(load_playbook(None))
    policy = CardPolicy(0, clock=Clock())
    for number, text in enumerate(["How soon could we get started?", "Thanks for making the time today.",
                                   "What does the onboarding look like if we go ahead?"]):
        assert policy.consider(Line(f"n{number}", text, True), tuple(matcher.match(text)), True, False) is None, text
    assert policy.consider(Line("p", "it is way too expensive for us", True),
                           tuple(matcher.match("it is way too expensive for us")), True, False).objection == "price"


def test_run_refuses_replay_without_a_transcript_and_a_folder_as_one(cli, tmp_path: Path) -> None:
    result = cli("run", "--db", str(tmp_path / "s.db"), "--replay")
    assert result.code == 2 and result.err == "error: --replay and --early go with --transcript PATH\n"
    folder = cli("run", "--db", str(tmp_path / "s.db"), "--transcript", str(tmp_path))
    assert folder.code == 1 and "is a directory" in folder.err and folder.err.count("\n") == 1


def test_show_prints_the_transcript_kept_with_a_meeting(cli, tmp_path: Path) -> None:
    from playbook.meeting import MeetingSession
    from playbook.store import Store

    with Store.open(tmp_path / "s.db") as store:
        session = MeetingSession.start(load_playbook(None), store, "Anna", spec="builtin")
        session.keep_transcript([Line("u1", "Thanks for the time", True, "me", "rep", 1.0),
                                 Line("u2", "too dear \x1b[2J", False, "Anna", "customer", 65.2)])
    shown = cli("transcript", "show", session.id[:6], "--db", str(tmp_path / "s.db"))
    assert shown.code == 0
    assert shown.out.splitlines() == ["[00:01] me (rep): Thanks for the time", "[01:05] Anna (customer): too dear ^[[2J …"]
