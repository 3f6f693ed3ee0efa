"""Live mode: the session on scripted poses, the loop with fake cameras, and the real CLI on clips played as a camera.

The clip tests play sample footage through `posecheck rises --camera FILE` at
real-time pace and expect the count offline analysis gives: the shipped
sample_videos, or without them two short clips from the shared footage beside
the repo (skipped when absent); all the longer clips with POSECHECK_LONG_TESTS=1.
"""

from __future__ import annotations

import dataclasses
import io
import json
import os
import re
import pathlib
import shutil
import signal
import subprocess
import sys
import time
import wave

import numpy as np
import pytest

from posecheck import cli
from posecheck.session import cues
from posecheck.report import texts as i18n
from posecheck.session import live, loop, ui
from posecheck.session.rises import RisesSession
from posecheck.render import hud as render
from posecheck.media import camera as sources
from posecheck.errors import ExitStatus
from posecheck.session.loop import LoopStats
from posecheck.pose.landmarks import LandmarkSeries
from posecheck.detect.rises import RiseConfig
from posecheck.media.frames import Frame
from synthetic_pose import HEIGHT, WIDTH, play

REPO_ROOT = pathlib.Path(__file__).resolve().parent.parent
FOOTAGE = pathlib.Path(__file__).resolve().parents[2] / "shared" / "footage"
SYNTHETIC = FOOTAGE / "synthetic"
SAMPLES = REPO_ROOT / "sample_videos"
LONG = os.environ.get("POSECHECK_LONG_TESTS") == "1"

REST = ("stand", 2.0)
RISE = ("rise", 0.7, 3.3, 0.7, 6.0)  # up, hold, down seconds; heels up 6 cm
GAP = ("stand", 1.5)


def poses_of(script, fps=30.0):
    return list(play(script, fps=fps))


def feed(session, timeline):
    notices = []
    for t, pose in timeline:
        notices += session.process(t, pose)
    return notices


# ----- language


@pytest.mark.parametrize(
    "arg, env, expected",
    [
        ("de", {"LANG": "en_US.UTF-8"}, "de"),
        ("en", {"LANG": "de_DE.UTF-8"}, "en"),
        (None, {"LANG": "de_DE.UTF-8"}, "de"),
        (None, {"LANG": "de_AT.UTF-8", "LC_ALL": "en_GB.UTF-8"}, "en"),
        (None, {"LANGUAGE": "de:en", "LANG": "en_US.UTF-8"}, "de"),
        (None, {"LANG": "German_Germany.1252"}, "de"),
        (None, {"LANG": "C.UTF-8"}, "en"),
        (None, {}, "en"),
        ("fr", {}, "en"),
    ],
)
def test_choose_language(arg, env, expected):
    assert i18n.choose_language(arg, environ=env) == expected


def test_every_string_is_in_both_languages():
    en, de = i18n.STRINGS["en"], i18n.STRINGS["de"]
    assert set(en) == set(de)
    for key in en:  # the same placeholders, so a format never fails in one language only
        assert sorted(_fields(en[key])) == sorted(_fields(de[key])), key


def _fields(text):
    import string

    return [name for _, name, _, _ in string.Formatter().parse(text) if name]


# ----- sounds


def test_tone_is_a_short_wav(tmp_path):
    for name, notes in cues.SOUNDS.items():
        samples = cues.tone(notes)
        assert samples.dtype == np.dtype("<i2") and 0 < len(samples) < cues.RATE  # under a second
        path = tmp_path / f"{name}.wav"
        cues.write_wav(str(path), samples)
        with wave.open(str(path)) as file:
            assert file.getframerate() == cues.RATE and file.getnframes() == len(samples)


def test_cues_never_block_and_never_raise():
    slow_player = (sys.executable, "-c", "import time; time.sleep(5)")
    sounds = cues.Cues(enabled=True, player=slow_player, bell_stream=io.StringIO())
    began = time.monotonic()
    for name in ("ready", "hold", "rep", "round", "rep", "hold"):
        sounds.play(name)
    assert time.monotonic() - began < 1.0  # players run on their own; extra ones are skipped
    sounds.close(wait_s=0.1)


def test_cues_fall_back_when_the_player_fails():
    bell = io.StringIO()
    bell.isatty = lambda: True
    sounds = cues.Cues(enabled=True, player=(sys.executable, "-c", "raise SystemExit(1)"), bell_stream=bell)
    sounds.play("rep")
    sounds._running[0].wait(timeout=10)
    sounds.play("rep")  # the failed player is noticed: terminal bell from now on
    assert bell.getvalue() == "\a"
    assert sounds.method == "bell"
    sounds.close()


def test_cues_without_any_player_or_terminal_are_silent():
    sounds = cues.Cues(enabled=True, player=None, bell_stream=io.StringIO())
    sounds.play("round")
    assert sounds.method == "none"
    sounds.close()
    muted = cues.Cues(enabled=False)
    muted.play("rep")
    assert muted.played == []


# ----- the session on scripted poses


def test_session_counts_like_the_counter_and_cues_each_step():
    session = RisesSession(RiseConfig(), "en")
    notices = feed(session, poses_of([REST, RISE, GAP, RISE, REST]))
    notices += session.finish()
    kinds = [n.kind for n in notices if n.kind != "guidance"]
    assert kinds == ["ready", "hold_reached", "rep", "hold_reached", "rep", "round_done"]
    assert [n.cue for n in notices if n.kind != "guidance"] == ["ready", "hold", "rep", "hold", "rep", "round"]
    assert session.counter.count == 2
    assert "rep 2 counted" in notices[4].line


def test_session_round_and_rep_targets():
    session = RisesSession(RiseConfig(round_gap_s=6.0), "en", rounds=2, reps=2)
    timeline = poses_of([REST, RISE, GAP, RISE, ("stand", 8.0), RISE, GAP, RISE, REST])
    notices = []
    resting = []  # the HUD between the round's last rep and the next round
    for t, pose in timeline:
        notices += session.process(t, pose)
        if session.rounds_done == [1] and session.counter.round == 1:
            resting.append(session.hud(t))
    rounds = [n for n in notices if n.kind == "round_done"]
    assert [n.line for n in rounds] == ["round 1 done: 2 reps", "round 2 done: 2 reps"]
    # the last rep of a round plays the round cue instead of the rep cue
    reps = [n for n in notices if n.kind == "rep"]
    assert [n.cue for n in reps] == ["rep", None, "rep", None]
    assert any(n.kind == "all_done" for n in notices)
    hud = resting[len(resting) // 2]
    assert hud.count == 2 and hud.count_target == 2
    assert hud.round_label == "Round 1 / 2"
    assert hud.message == "round 1 done — rest" and not hud.alert
    final = session.hud(timeline[-1][0])
    assert final.phase == "done" and final.round_label == "Round 2 / 2"
    assert final.total_label == "total 4 · parallel"  # the stance the feet show, beside the total
    assert "press q" in final.message


def test_session_guides_the_person_into_view():
    session = RisesSession(RiseConfig(), "en")
    messages = []
    for t, pose in poses_of([("away", 2.0), ("feet_cut", 2.0), ("stand", 3.0)]):
        session.process(t, pose)
        hud = session.hud(t)
        if hud.message and (not messages or messages[-1][0] != hud.message):
            messages.append((hud.message, hud.alert))
    texts = [m for m, _ in messages]
    assert texts[0].startswith("no one in view")
    assert "step back — feet not visible" in texts
    assert texts.index("step back — feet not visible") < texts.index("stand still — getting ready")
    assert texts[-1] == "ready — rise onto your toes"
    assert dict(messages)["step back — feet not visible"] is True  # a problem: drawn in orange
    assert dict(messages)["stand still — getting ready"] is False


def test_session_warns_about_a_second_person_and_a_side_view():
    session = RisesSession(RiseConfig(), "de")
    timeline = poses_of([("stand", 1.0)])
    for t, pose in timeline:
        session.process(t, dataclasses.replace(pose, people=2))
    assert session.hud(timeline[-1][0]).message == "zwei Personen im Bild — die vordere zählt"
    sideways = RisesSession(RiseConfig(), "en")
    for t, pose in timeline:
        turned = pose.image.copy()
        turned[[11, 12], 0] = turned[[11, 12], 0].mean()  # shoulders one behind the other
        side_on = pose.world[:, [2, 1, 0]].copy()  # the body turned 90 degrees about the vertical
        sideways.process(t, dataclasses.replace(pose, image=turned, world=side_on))
    assert sideways.hud(timeline[-1][0]).message == "turn to face the camera"


def test_session_pause_and_reset():
    session = RisesSession(RiseConfig(), "en")
    timeline = poses_of([REST, RISE, GAP, RISE, REST])
    half = len(timeline) // 2
    feed(session, timeline[:half])
    session.toggle_pause(timeline[half][0])
    assert session.hud(timeline[half][0]).phase == "paused"
    assert feed(session, timeline[half:half + 30]) == []  # nothing counted while paused
    frames = session.counter.frames
    session.toggle_pause(timeline[half + 30][0])
    feed(session, timeline[half + 30:])
    assert session.counter.frames > frames
    assert session.counter.count >= 1
    session.reset(timeline[-1][0])
    assert session.counter.count == 0 and session.rounds_done == []
    assert session.hud(timeline[-1][0]).phase == "ready"


# ----- the HUD


def test_hud_draws_on_a_copy_in_both_languages():
    image = np.full((480, 640, 3), 120, np.uint8)
    for lang in ("en", "de"):
        session = RisesSession(RiseConfig(), lang, rounds=3, reps=10)
        state = session.hud(0.0)
        out = render.draw_hud(image, state)
        assert out.shape == image.shape and not np.shares_memory(out, image)
        assert (image == 120).all()
        assert (out != 120).any()
    umlaut = render.draw_hud(image, render.HudState(1, "Runde 1", "HALTEN", 1.0, 3.0, message="Füße"))
    plain = render.draw_hud(image, render.HudState(1, "Runde 1", "HALTEN", 1.0, 3.0, message="Fuesse"))
    assert (umlaut != plain).any()


def test_hud_hold_bar_turns_green_at_the_target():
    image = np.zeros((720, 1280, 3), np.uint8)
    filling = render.draw_hud(image, render.HudState(0, "Round 1", "HOLD", 1.5, 3.0, phase="hold"))
    reached = render.draw_hud(image, render.HudState(0, "Round 1", "HOLD", 3.2, 3.0, phase="hold"))
    green = np.array(render.GREEN)
    assert (np.abs(reached.astype(int) - green).sum(axis=2) < 10).sum() > 5000
    assert (np.abs(filling.astype(int) - green).sum(axis=2) < 10).sum() < 100


# ----- the loop and the command with fake cameras and a fake model


class FakeCamera:
    """A scripted camera: frames of a pose timeline, optionally failing or ending early."""

    def __init__(self, timeline, fail_after=None):
        self.timeline = timeline
        self.fail_after = fail_after
        self.width, self.height, self.fps = WIDTH, HEIGHT, 30.0
        self.is_file = False
        self.frame_count = 0
        self.dropped = 0
        self.failed = False
        self.closed = False
        self._image = np.zeros((HEIGHT // 8, WIDTH // 8, 3), np.uint8)

    def __iter__(self):
        for i, (t, _) in enumerate(self.timeline):
            if self.fail_after is not None and i >= self.fail_after:
                self.failed = True  # as Camera does when the device stops delivering
                return
            self.frame_count = i + 1
            yield Frame(self._image, i, t, time.monotonic())

    def close(self):
        self.closed = True


class FakeEstimator:
    """The pose of each scripted frame; optionally Ctrl-C at a frame."""

    interrupt_at: int | None = None

    def __init__(self, timeline, still=False):
        self.timeline = timeline
        self.still = still

    def detect(self, frame):
        if self.interrupt_at is not None and frame.index >= self.interrupt_at and not self.still:
            raise KeyboardInterrupt
        return self.timeline[frame.index][1]

    def close(self):
        pass


@pytest.fixture
def fake_live(monkeypatch, tmp_path):
    """Patch the camera and the model; returns a function that sets the script."""
    monkeypatch.setenv("POSECHECK_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    made = {}

    def setup(script, fail_after=None, interrupt_at=None):
        timeline = poses_of(script)
        estimator = type("Estimator", (FakeEstimator,), {"interrupt_at": interrupt_at})
        monkeypatch.setattr(live, "PoseEstimator", lambda model=None, still=False, num_poses=1: estimator(timeline, still))

        def camera(spec):
            made["camera"] = FakeCamera(timeline, fail_after)
            return made["camera"]

        monkeypatch.setattr(live, "Camera", camera)
        return made

    return setup


def test_camera_dying_mid_session_keeps_the_summary(fake_live, tmp_path, capsys):
    made = fake_live([REST, RISE, GAP, RISE, GAP, RISE, REST], fail_after=int(30 * 14.0))
    out = tmp_path / "live.json"
    status = cli.main(["rises", "--camera", "1", "--no-window", "--mute", "--json", str(out)])
    captured = capsys.readouterr()
    assert status == ExitStatus.NO_CAMERA
    assert made["camera"].closed
    report = json.loads(out.read_text())
    assert report["count"] == 2 and report["source"] == "camera 1"
    assert "rep 2 counted" in captured.out and "camera 1: 2 rises" in captured.out
    assert "camera stopped sending pictures" in captured.err
    assert "Traceback" not in captured.err
    from posecheck.log.store import TrainingLog

    with TrainingLog.open() as log:  # logged as a live session
        assert [s.kind for s in log.sessions()] == ["live"]


def test_ctrl_c_inside_the_loop_still_writes_the_json(fake_live, tmp_path, capsys):
    fake_live([REST, RISE, GAP, RISE, GAP, RISE, REST], interrupt_at=int(30 * 9.5))
    out = tmp_path / "live.json"
    status = cli.main(["rises", "--camera", "0", "--no-window", "--mute", "--no-log", "--json", str(out)])
    captured = capsys.readouterr()
    assert status == ExitStatus.INTERRUPTED
    assert json.loads(out.read_text())["count"] == 1
    assert "camera 0: 1 rise" in captured.out
    assert not (tmp_path / "home").exists()  # --no-log


def test_a_broken_training_log_does_not_lose_the_session(fake_live, tmp_path, monkeypatch, capsys):
    fake_live([REST, RISE, REST])
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setenv("POSECHECK_HOME", str(blocker))
    out = tmp_path / "live.json"
    status = cli.main(["rises", "--camera", "0", "--no-window", "--mute", "--json", str(out)])
    captured = capsys.readouterr()
    assert status == ExitStatus.OK
    assert json.loads(out.read_text())["count"] == 1
    assert "warning: the session was not added to the training log" in captured.err
    assert len(captured.err.strip().splitlines()) <= 2  # the start line and the warning


def test_no_display_falls_back_to_lines(fake_live, capsys):
    fake_live([REST, RISE, REST])
    status = cli.main(["rises", "--camera", "0", "--mute", "--no-log"])  # no --no-window, but no display either
    captured = capsys.readouterr()
    assert status == ExitStatus.OK
    assert "no display found" in captured.err
    assert "rep 1 counted" in captured.out


def test_video_and_camera_together_is_a_usage_error(capsys):
    assert cli.main(["rises", "clip.mp4", "--camera", "0"]) == ExitStatus.USAGE
    assert cli.main(["rises", "--reps", "0"]) == ExitStatus.USAGE


def test_missing_camera_is_one_line_and_its_own_exit_code(capfd, monkeypatch, tmp_path):
    monkeypatch.setenv("POSECHECK_HOME", str(tmp_path))
    status = cli.main(["rises", "--camera", "7", "--no-window", "--mute"])
    captured = capfd.readouterr()  # fd level: OpenCV's own warnings would show here
    assert status == ExitStatus.NO_CAMERA
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1, captured.err
    assert "camera 7" in lines[0] and "--camera" in lines[0]
    assert "Traceback" not in captured.err and captured.out == ""


def test_source_label_hides_passwords():
    assert ui.source_label(0) == "camera 0"
    assert ui.source_label("rtsp://me:secret@10.0.0.5:8554/cam") == "rtsp://me:***@10.0.0.5:8554/cam"
    assert ui.source_label("clip.mp4") == "clip.mp4"


# ----- the real camera class on a file


def _tiny_clip(path, frames=45, fps=30.0):
    import cv2

    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), fps, (160, 120))
    for i in range(frames):
        image = np.zeros((120, 160, 3), np.uint8)
        image[:, : 3 * i % 160] = 200
        writer.write(image)
    writer.release()


def test_camera_plays_a_file_in_real_time_and_drops_stale_frames(tmp_path):
    clip = tmp_path / "tiny.mp4"
    _tiny_clip(clip)
    began = time.monotonic()
    taken = []
    with sources.Camera(str(clip)) as camera:
        for frame in camera:
            taken.append(frame.index)
            time.sleep(0.08)  # a slow consumer: about every third frame
        assert camera.done and not camera.failed
        assert camera.frame_count == 45
        assert camera.dropped == 45 - len(taken) and camera.dropped > 15
    assert 1.3 < time.monotonic() - began < 4.0  # 1.5 s of video at its own pace
    assert taken == sorted(taken) and taken[-1] == 44  # the last frame is always delivered
    assert all(b > a for a, b in zip(taken, taken[1:]))


def test_camera_latest_peeks_without_taking(tmp_path):
    clip = tmp_path / "tiny.mp4"
    _tiny_clip(clip, frames=30)
    with sources.Camera(str(clip)) as camera:
        first = camera.latest(timeout=1.0)
        newer = camera.latest(after=first.index, timeout=1.0)
        assert newer.index > first.index
        taken = next(iter(camera))
        assert taken.index >= newer.index  # peeking took nothing from iteration
        assert camera.dropped == taken.index  # all before it were skipped, none taken


# ----- clips played as a camera, against offline analysis

def _clips():
    """The shipped samples (front with mixed holds and a half rise, side view: about 40 s in all);
    without them, the two short synthetic clips like them; everything with POSECHECK_LONG_TESTS=1."""
    clips = sorted(SAMPLES.glob("*.mp4")) if SAMPLES.is_dir() else []
    short = ["b_front_barefoot_mixed_holds_half_rise", "d_side_4rises"]  # 33 s and 26 s
    long = ["a_front_10rises_shoes", "c_oblique35_turnout30_6rises"]
    if LONG or not clips:
        clips += [SYNTHETIC / f"{name}.mp4" for name in short]
    if LONG:
        clips += [SYNTHETIC / f"{name}.mp4" for name in long]
        clips.append(FOOTAGE / "real" / "skatefit_weighted_calf_raises.mp4")
    return clips


BUSY_FPS = 12.0  # an idle 2-core machine analyses 25 to 30 frames a second


@pytest.mark.slow
@pytest.mark.parametrize("clip", _clips(), ids=lambda p: p.stem)
def test_live_counts_what_offline_counts(clip, tmp_path, monkeypatch, capsys):
    """Whether the count is right is test_footage's business; here: live says what offline says."""
    if not clip.is_file():
        pytest.skip(f"{clip} is not here")
    monkeypatch.setenv("POSECHECK_HOME", str(tmp_path / "home"))
    offline_json, live_json, landmarks = tmp_path / "offline.json", tmp_path / "live.json", tmp_path / "clip.npz"
    assert cli.main(["rises", str(clip), "--no-progress", "--json", str(offline_json), "--save-landmarks", str(landmarks)]) == ExitStatus.OK
    offline = json.loads(offline_json.read_text())
    # First without the clock: the live session fed the offline poses with frames left out, as a slow machine leaves them out.
    series = LandmarkSeries.load(landmarks)
    poses = list(series.frames())
    rng = np.random.default_rng(7)
    for name, step in (("every 2nd frame", [2]), ("every 3rd frame", [3]), ("gaps of 1 to 4 frames", [1, 2, 3, 4])):
        session = RisesSession(RiseConfig(), "en")
        i = 0
        while i < len(poses):
            session.process(float(series.t[i]), poses[i])
            i += int(rng.choice(step))
        session.finish()
        assert session.counter.count == offline["count"], name
    # Then in real time, with the model, as the command runs it.
    stats = []
    monkeypatch.setattr(live, "LoopStats", lambda: stats.append(LoopStats()) or stats[-1])
    began = time.monotonic()
    status = cli.main(["rises", "--camera", str(clip), "--no-window", "--mute", "--no-log", "--lang", "en", "--json", str(live_json)])
    took = time.monotonic() - began
    captured = capsys.readouterr()
    rate = stats[0].analysed / stats[0].seconds
    if rate < BUSY_FPS:  # other jobs took the CPU: the counter saw too few frames for a fair comparison
        pytest.skip(f"the machine was too busy for a real-time comparison: {rate:.1f} frames a second analysed")
    assert status == ExitStatus.OK, captured.err
    live_report = json.loads(live_json.read_text())
    assert live_report["count"] == offline["count"], f"{rate:.1f} frames a second analysed"
    assert live_report["duration_s"] == pytest.approx(offline["duration_s"], abs=0.05)
    assert took >= offline["duration_s"] * 0.95  # really played at its own pace
    rep_lines = [line for line in captured.out.splitlines() if re.search(r"  rep \d+ counted", line)]
    assert len(rep_lines) == offline["count"]
    # The counter sees fewer frames live, and on a busy machine the model may stall for a moment:
    # one rep's times can move, but not the reps' times as a whole.
    shifts = [abs(mine["start_s"] - theirs["start_s"]) for mine, theirs in zip(live_report["reps"], offline["reps"])]
    assert not shifts or float(np.median(shifts)) < 0.5, shifts


# ----- the real window, under Xvfb


def _xvfb_display():
    if shutil.which("Xvfb") is None:
        pytest.skip("Xvfb is not installed")
    read, write = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", "1600x900x24", "-nolisten", "tcp", "-noreset"],
        pass_fds=(write,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    os.close(write)
    with os.fdopen(read) as pipe:
        number = pipe.readline().strip()
    if not number:
        server.kill()
        pytest.skip("Xvfb did not start")
    return server, f":{number}"


def _grab(display):
    from PIL import ImageGrab

    return np.asarray(ImageGrab.grab(xdisplay=display))[:, :, ::-1]  # BGR


def _screenshot_dir(tmp_path):
    folder = os.environ.get("POSECHECK_SCREENSHOTS")
    path = pathlib.Path(folder) if folder else tmp_path
    path.mkdir(parents=True, exist_ok=True)
    return path


def _run_window(clip, display, args, tmp_path, seconds, stop_with=None):
    """Start the window on a clip; grab the screen once a second; return (process, screenshots, out, err)."""
    import cv2

    env = dict(os.environ, DISPLAY=display, POSECHECK_HOME=str(tmp_path / "home"), PYTHONPATH=str(REPO_ROOT))
    env.pop("WAYLAND_DISPLAY", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "posecheck", "rises", "--camera", str(clip), "--mute", *args],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path,
        # Ctrl-C as from a terminal: a suite started in the background (`cmd &`) hands its
        # children SIGINT ignored, and Python then installs no KeyboardInterrupt handler.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    shots = []
    # `seconds` of window time, counted from when the window is up: on a busy
    # machine the model can take a while to load.
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        time.sleep(1.0)
        try:
            image = _grab(display)
        except OSError:  # the server is busy or going: try again
            continue
        if image.max() > 0:  # the window is up
            if not shots:
                deadline = time.monotonic() + seconds
            shots.append(image)
    if stop_with is not None and process.poll() is None:
        process.send_signal(stop_with)
    out, err = process.communicate(timeout=60)
    folder = _screenshot_dir(tmp_path)
    for i, image in enumerate(shots):
        cv2.imwrite(str(folder / f"{pathlib.Path(clip).stem}-{args[args.index('--lang') + 1]}-{i:02d}.png"), image)
    return process, shots, out, err


def _hud_visible(image):
    """The panel on the left is dark and carries white text; the picture on the right is not black."""
    h = min(image.shape[0], 720)
    panel = image[:h, :300]
    picture = image[:h, 600:1000]
    white = (panel.min(axis=2) > 230).sum()
    return white > 2000 and picture.mean() > 40


WINDOW_CLIP = next(
    (p for p in (SAMPLES / "front_3rises.mp4", SYNTHETIC / "b_front_barefoot_mixed_holds_half_rise.mp4") if p.is_file()), None
)


@pytest.mark.skipif(WINDOW_CLIP is None, reason="no clip here")
@pytest.mark.slow
def test_window_shows_the_hud_and_ctrl_c_saves(tmp_path):
    server, display = _xvfb_display()
    try:
        clip = WINDOW_CLIP
        out_json = tmp_path / "window.json"
        process, shots, out, err = _run_window(
            clip, display, ["--lang", "en", "--rounds", "3", "--reps", "5", "--json", str(out_json)], tmp_path, 4, signal.SIGINT,  # Ctrl-C 4 s after the window is up, well before the clip ends
        )
    finally:
        server.terminate()
        server.wait()
    assert process.returncode == ExitStatus.INTERRUPTED, err
    assert shots and any(_hud_visible(image) for image in shots)
    report = json.loads(out_json.read_text())  # Ctrl-C in the window still saves
    assert report["source"] == str(clip)
    assert f"{clip}:" in out
    assert "Traceback" not in err


@pytest.mark.skipif(not (SYNTHETIC / "f_front_barefoot_left_everted8.mp4").is_file(), reason="footage not here")
@pytest.mark.slow
def test_window_in_german_to_the_end_of_the_clip(tmp_path):
    server, display = _xvfb_display()
    try:
        clip = SYNTHETIC / "f_front_barefoot_left_everted8.mp4"
        process, shots, out, err = _run_window(clip, display, ["--lang", "de", "--no-log"], tmp_path, 30)
    finally:
        server.terminate()
        server.wait()
    assert process.returncode == ExitStatus.OK, err
    assert shots and any(_hud_visible(image) for image in shots)
    assert f"{clip}: 0 Zehenstände" in out  # the summary speaks the session's language too


# ----- the window loop with a fake window (no display needed)


class PacedFakeCamera(FakeCamera):
    """Frames arrive on the clock (sped up), the newest one wins, as with the real Camera."""

    def __init__(self, timeline, speed=2.0):
        super().__init__(timeline)
        self.speed = speed
        self.started = time.monotonic()

    def _newest(self):
        return min(int((time.monotonic() - self.started) * self.fps * self.speed), len(self.timeline) - 1)

    @property
    def done(self):
        return self._newest() >= len(self.timeline) - 1

    def _frame(self, i):
        self.frame_count = max(self.frame_count, i + 1)
        return Frame(self._image, i, self.timeline[i][0], time.monotonic())

    def latest(self, after=-1, timeout=None):
        deadline = time.monotonic() + (timeout or 0)
        while self._newest() <= after and time.monotonic() < deadline:
            time.sleep(0.002)
        i = self._newest()
        return self._frame(i) if i > after else None

    def __iter__(self):
        taken = -1
        while taken < len(self.timeline) - 1:
            i = self._newest()
            if i <= taken:
                time.sleep(0.002)
                continue
            self.dropped += i - taken - 1
            taken = i
            yield self._frame(i)


class FakeWindow:
    def __init__(self, keys=None, close_after=None):
        self.keys = dict(keys or {})  # shown-frame count -> key
        self.close_after = close_after
        self.shown = []

    def show(self, image):
        self.shown.append(image.shape)

    def key(self, wait_ms=1):
        return ord(self.keys.pop(len(self.shown))) if len(self.shown) in self.keys else 0xFF

    def closed(self):
        return self.close_after is not None and len(self.shown) >= self.close_after

    def toggle_fullscreen(self):
        pass


def _window_session(keys=None, close_after=None, script=(REST, RISE, REST)):
    timeline = poses_of(list(script))
    camera = PacedFakeCamera(timeline)
    session = RisesSession(RiseConfig(), "en")
    stats = LoopStats()
    steps = loop.analysed(camera, FakeEstimator(timeline), stats)
    emitted = []
    window = FakeWindow(keys, close_after)
    on_key = ui.key_handler(session, emitted.extend, window)
    outcome = ui.run_windowed(camera, steps, session, emitted.extend, window, on_key, stats)
    return outcome, session, stats, window, emitted, camera


def test_window_loop_shows_every_frame_while_the_model_runs_beside_it():
    outcome, session, stats, window, emitted, camera = _window_session()
    assert outcome.reason == "ended"
    assert session.counter.count == 1
    assert [n.kind for n in emitted if n.kind in ("ready", "rep")] == ["ready", "rep"]
    assert stats.shown > 0.6 * len(camera.timeline)  # most frames reached the window, whatever the model's pace
    small = ui.MIN_DISPLAY_HEIGHT  # the fake frames are tiny: scaled up so the HUD stays readable
    assert all(shape == (small, round(small * WIDTH / HEIGHT), 3) for shape in window.shown)


def test_window_loop_keys_pause_reset_and_quit():
    outcome, session, stats, window, emitted, camera = _window_session(keys={20: " ", 40: " ", 60: "r", 90: "q"})
    assert outcome.reason == "quit"
    kinds = [n.kind for n in emitted]
    assert kinds.index("paused") < kinds.index("resumed") < kinds.index("reset")
    assert camera.frame_count < len(camera.timeline)  # quit before the end


def test_window_loop_ends_when_the_window_is_closed():
    outcome, *_ = _window_session(close_after=15)
    assert outcome.reason == "quit"
