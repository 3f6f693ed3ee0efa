"""Live mode: count rises from a camera, hands-free, with the same counter as offline analysis.

The pieces, each with its own explicit state:

- `LiveSession`: the counter plus what live mode adds on top of it (round and
  rep targets, guidance prompts, pause and reset). It takes one analysed frame
  at a time and says what happened as `Notice`s; it draws and plays nothing.
- `run_loop`: source -> pose -> session, frame by frame. Without a window it
  runs in the calling thread and prints the notices as lines; with a window,
  inference runs on a worker thread while the window shows every camera
  frame with the newest skeleton and HUD, so the picture stays at camera rate
  even when the model is slower.
- `run`: what `posecheck rises` without a video calls: opens the camera, runs
  the loop, and whatever ended it (q, Ctrl-C, the camera failing, the end of a
  file played as a camera) prints the summary, writes the JSON and logs the
  session.

Times given to the counter are the frames' own media times (`Frame.t`), so a
file played as a camera is timed exactly as offline analysis times it.

`Analyser`, `run_loop`, `Window`, `Printer` and `key_handler` work with any
session object that has `lock`, `pose` (the newest pose, for the skeleton),
`process(t, pose, width, height) -> [Notice]`, `hud(t) -> HudState`, and for
the keys `reset(t)` and `toggle_pause(t)`; other live commands reuse them.
"""

from __future__ import annotations

import collections
import dataclasses
import datetime as dt
import math
import os
import queue
import sys
import threading
import time
import urllib.parse
from typing import Callable, Iterable, TextIO

import numpy as np

from posecheck.pose import landmarks as lm
from posecheck.errors import ExitStatus, NoPerson, PosecheckError
from posecheck.report.texts import Texts, choose_language
from posecheck.render.hud import HudState, draw_hud, draw_skeleton
from posecheck.report.rises import RiseReport, check_writable, write_json
from posecheck.detect.analysis import RiseAnalysis
from posecheck.detect.rises import Blocked, Event, Phase, RiseConfig, RiseCounter
from posecheck.detect.stance import StanceTracker
from posecheck.detect.stance import label as stance_label

WINDOW_TITLE = "posecheck rises"
STATS_KEPT = 10000
SLOW_ANALYSIS_FPS = 8.0  # below this many analysed frames a second, say that counts may suffer
MIN_DISPLAY_HEIGHT = 720  # smaller camera pictures are scaled up so the HUD stays readable

# Guidance keys that mean something is wrong (drawn in orange) rather than a hint.
ALERTS = {"no_person", "body_hidden", "feet_hidden", "knees_bent", "foot_lifted", "feet_moved", "blocked", "two_people", "face_camera"}


@dataclasses.dataclass(frozen=True)
class Notice:
    """Something to tell the user: a line for the terminal and a sound to play (either may be empty)."""

    kind: str  # the counter's event kind, or "round_target", "all_done", "guidance", "paused", ...
    t: float
    line: str
    cue: str | None = None


class Guidance:
    """Which prompt to show, held steady: a new one must last `settle_s`, a shown one stays `keep_s`."""

    def __init__(self, settle_s: float = 0.3, keep_s: float = 1.0):
        self.settle_s = settle_s
        self.keep_s = keep_s
        self.shown: str | None = None
        self._shown_since = -math.inf
        self._candidate: str | None = None
        self._candidate_since = math.nan

    def update(self, t: float, key: str | None) -> str | None:
        if key == self.shown:
            self._candidate = None
            return self.shown
        if key != self._candidate:
            self._candidate, self._candidate_since = key, t
        if t - self._candidate_since >= self.settle_s and t - self._shown_since >= self.keep_s:
            self.shown, self._shown_since = key, t
            self._candidate = None
        return self.shown

    def force(self, t: float, key: str | None) -> None:
        self.shown, self._shown_since, self._candidate = key, t, None


def facing_camera(pose: lm.PoseFrame, width: int, height: int) -> bool:
    """Whether the person faces the camera rather than standing side-on: the shoulders look wide against the torso.

    Which shoulder is on which side is not used: phone and virtual cameras often mirror the picture.
    """
    p = pose.image[:, :2] * (width, height)
    shoulders = abs(p[lm.LEFT_SHOULDER, 0] - p[lm.RIGHT_SHOULDER, 0])
    torso = np.linalg.norm((p[lm.LEFT_SHOULDER] + p[lm.RIGHT_SHOULDER]) / 2 - (p[lm.LEFT_HIP] + p[lm.RIGHT_HIP]) / 2)
    return bool(torso > 0 and shoulders / torso > 0.35)


class LiveSession:
    """The counter and live mode's own state: targets, prompts, pause. Not thread-safe: guard it with `lock`."""

    def __init__(self, config: RiseConfig | None = None, lang: str = "en", rounds: int | None = None, reps: int | None = None):
        self.config = config or RiseConfig()
        self.text = Texts(lang)
        self.rounds_target = rounds if rounds and rounds > 0 else None
        self.reps_target = reps if reps and reps > 0 else None
        self.lock = threading.RLock()
        self.analysis = RiseAnalysis(self.config)
        self.paused = False
        self.pose: lm.PoseFrame | None = None  # the newest analysed pose, for the skeleton
        self.first_t: float | None = None
        self.last_t: float | None = None
        self.frames = 0  # frames analysed
        self._resume_gap = False
        self._start_state()

    @property
    def counter(self) -> RiseCounter:
        return self.analysis.counter

    @property
    def stance(self) -> StanceTracker:
        return self.analysis.stance

    def _start_state(self) -> None:
        self.guidance = Guidance()
        self.rounds_done: list[int] = []  # rounds announced as done, in order
        self._ready_t = math.nan
        self._round_done_t = math.nan
        self._last_rep_t = math.nan
        self._people = 0
        self._facing = True

    # ----- per frame
    def process(self, t: float, pose: lm.PoseFrame | None, width: int, height: int) -> list[Notice]:
        """One analysed frame at its media time t."""
        if self.first_t is None:
            self.first_t = t
        self.last_t = t
        if self.paused:
            return []
        self.frames += 1
        self.pose = pose
        self._people = pose.people if pose is not None else 0
        self._facing = pose is None or facing_camera(pose, width, height)
        events: list[Event] = []
        if self._resume_gap:
            # After a pause: the counter sees one empty frame, so a rise that was going on is not stretched over the pause.
            self._resume_gap = False
            events += self.analysis.gap(t - 1e-3)
        events += self.analysis.step(t, pose, width, height)  # the same step as offline analysis
        notices = self._notices(events)
        notices += self._guide(t)
        return notices

    def finish(self) -> list[Notice]:
        """End of the session: settle a rise in progress and close the round."""
        return self._notices(self.analysis.finish())

    def toggle_pause(self, t: float) -> list[Notice]:
        self.paused = not self.paused
        if self.paused:
            self.guidance.force(t, "paused")
            return [Notice("paused", t, self.text("line.paused"))]
        self._resume_gap = True
        self.guidance.force(t, None)
        return [Notice("resumed", t, self.text("line.resumed"))]

    def reset(self, t: float) -> list[Notice]:
        """Start over: a new counter (it calibrates again) and no rounds done."""
        self.analysis = RiseAnalysis(self.config)
        self.paused = False
        self._resume_gap = False
        self._start_state()
        self.guidance.force(t, "reset")
        return [Notice("reset", t, self.text("line.reset"))]

    # ----- what to show
    @property
    def all_done(self) -> bool:
        return self.rounds_target is not None and len(self.rounds_done) >= self.rounds_target

    def reps_in_round(self, n: int) -> int:
        return sum(1 for rep in self.counter.reps if rep.round == n)

    def phase_key(self) -> str:
        if self.paused:
            return "paused"
        phase = self.counter.phase
        if phase == Phase.REST:
            if self.all_done:
                return "done"
            if self.reps_in_round(self.counter.round) == 0:
                return "start"  # calibrated, nothing counted in this round yet: go
        return phase.value

    def hud(self, t: float) -> HudState:
        """The HUD at time t (the shown frame's time: the hold bar moves between analysed frames)."""
        c = self.counter
        targets = self.rounds_target is not None or self.reps_target is not None
        shown_round = c.round
        if self.all_done:
            shown_round = min(shown_round, self.rounds_target)
        key = self.phase_key()
        message_key = self.guidance.shown
        message = self._message(message_key) if message_key else ""
        return HudState(
            count=self.reps_in_round(shown_round) if targets else c.count,
            round_label=self.text("round_of", n=shown_round, of=self.rounds_target) if self.rounds_target else self.text("round", n=shown_round),
            phase_label=self.text(f"phase.{key}"),
            hold_s=0.0 if self.paused else max(c.hold_elapsed(t), 0.0),
            hold_target_s=self.config.hold_target_s,
            message=message,
            reps_label=self.text("reps"),
            count_target=self.reps_target,
            total_label=" · ".join(filter(None, [self.text("total", n=c.count) if targets else "", self._stance_shown(t)])),
            phase=key,
            alert=message_key in ALERTS,
            flash=0.0 <= t - self._last_rep_t < 1.0,
            keys_hint=self.text("keys") if key in ("ready", "paused") else "",
        )

    def _stance_shown(self, t: float) -> str:
        variant = self.stance.current(t)
        return stance_label(variant, self.text.lang) if variant else ""

    def report(self, source: str, duration_s: float) -> RiseReport:
        return RiseReport(source, duration_s, self.config.hold_target_s, self.counter)

    # ----- internals
    def _message(self, key: str) -> str:
        if key == "round_done":
            return self.text("msg.round_done", n=self.rounds_done[-1] if self.rounds_done else self.counter.round)
        if key == "all_done":
            return self.text("msg.all_done", n=self.rounds_target or len(self.rounds_done))
        return self.text(f"msg.{key}")

    def _guide(self, t: float) -> list[Notice]:
        before = self.guidance.shown
        shown = self.guidance.update(t, self._wanted_prompt(t))
        if shown != before and shown in ALERTS:
            return [Notice("guidance", t, self._message(shown))]
        return []

    def _wanted_prompt(self, t: float) -> str | None:
        c = self.counter
        sample = c.last_sample
        blocked = sample.blocked if sample is not None else None
        if blocked is not None:
            value = blocked.value if isinstance(blocked, Blocked) else str(blocked)
            return value if self.text.has(f"msg.{value}") else "blocked"
        if self._people >= 2:
            return "two_people"
        if c.phase == Phase.CALIBRATING:
            return "calibrating" if self._facing else "face_camera"
        if self.all_done:
            return "all_done"
        if t - self._ready_t < 2.5:
            return "go"
        if self.rounds_done and c.phase == Phase.REST and (self.rounds_done[-1] == c.round or t - self._round_done_t < 5.0):
            return "round_done"  # the round's target is met (or its pause began): rest
        return None

    def _notices(self, events: Iterable[Event]) -> list[Notice]:
        text = self.text
        notices: list[Notice] = []
        for event in events:
            if event.kind == "ready":
                self._ready_t = event.t
                self.guidance.force(event.t, "go")
                notices.append(Notice("ready", event.t, text("line.ready"), "ready"))
            elif event.kind == "hold_reached":
                notices.append(Notice("hold_reached", event.t, text("line.hold_reached", target=self.config.hold_target_s), "hold"))
            elif event.kind == "rep" and event.rep is not None:
                rep = event.rep
                self._last_rep_t = event.t
                in_round = self.reps_in_round(rep.round)
                line = text(
                    "line.rep", n=self.counter.count, round=rep.round,
                    round_of=f"/{self.rounds_target}" if self.rounds_target else "",
                    in_round=in_round, reps_of=f"/{self.reps_target}" if self.reps_target else "", hold=rep.hold_s,
                )
                if not rep.hold_ok:
                    line += f" — {text('line.short_hold')}"
                target_met = self.reps_target is not None and in_round == self.reps_target and rep.round not in self.rounds_done
                notices.append(Notice("rep", event.t, line, None if target_met else "rep"))
                if target_met:
                    notices += self._round_done(rep.round, event.t)
            elif event.kind == "round_done":
                n = int(event.detail) if event.detail.isdigit() else self.counter.round
                if n not in self.rounds_done:
                    notices += self._round_done(n, event.t)
            elif event.kind == "partial":
                notices.append(Notice("partial", event.t, text("line.partial")))
            elif event.kind == "one_foot":
                notices.append(Notice("one_foot", event.t, text("line.one_foot")))
            elif event.kind == "aborted":
                why = text(f"msg.{event.detail}") if text.has(f"msg.{event.detail}") else event.detail.replace("_", " ")
                notices.append(Notice("aborted", event.t, text("line.aborted", why=why)))
        return notices

    def _round_done(self, n: int, t: float) -> list[Notice]:
        self.rounds_done.append(n)
        self._round_done_t = t
        self.guidance.force(t, "all_done" if self.all_done else "round_done")
        notices = [Notice("round_done", t, self.text("line.round_done", n=n, reps=self.reps_in_round(n)), "round")]
        if self.all_done:
            notices.append(Notice("all_done", t, self.text("line.all_done", n=self.rounds_target)))
        return notices


# ----- the loop


@dataclasses.dataclass
class LoopStats:
    """What the loop measured: for the bench and for the note at the end."""

    started: float = dataclasses.field(default_factory=time.monotonic)
    ended: float = math.nan
    analysed: int = 0  # frames the model saw
    shown: int = 0  # frames put in the window
    # the most recent figures (a long session keeps the last few minutes)
    inference_s: collections.deque = dataclasses.field(default_factory=lambda: collections.deque(maxlen=STATS_KEPT))  # model time
    analysis_age_s: collections.deque = dataclasses.field(default_factory=lambda: collections.deque(maxlen=STATS_KEPT))  # capture -> result
    display_age_s: collections.deque = dataclasses.field(default_factory=lambda: collections.deque(maxlen=STATS_KEPT))  # capture -> screen
    overlay_lag: collections.deque = dataclasses.field(default_factory=lambda: collections.deque(maxlen=STATS_KEPT))  # picture vs skeleton, frames

    @property
    def seconds(self) -> float:
        end = self.ended if not math.isnan(self.ended) else time.monotonic()
        return max(end - self.started, 1e-9)


@dataclasses.dataclass
class Outcome:
    reason: str  # "quit", "interrupted", "ended" (end of a file), "camera_failed", "error"
    error: BaseException | None = None


class PeopleCheck:
    """How many people are in view, looked up now and then with a second model that finds up to two.

    The tracking model looks for one person, exactly as offline analysis does
    (asked for two, MediaPipe runs its person detector on every frame: twice
    the time, and landmarks that differ from the offline ones). This one runs
    about once a second, not during a rise, and its answer holds until the next look.
    """

    def __init__(self, estimator, every_s: float = 1.0, clock: Callable[[], float] = time.monotonic):
        self.estimator = estimator
        self.every_s = every_s
        self.clock = clock
        self.people = 1
        self._last = -math.inf

    def __call__(self, frame) -> int:
        now = self.clock()
        if now - self._last >= self.every_s:
            self._last = now
            found = self.estimator.detect(frame)
            self.people = found.people if found is not None else 0
        return self.people

    def close(self) -> None:
        self.estimator.close()


class Analyser:
    """One step of the loop, shared by both modes: a frame -> its pose -> the session's notices."""

    def __init__(self, estimator, session: LiveSession, width: int, height: int, stats: LoopStats, people: PeopleCheck | None = None):
        self.estimator = estimator
        self.session = session
        self.width = width
        self.height = height
        self.stats = stats
        self.people = people
        self.newest_index = -1  # the frame the current skeleton belongs to

    def __call__(self, frame) -> list[Notice]:
        began = time.monotonic()
        pose = self.estimator.detect(frame)
        done = time.monotonic()
        if self.people is not None and pose is not None:
            # Not during a rise: there every frame the model can analyse counts, and the check would stall it.
            with self.session.lock:
                counter = getattr(self.session, "counter", None)
                rising = counter is not None and counter.phase in (Phase.RISING, Phase.HOLD, Phase.LOWERING)
            people = self.people.people if rising else self.people(frame)
            if people > pose.people:
                pose = dataclasses.replace(pose, people=people)
        with self.session.lock:
            notices = self.session.process(frame.t, pose, self.width, self.height)
            keep_picture = getattr(self.session, "keep_picture", None)  # the routine's barefoot check
            if keep_picture is not None:
                keep_picture(frame.image)
            self.newest_index = frame.index
        self.stats.analysed += 1
        self.stats.inference_s.append(done - began)
        self.stats.analysis_age_s.append(time.monotonic() - frame.captured_at)
        return notices


class Window:
    """The OpenCV window: show an image, read a key, tell whether the user closed it."""

    def __init__(self, title: str = WINDOW_TITLE, fullscreen: bool = True):
        import cv2

        self._cv2 = cv2
        self.title = title
        cv2.namedWindow(title, cv2.WINDOW_NORMAL | cv2.WINDOW_KEEPRATIO | getattr(cv2, "WINDOW_GUI_NORMAL", 0))
        self._sized = False
        self._fullscreen = False
        self.fullscreen = fullscreen

    def show(self, image: np.ndarray) -> None:
        first = not self._sized
        if first:
            self._cv2.resizeWindow(self.title, image.shape[1], image.shape[0])
            self._sized = True
        self._cv2.imshow(self.title, image)
        if first and self.fullscreen:  # readable from 3 m; f gives a normal window (needs a window manager)
            self._cv2.waitKey(1)
            self.toggle_fullscreen()

    def key(self, wait_ms: int = 1) -> int:
        return self._cv2.waitKey(wait_ms) & 0xFF

    def toggle_fullscreen(self) -> None:
        self._fullscreen = not self._fullscreen
        mode = self._cv2.WINDOW_FULLSCREEN if self._fullscreen else self._cv2.WINDOW_NORMAL
        self._cv2.setWindowProperty(self.title, self._cv2.WND_PROP_FULLSCREEN, mode)

    def closed(self) -> bool:
        if not self._sized:  # not shown yet: it cannot have been closed
            return False
        try:
            return self._cv2.getWindowProperty(self.title, self._cv2.WND_PROP_VISIBLE) < 1
        except self._cv2.error:
            return True

    def close(self) -> None:
        try:
            self._cv2.destroyWindow(self.title)
            self._cv2.waitKey(1)
        except self._cv2.error:
            pass


def compose(frame_image: np.ndarray, session: LiveSession, t: float) -> np.ndarray:
    """The picture for the window: the camera frame, the newest skeleton and the HUD."""
    import cv2

    with session.lock:
        state = session.hud(t)
        pose = session.pose
    image = draw_skeleton(frame_image, pose)
    h, w = image.shape[:2]
    if h < MIN_DISPLAY_HEIGHT:
        scale = MIN_DISPLAY_HEIGHT / h
        image = cv2.resize(image, (round(w * scale), MIN_DISPLAY_HEIGHT), interpolation=cv2.INTER_LINEAR)
    return draw_hud(image, state)


def run_loop(
    source,
    analyse: Analyser,
    emit: Callable[[list[Notice]], None],
    window: Window | None = None,
    on_key: Callable[[int], str | None] | None = None,
) -> Outcome:
    """Run until the source ends or the user quits; never raises for the ways a session ends.

    `source` is a `Camera` (or anything iterable like it with `failed`, and for a
    window `latest(after, timeout)` and `done`). KeyboardInterrupt and other
    errors end the loop and come back in the Outcome.
    """
    stats = analyse.stats
    try:
        if window is None:
            for frame in source:
                emit(analyse(frame))
        else:
            outcome = _window_loop(source, analyse, emit, window, on_key or (lambda key: None))
            if outcome is not None:
                return outcome
    except KeyboardInterrupt:
        return Outcome("interrupted")
    except Exception as error:  # noqa: BLE001 - the session is saved, then the error is raised again
        return Outcome("error", error)
    finally:
        stats.ended = time.monotonic()
    return Outcome("camera_failed" if getattr(source, "failed", False) else "ended")


def _window_loop(source, analyse: Analyser, emit, window: Window, on_key) -> Outcome | None:
    stats = analyse.stats
    notices: queue.SimpleQueue = queue.SimpleQueue()
    stop = threading.Event()
    failure: list[BaseException] = []

    def work() -> None:
        try:
            for frame in source:
                if stop.is_set():
                    break
                found = analyse(frame)
                if found:
                    notices.put(found)
        except BaseException as error:  # noqa: BLE001 - handed to the main thread
            failure.append(error)

    worker = threading.Thread(target=work, name="analysis", daemon=True)
    worker.start()
    shown = -1
    try:
        while True:
            frame = source.latest(after=shown, timeout=0.02)
            if frame is not None:
                image = compose(frame.image, analyse.session, frame.t)
                window.show(image)
                shown = frame.index
                stats.shown += 1
                stats.display_age_s.append(time.monotonic() - frame.captured_at)
                stats.overlay_lag.append(frame.index - analyse.newest_index)
            while not notices.empty():
                emit(notices.get())
            key = window.key(1)
            if key != 0xFF:
                action = on_key(key)
                if action == "quit":
                    return Outcome("quit")
            if window.closed():
                return Outcome("quit")
            if not worker.is_alive() and frame is None:
                break
    finally:
        stop.set()
        worker.join(timeout=10.0)
        while not notices.empty():
            emit(notices.get())
    if failure:
        if isinstance(failure[0], KeyboardInterrupt):
            return Outcome("interrupted")
        return Outcome("error", failure[0])
    return None


# ----- the command


def source_label(spec: int | str) -> str:
    """How the report names the source: 'camera 0', a file path, or a URL without its password."""
    if isinstance(spec, int):
        return f"camera {spec}"
    if "://" in spec:
        parts = urllib.parse.urlsplit(spec)
        if parts.password:
            netloc = f"{parts.username}:***@{parts.hostname}" + (f":{parts.port}" if parts.port else "")
            return urllib.parse.urlunsplit(parts._replace(netloc=netloc))
    return spec


def display_available() -> bool:
    """Whether a window can be opened (on Linux, an X or Wayland display is needed)."""
    if sys.platform.startswith("linux") or "bsd" in sys.platform:
        return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    return True


class Printer:
    """Notices as lines: '0:12.3  rep 4 counted ...'; cues played alongside."""

    def __init__(self, out: TextIO | None, cues=None):
        self.out = out
        self.cues = cues

    def __call__(self, notices: list[Notice]) -> None:
        for notice in notices:
            if self.cues is not None and notice.cue:
                self.cues.play(notice.cue)
            if self.out is not None and notice.line:
                minutes, seconds = divmod(max(notice.t, 0.0), 60)
                print(f"{int(minutes):2d}:{seconds:04.1f}  {notice.line}", file=self.out, flush=True)


def key_handler(session: LiveSession, emit, window: Window | None, clock: Callable[[], float]):
    """q/Esc quit, r resets, space pauses, f toggles full screen."""

    def on_key(key: int) -> str | None:
        if key in (ord("q"), ord("Q"), 27):
            return "quit"
        with session.lock:
            t = clock()
            if key in (ord("r"), ord("R")):
                emit(session.reset(t))
            elif key == ord(" "):
                emit(session.toggle_pause(t))
        if key in (ord("f"), ord("F")) and window is not None:
            window.toggle_fullscreen()
        return None

    return on_key


def wants_window(no_window: bool) -> bool:
    """A window unless --no-window, or there is no display to show one on."""
    if no_window:
        return False
    if display_available():
        return True
    print("posecheck: note: no display found; running without a window (as with --no-window)", file=sys.stderr)
    return False


def open_camera(spec: int | str, *models):
    """Open the camera after the models, since a file played as a camera starts playing when opened;
    if it cannot be opened, close the models again."""
    from posecheck.media.frames import Camera

    try:
        return Camera(spec)
    except BaseException:
        for model in models:
            model.close()
        raise


def run(args, config: RiseConfig) -> ExitStatus:
    """`posecheck rises` without a video: count from the camera until q, Ctrl-C, the camera stops, or the file ends."""
    from posecheck.pose.estimator import PoseEstimator
    from posecheck.media.frames import parse_camera

    check_writable(args.json)
    offline_only = [flag for flag, value in (("--csv", getattr(args, "csv", None)), ("--annotated", getattr(args, "annotated", None)), ("--save-landmarks", getattr(args, "save_landmarks", None))) if value]
    if offline_only:
        print(f"posecheck: note: {', '.join(offline_only)} only work on a video file; ignored in live mode", file=sys.stderr)
    spec = parse_camera(args.camera if args.camera is not None else 0)
    lang = choose_language(args.lang)
    want_window = wants_window(args.no_window)
    # The models first: a file played as a camera starts playing when it is opened.
    estimator = PoseEstimator(args.model)  # one person, as offline analysis: the same landmarks
    try:
        people = PeopleCheck(PoseEstimator(args.model, still=True, num_poses=2))
    except BaseException:
        estimator.close()
        raise
    camera = open_camera(spec, estimator, people)
    from posecheck.session.cues import Cues

    session = LiveSession(config, lang, rounds=args.rounds, reps=args.reps)
    cues = Cues(enabled=not args.mute)
    started_at = dt.datetime.now().astimezone()
    stats = LoopStats()
    emit = Printer(sys.stdout if not want_window else None, cues)
    label = source_label(spec)
    window = None
    try:
        if not want_window:
            print(session.text("line.start", source=label, stop="Ctrl-C"), file=sys.stderr, flush=True)
        else:
            window = Window()
        analyse = Analyser(estimator, session, camera.width, camera.height, stats, people)
        clock = lambda: session.last_t if session.last_t is not None else 0.0  # noqa: E731
        outcome = run_loop(camera, analyse, emit, window, key_handler(session, emit, window, clock))
    finally:
        if window is not None:
            window.close()
        camera.close()
        estimator.close()
        people.close()
    with session.lock:
        emit(session.finish())
    cues.close()
    rate = stats.analysed / stats.seconds
    if stats.seconds > 10 and rate < SLOW_ANALYSIS_FPS:
        print(
            f"posecheck: note: this computer analysed only {rate:.0f} frames a second; rises and holds are timed "
            "less exactly below about 8 (close other programs)",
            file=sys.stderr,
        )
    duration = camera.frame_count / camera.fps if camera.is_file else (session.last_t or 0.0)
    return finish(session, outcome, label, duration, args.json, not args.no_log, started_at, lang)


def finish(
    session: LiveSession,
    outcome: Outcome,
    source: str,
    duration_s: float,
    json_path: str | None,
    log: bool,
    started_at: dt.datetime | None = None,
    lang: str = "en",
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> ExitStatus:
    """Whatever ended the session: the summary, the JSON, the training log, then the exit status."""
    out = out or sys.stdout
    err = err or sys.stderr
    report = session.report(source, duration_s)
    if outcome.reason == "camera_failed":
        print(f"posecheck: warning: {session.text('line.camera_failed')}", file=err)
    print(report.summary(), file=out, flush=True)
    data = report.to_json()
    if json_path:
        try:
            write_json(data, json_path)
        except PosecheckError as error:  # still log the session; the status says it failed
            print(f"posecheck: error: {error}", file=err)
            if outcome.error is None:
                outcome = Outcome(outcome.reason, error)
    if log and report.usable:
        try:
            from posecheck.log.store import TrainingLog

            with TrainingLog.open() as training_log:
                training_log.add_rises(data, kind="live", started_at=started_at)
        except Exception as error:  # noqa: BLE001 - the session is already printed and saved
            print(f"posecheck: warning: the session was not added to the training log ({error})", file=err)
    if outcome.error is not None:
        if isinstance(outcome.error, PosecheckError):
            raise outcome.error
        raise outcome.error
    if outcome.reason == "interrupted":
        return ExitStatus.INTERRUPTED
    if outcome.reason == "camera_failed":
        return ExitStatus.NO_CAMERA
    if not report.usable:
        raise NoPerson(f"{source}: no whole person (head to feet) was seen standing in view; nothing was counted")
    return ExitStatus.OK


def positive_int(text: str) -> int:
    """argparse type for --rounds and --reps."""
    import argparse

    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value
