"""The guided routine, end to end and headless, with a video played as the camera.

The video is stitched from the shared rendered footage (skipped when it is not
there): rises in shoes (parallel), barefoot rises (parallel again, where the
routine asks for a wide stance), rises with the feet turned out seen from 35
degrees, a single-leg stand on the left leg, the same stand mirrored (the
right leg), and standing still for the barefoot check. Each piece starts with
a frozen frame, time for the instruction and for the counter to calibrate.
"""

import json
import pathlib

import pytest

from posecheck.cli import main
from posecheck.session.routine import merge_rise_sessions, plan_of

SHARED = pathlib.Path(__file__).resolve().parents[2] / "shared" / "footage"
SYNTHETIC = SHARED / "synthetic"
SIZE = (960, 540)
FPS = 30.0

# (clip, mirrored, freeze before (s), pieces of the clip [(from, to)]): long holds are shortened
PIECES = [
    ("a_front_10rises_shoes", False, 1.5, [(0.0, 3.5), (5.0, 7.6)]),  # one rise: 2.0-6.6 s
    ("b_front_barefoot_mixed_holds_half_rise", False, 2.0, [(0.0, 5.0)]),  # one rise: 2.0-4.4 s
    ("c_oblique35_turnout30_6rises", False, 2.0, [(0.0, 3.0), (4.5, 6.8)]),  # one rise: 1.5-6.1 s
    ("h_front_single_leg_tiptoe_left", False, 1.0, [(0.0, 4.5), (7.5, 11.0)]),  # on the left leg 2.3-9.7 s
    ("h_front_single_leg_tiptoe_left", True, 1.0, [(0.0, 4.5), (7.5, 11.0)]),  # mirrored: on the right leg
    ("f_front_barefoot_left_everted8", False, 0.0, [(0.0, 5.0)]),  # standing still
]


def _stitch(path: pathlib.Path) -> None:
    import cv2

    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), FPS, SIZE)
    for name, mirrored, freeze_s, spans in PIECES:

        def put(image, mirrored=mirrored):
            image = cv2.resize(image, SIZE, interpolation=cv2.INTER_AREA)
            writer.write(cv2.flip(image, 1) if mirrored else image)

        # Read only as far as needed, frame by frame: the clips are long.
        capture = cv2.VideoCapture(str(SYNTHETIC / f"{name}.mp4"))
        last = int(max(end for _, end in spans) * FPS)
        index = 0
        while index < last:
            ok, image = capture.read()
            if not ok:
                break
            if index == 0:
                for _ in range(int(freeze_s * FPS)):
                    put(image)
            if any(int(start * FPS) <= index < int(end * FPS) for start, end in spans):
                put(image)
            index += 1
        capture.release()
    writer.release()


@pytest.fixture(scope="module")
def routine_video(request):
    """Stitched once and kept in pytest's cache folder (stitching takes a while on a busy machine)."""
    cache = getattr(request.config, "cache", None)  # absent under -p no:cacheprovider
    folder = cache.mkdir("posecheck-routine") if cache else request.getfixturevalue("tmp_path_factory").mktemp("posecheck-routine")
    path = folder / "routine-v1.mp4"
    if not path.is_file() or path.stat().st_size < 100_000:
        partial = folder / "routine-v1.partial.mp4"
        _stitch(partial)
        partial.replace(path)
    return path


@pytest.mark.skipif(not SYNTHETIC.is_dir(), reason="../shared/footage is not here")
@pytest.mark.slow
def test_headless_routine_with_a_file_as_camera(routine_video, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("POSECHECK_HOME", str(tmp_path / "home"))
    out = tmp_path / "routine.json"
    status = main([
        "routine", "--camera", str(routine_video), "--no-window", "--mute", "--lang", "en",
        "--reps", "1", "--hold", "2", "--instruction-seconds", "1", "--check-seconds", "2", "--balance-target", "3",
        "--json", str(out),
    ])
    printed = capsys.readouterr().out
    assert status == 0, printed
    report = json.loads(out.read_text())
    parts = [(p["part"], p["detail"], p["status"]) for p in report["parts"]]
    assert [p[:2] for p in parts] == [("rises", "parallel"), ("rises", "wide"), ("rises", "turned_out"),
                                      ("balance", "left"), ("balance", "right"), ("check", None)]
    assert all(status == "done" for *_, status in parts), parts
    # an instruction before each part
    for line in ("Part 1 of 6: Rises, round 1 of 3: feet parallel", "Part 2 of 6: Rises, round 2 of 3: feet wide apart",
                 "Part 4 of 6: Single-leg stand: stand on your LEFT leg", "Part 6 of 6: Barefoot check"):
        assert line in printed
    rises = report["rises"]
    assert rises["count"] == 3 and rises["rounds"] == [1, 1, 1]
    # the barefoot clip stands parallel where the routine asked for wide: said so; the turned-out clip is seen
    assert rises["rounds_stance"] == ["parallel", "parallel", "turned_out"]
    assert any("asked for wide" in note for note in report["notes"])
    assert report["balance"]["left"]["stands"][0]["stand_on"] == "left"
    assert report["balance"]["right"]["stands"][0]["stand_on"] == "right"
    assert "weight_left_pct" in report["check"]
    # the routine keeps the check's frames, so the feet's roll is read (without them the tilt is "unknown")
    assert {report["check"]["feet"][side]["tilt"] for side in ("left", "right")} <= {"inward", "outward", "neutral"}
    from posecheck.log.store import TrainingLog

    with TrainingLog.open() as log:
        kinds = sorted(s.kind for s in log.sessions())
    assert kinds == ["balance", "balance", "check", "live"]


def test_rounds_of_separate_sessions_are_merged_in_order():
    from types import SimpleNamespace

    from posecheck.detect.rises import Phase, RiseConfig, Rep

    def session(n):
        reps = [Rep(1.0 * i, 1.5, 3.5, 4.0, 0.03, True, True, stance=["parallel", "wide", "turned_out"][n]) for i in range(2)]
        import collections

        return SimpleNamespace(counter=SimpleNamespace(reps=reps, partials=[], one_foot=[], frames=100, blocked_frames=collections.Counter(),
                                                       crowded_frames=0, aborted=0, phase=Phase.REST))

    merged = merge_rise_sessions([session(0), session(1), session(2)], RiseConfig())
    assert [rep.round for rep in merged.reps] == [1, 1, 2, 2, 3, 3]
    from posecheck.report.rises import RiseReport

    report = RiseReport("routine", 60.0, 3.0, merged)
    assert report.rounds == [2, 2, 2] and report.rounds_stance == ["parallel", "wide", "turned_out"]
