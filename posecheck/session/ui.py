"""What the user sees and hears of a live session: the window, the printed lines, the keys.

The window shows every camera frame with the newest skeleton and HUD while the
frame loop (`posecheck.session.loop.run`) analyses on a worker thread, so the
picture stays at camera rate even when the model is slower.
"""

from __future__ import annotations

import os
import queue
import sys
import threading
import time
import urllib.parse
from typing import Callable, TextIO

import cv2
import numpy as np

from posecheck.render.hud import draw_hud, draw_skeleton
from posecheck.session.base import Notice, Session
from posecheck.session.loop import Emit, Outcome, run

MIN_DISPLAY_HEIGHT = 720  # smaller camera pictures are scaled up so the HUD stays readable


class Window:
    """The OpenCV window: show an image, read a key, tell whether the user closed it."""

    def __init__(self, title: str, fullscreen: bool = True):
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


def compose(frame_image: np.ndarray, session: Session, t: float) -> np.ndarray:
    """The picture for the window and the annotated video: the frame, the newest skeleton and the HUD."""
    with session.lock:
        state = session.hud(t)
        pose = session.pose
    image = draw_skeleton(frame_image, pose)
    h, w = image.shape[:2]
    if h < MIN_DISPLAY_HEIGHT:
        scale = MIN_DISPLAY_HEIGHT / h
        image = cv2.resize(image, (round(w * scale), MIN_DISPLAY_HEIGHT), interpolation=cv2.INTER_LINEAR)
    return draw_hud(image, state)


def run_windowed(camera, steps, session: Session, emit: Emit, window: Window,
                 on_key: Callable[[int], str | None], stats) -> Outcome:
    """The frame loop on a worker thread; this thread shows the newest camera frame and reads the keys."""
    notices: queue.SimpleQueue = queue.SimpleQueue()
    stop = threading.Event()
    ended: list[Outcome] = []
    worker = threading.Thread(target=lambda: ended.append(run(steps, session, notices.put, stop=stop)), name="analysis", daemon=True)
    worker.start()
    shown = -1
    try:
        while worker.is_alive():
            frame = camera.latest(after=shown, timeout=0.02)
            if frame is not None:
                window.show(compose(frame.image, session, frame.t))
                shown = frame.index
                stats.shown += 1
                stats.display_age_s.append(time.monotonic() - frame.captured_at)
                stats.overlay_lag.append(frame.index - stats.newest_index)
            while not notices.empty():
                emit(notices.get())
            key = window.key(1)
            if (key != 0xFF and on_key(key) == "quit") or window.closed():
                return Outcome("quit")
    except KeyboardInterrupt:
        return Outcome("interrupted")
    finally:
        stop.set()
        worker.join(timeout=10.0)
        while not notices.empty():
            emit(notices.get())
    return ended[0] if ended else Outcome("ended")


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


def key_handler(session: Session, emit: Emit, window: Window | None):
    """q/Esc quit, r resets, space pauses, n skips (a routine part), f toggles full screen."""

    def on_key(key: int) -> str | None:
        if key in (ord("q"), ord("Q"), 27):
            return "quit"
        with session.lock:
            t = session.last_t or 0.0
            if key in (ord("r"), ord("R")):
                emit(session.reset(t))
            elif key == ord(" "):
                emit(session.toggle_pause(t))
            elif key in (ord("n"), ord("N")):
                session.skipped = True
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


def display_available() -> bool:
    """Whether a window can be opened (on Linux, an X or Wayland display is needed)."""
    if sys.platform.startswith("linux") or "bsd" in sys.platform:
        return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    return True


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
