"""Nothing lost, nothing destroyed (issue #17): the command line against wrong options and wrong files.

Each case is a row: the command, its exit status, the one stderr line it must
print, a piece of what it prints, and the files it makes (every file there
before keeps its checksum: an input is never written). The inputs are tiny
(see cli_files.py), so no case loads the pose model. Interruptions are in
test_cli_interrupt.py, the property test in test_cli_property.py.
"""

from __future__ import annotations

import json
import pathlib
import re

import numpy as np
import pytest

from cli_files import ROOT, checksums, folder, run  # noqa: F401 (folder is a fixture)
from posecheck.cli import COMMAND_MODULES
from posecheck.errors import ExitStatus
from posecheck.pose import extract
from posecheck.pose.landmarks import LandmarkSeries

USAGE = ExitStatus.USAGE
# (command, exit status, a piece of its one stderr line, a piece of stdout, the files it makes)
CASES = [
    # 1. an output that is an input, or another output, is refused before any work
    ("rises two.npz --json two.npz", 7, "--json two.npz: that is the input two.npz", "", []),
    ("rises two.npz --csv linked.json", 7, "that is the input", "", []),  # a hard link
    ("rises two.npz --json alias.npz", 7, "that is the input", "", []),  # a symbolic link
    ("rises two.npz --save-landmarks ./folder/../two.npz", 7, "that is the input", "", []),
    ("rises clip.mp4 --annotated clip.mp4", 7, "that is the input", "", []),
    ("rises clip.mp4 --json clip.mp4", 7, "that is the input", "", []),
    ("rises clip.mp4 --csv clip.mp4", 7, "that is the input", "", []),
    ("check photo.jpg --image photo.jpg", 7, "that is the input", "", []),
    ("check photo.jpg --json photo.jpg", 7, "that is the input", "", []),
    ("balance two.npz --csv two.npz", 7, "that is the input", "", []),
    ("rises two.npz --model m.task --json m.task", 7, "that is the input m.task", "", []),
    ("history --csv home/history.sqlite3", 7, "that is the input", "", []),
    ("rises two.npz --json a.json --csv a.json", 7, "--csv a.json: is also the --json output", "", []),
    # ... and an output whose name its format does not allow
    ("rises two.npz --annotated out.txt", 7, "--annotated out.txt: give a name ending in .mp4 or .mkv or .avi", "", []),
    ("check photo.jpg --image out.gif", 7, "give a name ending in .png or .jpg", "", []),
    ("rises two.npz --save-landmarks keep", 7, "give a name ending in .npz", "", []),
    ("rises two.npz --json nowhere/r.json", 7, "the folder nowhere does not exist", "", []),
    # 4, 9. numbers out of range, usage errors: one line, exit 2
    ("rises two.npz --hold -3", USAGE, "argument --hold: must be a number from 0.5 to 30 s; see posecheck rises --help", "", []),
    ("rises two.npz --hold inf", USAGE, "argument --hold: must be a number from 0.5 to 30 s", "", []),
    ("rises two.npz --height-cm 5000", USAGE, "argument --height-cm: must be a number from 100 to 230 cm", "", []),
    ("rises two.npz --height-cm nan", USAGE, "argument --height-cm:", "", []),
    ("rises two.npz --round-gap 0", USAGE, "argument --round-gap: must be a number above 0 and at most 3600 s", "", []),
    ("rises two.npz --workers 0", USAGE, "argument --workers: must be from 1 to 64", "", []),
    ("rises two.npz --workers -3", USAGE, "argument --workers:", "", []),
    ("rises --rounds 0", USAGE, "argument --rounds:", "", []),
    ("check photo.jpg --seconds 0", USAGE, "argument --seconds:", "", []),
    ("check photo.jpg --start -1", USAGE, "argument --start:", "", []),
    ("check --countdown nan", USAGE, "argument --countdown:", "", []),
    ("check photo.jpg --workers 0", USAGE, "argument --workers:", "", []),
    ("balance two.npz --target inf", USAGE, "argument --target:", "", []),
    ("balance two.npz --min-stand 0", USAGE, "argument --min-stand:", "", []),
    ("routine --reps 0", USAGE, "argument --reps:", "", []),
    ("routine --hold 0.1", USAGE, "argument --hold:", "", []),
    ("routine --instruction-seconds -1", USAGE, "argument --instruction-seconds:", "", []),
    ("routine --parts rises,dance", USAGE, "argument --parts: unknown part dance", "", []),
    ("history --limit -1", USAGE, "argument --limit: must be 0 or more", "", []),
    ("history --delete 0", USAGE, "argument --delete:", "", []),
    ("remind --at 25:00", USAGE, "argument --at: '25:00' is not a time of day", "", []),
    ("rises two.npz --bogus", USAGE, "unrecognized arguments: --bogus; see posecheck --help", "", []),
    ("dance", USAGE, "argument COMMAND: invalid choice: 'dance'", "", []),
    ("", USAGE, "choose a command: rises, check, balance, routine, history, remind", "", []),
    ("check clip.mp4 --start 999", USAGE, "--start 999: the clip is only 0.2 s long", "", []),
    # 5. an output that fails late: the summary and every other output still come, then exit 7
    ("rises two.npz --json /dev/full --csv out.csv", 7, "/dev/full: cannot write", "two.npz: 2 rises", ["out.csv"]),
    # 6, 7, 9. inputs of the wrong kind
    ("rises photo.jpg", 4, "photo.jpg: is a still picture, and this needs a video (or a .npz landmark file); "
                           "for the barefoot check of a picture use: posecheck check photo.jpg", "", []),
    ("balance photo.jpg", 4, "posecheck check photo.jpg", "", []),
    ("rises mismatch.npz", 4, "mismatch.npz: not a usable landmark file (image has shape (9, 33, 3)", "", []),
    ("rises folder", 4, "folder: is a folder", "", []),
    ("check folder", 4, "folder: is a folder", "", []),
    ("rises missing.mp4", 3, "missing.mp4: no such file", "", []),
    ("rises --camera missing.mp4", 3, "--camera missing.mp4: no such file", "", []),
    ("check --camera missing.mp4", 3, "--camera missing.mp4: no such file", "", []),
    ("routine --camera missing.mp4", 3, "--camera missing.mp4: no such file", "", []),
    ("rises two.npz --camera 0", USAGE, "give either a file or --camera, not both", "", []),
    # 10. the summary speaks the language chosen
    ("rises two.npz --lang de", 0, None, "two.npz: 2 Zehenstände\nHalten: 1 von 2", []),
    # what works still works, and writes what it was asked to
    ("rises two.npz --json r.json --csv r.csv --save-landmarks copy.npz", 0, None, "two.npz: 2 rises",
     ["r.json", "r.csv", "copy.npz"]),
]


@pytest.mark.parametrize("command, status, line, out_piece, made", CASES, ids=[c[0] or "(none)" for c in CASES])
def test_fault_table(command, status, line, out_piece, made, folder, capsys):
    if "/dev/full" in command and not pathlib.Path("/dev/full").is_char_device():
        pytest.skip("no /dev/full here")
    before = checksums(folder)
    got, out, err = run(command.split(), capsys)
    assert got == status, err
    errors = [text for text in err.splitlines() if text.strip()]
    if line is None:
        assert not [text for text in errors if text.startswith("posecheck: error")], err
    else:
        assert len(errors) == 1 and errors[0].startswith("posecheck: error: ") and line in errors[0], err
    assert out_piece in out
    after = checksums(folder)
    assert {name: after.get(name) for name in before} == before  # nothing there before was written
    assert sorted(set(after) - set(before)) == sorted(made)
    assert pathlib.Path("/dev/full").is_char_device() or not pathlib.Path("/dev/full").exists()


@pytest.mark.xfail(strict=True, reason="body/measures.py divides by a zero leg length (found by tests/test_cli_property.py); "
                                      "drop this mark when it is fixed")
def test_a_pose_with_every_landmark_on_one_point_is_nobody(folder, capsys):
    n = 40
    image = np.full((n, 33, 3), 0.5, np.float32)
    LandmarkSeries(np.arange(n) / 30.0, image, np.ones((n, 33), np.float32), np.zeros((n, 33, 3), np.float32),
                   np.ones(n, np.int16), 30.0, 640, 480).save(folder / "point.npz")
    status, _, err = run(["rises", "point.npz"], capsys)
    assert status == ExitStatus.NO_PERSON, err


def test_the_exit_code_table_is_the_code():
    section = (ROOT / "README.md").read_text().split("### Exit codes")[1].split("\n#")[0]
    rows = dict(re.findall(r"^\| (\d+) \| (.+?) \|$", section, re.M))
    assert sorted(map(int, rows)) == sorted(int(status) for status in ExitStatus)


def test_texts_name_only_commands_that_exist(capsys):
    """Item 8: `posecheck live` was named once; every `posecheck WORD` in what is shown must be a command."""
    from posecheck.cli import build_parser
    from posecheck.cli.history import EMPTY_LOG_TEXT
    from posecheck.cli.remind import DEFAULT_DESCRIPTION
    from posecheck.report.texts import STRINGS

    shown = [EMPTY_LOG_TEXT, DEFAULT_DESCRIPTION, *STRINGS["en"].values(), *STRINGS["de"].values()]
    parser = build_parser()
    shown += [parser.format_help()] + [sub.format_help() for sub in parser._subparsers._group_actions[0].choices.values()]
    named = {word for text in shown for word in re.findall(r"(?:`|usage: |use: |[Rr]un )posecheck ([a-z]+)", text)}
    assert named and named <= set(COMMAND_MODULES), named - set(COMMAND_MODULES)


def test_one_language_for_every_command(folder, capsys, monkeypatch):
    """Item 10: with German in the environment, rises and check both answer in German."""
    monkeypatch.setenv("LANGUAGE", "de:en")
    status, out, _ = run(["rises", "two.npz"], capsys)
    assert status == 0 and "Zehenstände" in out and "Warnung:" in out
    status, _, err = run(["check", "clip.mp4", "--camera", "0"], capsys)
    assert status == USAGE and "nicht beides" in err


# --------------------------------------------------------------------------- small things (item 11)


def test_the_progress_bar_ends_at_the_frames_there_were(folder, monkeypatch, capsys):
    """A container that announces 702 frames and has 701: the bar ends at 701/701."""
    from posecheck.cli import common

    def fake(path, model, workers, on_progress):
        on_progress(701, 702)
        return LandmarkSeries.load("two.npz")

    monkeypatch.setattr(extract, "extract_landmarks", fake)
    common.extract_landmarks("clip.mp4")
    assert "701/701" in capsys.readouterr().err


def test_history_words():
    import datetime as dt

    from posecheck.cli.history import describe
    from posecheck.log.store import LogEntry

    when = dt.datetime(2026, 1, 5, 7, 30).astimezone()
    assert describe(LogEntry(1, "rises", when, "x", reps=1, rounds=[1])).startswith("1 rep")
    assert not describe(LogEntry(1, "rises", when, "x", reps=1, rounds=[1])).startswith("1 reps")
    check = describe(LogEntry(2, "check", when, "x", left_tilt="outward", left_roll_deg=-9.2))
    assert "left foot outward 9 deg" in check


@pytest.mark.parametrize("name, magic", [("p.png", b"\x89PNG"), ("p.jpg", b"\xff\xd8\xff"), ("p.JPEG", b"\xff\xd8\xff")])
def test_pictures_are_written_in_the_format_their_name_asks_for(tmp_path, name, magic):
    from posecheck.media.sinks import write_picture

    write_picture(tmp_path / name, np.zeros((8, 8, 3), np.uint8))
    assert (tmp_path / name).read_bytes().startswith(magic)


def test_devices_are_written_into_and_an_interrupted_write_leaves_nothing(tmp_path, monkeypatch):
    from posecheck.media import atomic

    atomic.write_bytes("/dev/null", b"report")
    assert pathlib.Path("/dev/null").is_char_device()

    def interrupted(self, data):
        pathlib.Path.open(self, "wb").write(data[:3])
        raise KeyboardInterrupt

    monkeypatch.setattr(pathlib.Path, "write_bytes", interrupted)
    with pytest.raises(KeyboardInterrupt):
        atomic.write_bytes(tmp_path / "r.json", b"report")
    assert list(tmp_path.iterdir()) == []


def test_a_video_that_cannot_be_written_fails_after_the_rest(tmp_path):
    """Item 5: the annotated video's failure is kept for the end; the drawing does not stop the count."""
    from posecheck.errors import OutputUnwritable
    from posecheck.media.sinks import VideoSink

    with VideoSink(tmp_path / "gone" / "out.mp4", 30.0) as sink:
        for _ in range(3):
            sink.write(np.zeros((24, 32, 3), np.uint8))  # no raise here
    with pytest.raises(OutputUnwritable, match="cannot write a video there"):
        sink.finished()
    assert list(tmp_path.iterdir()) == []


def test_json_has_no_nan():
    from posecheck.report.files import json_text

    assert json.loads(json_text({"a": float("nan"), "b": [float("inf"), 1.5]})) == {"a": None, "b": [None, 1.5]}
