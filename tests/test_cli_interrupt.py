"""Interruptions keep the work (issue #17, items 2 and 3): Ctrl-C, SIGTERM and SIGHUP end a command as `q` ends
live mode. A stand-in for the pose model (a person standing still, or nobody, instantly) lets these run the real
extraction, its worker threads and the live loop without MediaPipe, in-process or in a process of their own;
the test marked slow uses the model.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time

import numpy as np
import pytest

from cli_files import ROOT, folder, run, write_clip  # noqa: F401 (folder is a fixture)
from posecheck.errors import ExitStatus
from posecheck.pose import extract
from posecheck.pose.segments import plan_segments
from synthetic_pose import body_at, to_pose


class StandIn:
    """In place of the pose model: a person standing still (or nobody), instantly; Ctrl-C at frame `stop_at`."""

    stop_at = 0
    nobody = True
    pause_s = 0.002  # a few frames go by while the test interrupts

    def __init__(self, *args, **kwargs):
        self.frames = 0

    def detect(self, frame):
        self.frames += 1
        if self.frames == StandIn.stop_at:
            raise KeyboardInterrupt
        time.sleep(StandIn.pause_s)
        return None if StandIn.nobody else to_pose(body_at(), frame.t)

    def close(self):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


@pytest.fixture
def stand_in(monkeypatch):
    monkeypatch.setattr(extract, "PoseEstimator", StandIn)
    monkeypatch.setattr(StandIn, "stop_at", 0)
    monkeypatch.setattr(StandIn, "nobody", True)
    return StandIn


@pytest.mark.parametrize("command", ["rises", "balance"])
def test_ctrl_c_during_the_analysis_keeps_what_was_done(command, folder, stand_in, capsys):
    """Item 2: the report covers the frames analysed before Ctrl-C, is printed and saved, marked interrupted."""
    write_clip(folder / "long.mp4", 60)
    stand_in.stop_at = 31
    extra = ["--workers", "1"] if command == "rises" else []
    status, out, err = run([command, "long.mp4", "--json", "r.json", "--no-progress", *extra], capsys)
    assert status == ExitStatus.INTERRUPTED, err
    assert out.startswith("long.mp4: 0 ") and "interrupted at 1.0 s" in err
    report = json.loads((folder / "r.json").read_text())
    assert report["interrupted"] is True and report["reached_s"] == pytest.approx(29 / 30, abs=0.01)


def test_ctrl_c_during_a_check_measures_nothing(folder, stand_in, capsys):
    write_clip(folder / "long.mp4", 60)
    stand_in.stop_at = 20
    status, out, err = run(["check", "long.mp4", "--json", "c.json", "--no-progress", "--workers", "1"], capsys)
    assert (status, out, err.strip()) == (ExitStatus.INTERRUPTED, "", "posecheck: interrupted")
    assert not (folder / "c.json").exists()


def test_ctrl_c_on_worker_threads_hands_back_the_frames_from_the_start(tmp_path, stand_in, monkeypatch):
    """Ctrl-C lands on the main thread; the workers stop, and the frames from the start up to the first gap come
    back. The spill folder goes."""
    write_clip(tmp_path / "long.mp4", 120)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "temp"))
    (tmp_path / "temp").mkdir()
    segments = plan_segments(120, 30.0, 2, overlap_s=0.5, min_segment_s=1.0)
    done = []

    def progress(n):
        done.append(n)
        if sum(done) >= 40:
            raise KeyboardInterrupt

    with pytest.raises(extract.Interrupted) as stopped:
        extract.extract_parallel(tmp_path / "long.mp4", None, segments, 30.0, 32, 24, 120, 2, progress)
    series = stopped.value.series
    assert series.interrupted and 10 <= len(series) < 120
    assert np.allclose(series.t, np.arange(len(series)) / 30.0)  # from the start, without a gap
    assert list((tmp_path / "temp").iterdir()) == []


def replay_then(signum, after_frames):
    """`replayed`, sending `signum` to this process after some frames (only once posecheck handles it)."""
    from posecheck.session import loop

    def replayed(series, video=None):
        for index, step in enumerate(loop.replayed(series, video)):
            if index == after_frames:
                assert signal.getsignal(signum) not in (signal.SIG_DFL, signal.SIG_IGN), "would end the test run"
                signal.raise_signal(signum)
            yield step

    return replayed


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM, getattr(signal, "SIGHUP", signal.SIGTERM)])
def test_a_signal_ends_the_command_as_q_does(signum, folder, monkeypatch, capsys):
    """Items 2, 3: Ctrl-C, kill and a closed terminal: the count so far is printed, saved and logged; exit 130."""
    from posecheck.log.store import TrainingLog

    monkeypatch.setattr("posecheck.cli.rises.replayed", replay_then(signum, 300))
    before = signal.getsignal(signal.SIGTERM)
    status, out, err = run(["rises", "two.npz", "--json", "r.json", "--log"], capsys)
    assert status == ExitStatus.INTERRUPTED, err
    assert out.startswith("two.npz: 1 rise\n") and "posecheck: interrupted at 10.0 s" in err
    report = json.loads((folder / "r.json").read_text())
    assert (report["count"], report["interrupted"], report["reached_s"]) == (1, True, 9.97)
    with TrainingLog.open() as log:
        assert [entry.reps for entry in log.sessions()] == [1]
    assert signal.getsignal(signal.SIGTERM) is before  # handed back as it was


# posecheck in a process of its own, with the stand-in for the model when `stand_in`.
STAND_IN_MAIN = """import sys
import test_cli_interrupt as t
import posecheck.pose.extract, posecheck.session.live
t.StandIn.nobody, t.StandIn.pause_s = False, 0.005
posecheck.pose.extract.PoseEstimator = posecheck.session.live.PoseEstimator = t.StandIn
from posecheck.cli import main
sys.exit(main(sys.argv[1:]))
"""


def signalled(folder, argv, signum, ready, stand_in=True, close_terminal=False):
    """Start posecheck, send `signum` once `ready(process)`, and return its exit status (and its output, if kept)."""
    (folder / "temp").mkdir(exist_ok=True)
    env = dict(os.environ, POSECHECK_HOME=str(folder / "home"), TMPDIR=str(folder / "temp"), PYTHONPATH=os.pathsep.join([str(ROOT / "tests"), str(ROOT)]))
    command = [sys.executable, "-c", STAND_IN_MAIN] if stand_in else ["nice", "-n", "10", sys.executable, "-m", "posecheck"]
    process = subprocess.Popen([*command, *argv], cwd=folder, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        ready(process)
        if close_terminal:  # as when the terminal window closes: nobody reads any more
            process.stdout.close()
            process.stderr.close()
        process.send_signal(signum)
        if close_terminal:
            return process.wait(timeout=60), "", ""
        out, err = process.communicate(timeout=60)
        return process.returncode, out, err
    finally:
        process.kill()


def when_analysing(folder, then_s):
    def ready(process):
        deadline = time.monotonic() + 120
        while not list((folder / "temp").glob("posecheck-*")) and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        time.sleep(then_s)

    return ready


def test_kill_during_offline_analysis_keeps_the_count_and_leaves_no_temp_folder(folder):
    """Items 2, 3: SIGTERM while worker threads analyse a video (spilling to a temporary folder)."""
    write_clip(folder / "long.mp4", 500)
    status, out, err = signalled(folder, ["rises", "long.mp4", "--json", "r.json", "--workers", "2"], signal.SIGTERM,
                                 when_analysing(folder, 0.3))
    assert status == ExitStatus.INTERRUPTED, err
    assert out.startswith("long.mp4: 0 rises") and "posecheck: interrupted at" in err and "Traceback" not in err
    report = json.loads((folder / "r.json").read_text())
    assert report["interrupted"] is True and 0 <= report["reached_s"] < 16
    assert list((folder / "temp").iterdir()) == []


@pytest.mark.skipif(not hasattr(signal, "SIGHUP"), reason="no SIGHUP here")
def test_closing_the_terminal_in_live_mode_keeps_the_session(folder):
    """Item 3: SIGHUP with nobody reading stdout and stderr any more: the JSON and the log entry are still written."""
    write_clip(folder / "camera.mp4", 150)

    def ready(process):
        while "counting rises" not in process.stderr.readline():
            pass
        time.sleep(1.5)

    status, _, _ = signalled(folder, ["rises", "--camera", "camera.mp4", "--no-window", "--mute", "--json", "live.json"],
                             signal.SIGHUP, ready, close_terminal=True)
    assert status == ExitStatus.INTERRUPTED
    report = json.loads((folder / "live.json").read_text())
    assert report["interrupted"] is True and 1.0 < report["reached_s"] < 5.0
    from posecheck.log.store import TrainingLog

    with TrainingLog.open() as log:
        assert [entry.kind for entry in log.sessions()] == ["live"]


def test_kill_during_the_routine_keeps_the_parts_done(folder):
    write_clip(folder / "camera.mp4", 150)

    def ready(process):
        while "counting starts" not in process.stdout.readline():
            pass

    status, out, err = signalled(folder, ["routine", "--camera", "camera.mp4", "--no-window", "--mute", "--json", "r.json",
                                          "--instruction-seconds", "0.5"], signal.SIGTERM, ready)
    assert status == ExitStatus.INTERRUPTED, err
    assert "0 of 6 parts done" in out and "Traceback" not in err
    report = json.loads((folder / "r.json").read_text())
    assert (report["ended"], report["interrupted"]) == ("interrupted", True) and 0.5 < report["reached_s"] < 5.0


@pytest.mark.slow
def test_kill_with_the_real_model(folder):
    """Items 2, 3 with MediaPipe on two worker threads."""
    clip = ROOT / "sample_videos" / "front_3rises.mp4"
    status, out, err = signalled(folder, ["rises", str(clip), "--json", "r.json", "--workers", "2"], signal.SIGTERM,
                                 when_analysing(folder, 3.0), stand_in=False)
    assert status == ExitStatus.INTERRUPTED, err
    report = json.loads((folder / "r.json").read_text())
    assert report["interrupted"] is True and 0 < report["reached_s"] < 23.4
    assert out.startswith(f"{clip}: ") and "Traceback" not in err
    assert list((folder / "temp").iterdir()) == []


