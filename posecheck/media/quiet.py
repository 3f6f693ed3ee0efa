"""Keeping native libraries' own lines (FFmpeg, V4L2, MediaPipe's graph) off the user's terminal."""

from __future__ import annotations

import contextlib
import os
import sys
import threading


class _StderrSilencer:
    """fd 2 pointed at /dev/null while anyone wants it quiet.

    fd 2 belongs to the whole process, so threads that quieten it at the same
    time (two landmarkers starting side by side) share one redirection: the
    first in saves the terminal, the last out puts it back.
    """

    def __init__(self):
        self._lock = threading.Lock()
        self._users = 0
        self._saved: int | None = None

    def enter(self) -> None:
        with self._lock:
            if self._users == 0:
                self._saved = None
                try:
                    sys.stderr.flush()
                    self._saved = os.dup(2)
                except (OSError, ValueError):  # no real fd 2 (e.g. captured by a test runner)
                    pass
                if self._saved is not None:
                    devnull = os.open(os.devnull, os.O_WRONLY)
                    os.dup2(devnull, 2)
                    os.close(devnull)
            self._users += 1

    def leave(self) -> None:
        with self._lock:
            self._users -= 1
            if self._users == 0 and self._saved is not None:
                os.dup2(self._saved, 2)
                os.close(self._saved)
                self._saved = None


_stderr_silencer = _StderrSilencer()


@contextlib.contextmanager
def quiet_native_stderr():
    """Native libraries (FFmpeg, V4L2, MediaPipe's graph) write straight to fd 2; keep that off the user's terminal."""
    _stderr_silencer.enter()
    try:
        yield
    finally:
        _stderr_silencer.leave()
