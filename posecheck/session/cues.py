"""Short sounds for hands-free training: a hold reached, a rep counted, a round done.

The sounds are made here with numpy and written as WAV files once; each cue
starts a system player in a subprocess (`afplay`, `paplay`, `pw-play`,
`aplay`, or winsound on Windows) and returns at once, so the counting loop
never waits for audio. With no player, or when the player fails (no audio
device), it falls back to the terminal bell, and without a terminal to
silence. Nothing here raises.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import wave

import numpy as np

RATE = 22050

# name: notes as (frequency Hz, seconds); 0 Hz is a gap
SOUNDS: dict[str, list[tuple[float, float]]] = {
    "ready": [(660, 0.09), (0, 0.05), (660, 0.09)],
    "hold": [(988, 0.12), (1319, 0.18)],  # B5 then E6: "you can come down"
    "rep": [(784, 0.11)],  # one clear tick
    "round": [(523, 0.14), (659, 0.14), (784, 0.14), (1047, 0.3)],  # C-E-G-C
}

PLAYERS = [  # command, then the file; the first one found is used
    ("afplay",),
    ("paplay",),
    ("pw-play",),
    ("aplay", "-q"),
]

MAX_RUNNING = 3  # cues that would pile up beyond this are skipped


def tone(notes: list[tuple[float, float]], volume: float = 0.5) -> np.ndarray:
    """16-bit mono samples of the notes, each with a soft start and end so nothing clicks."""
    parts = []
    for frequency, seconds in notes:
        n = int(RATE * seconds)
        if frequency <= 0:
            parts.append(np.zeros(n))
            continue
        t = np.arange(n) / RATE
        wave_ = np.sin(2 * np.pi * frequency * t) + 0.25 * np.sin(4 * np.pi * frequency * t)
        ramp = min(int(0.01 * RATE), n // 2)
        envelope = np.ones(n)
        envelope[:ramp] = np.linspace(0, 1, ramp)
        envelope[n - ramp:] = np.linspace(1, 0, ramp) * np.exp(-np.linspace(0, 3, ramp))
        parts.append(wave_ / 1.25 * envelope * np.exp(-1.5 * t / max(seconds, 1e-3)))
    samples = np.concatenate(parts) if parts else np.zeros(1)
    return (np.clip(samples * volume, -1, 1) * 32767).astype("<i2")


def write_wav(path: str, samples: np.ndarray) -> None:
    with wave.open(path, "wb") as file:
        file.setnchannels(1)
        file.setsampwidth(2)
        file.setframerate(RATE)
        file.writeframes(samples.tobytes())


def find_player() -> tuple[str, ...] | None:
    """The command that plays a WAV file here, or None (Windows uses winsound instead)."""
    for command in PLAYERS:
        path = shutil.which(command[0])
        if path:
            return (path, *command[1:])
    return None


class Cues:
    """Plays named cues without blocking; `enabled=False` (--mute) makes every call a no-op."""

    def __init__(self, enabled: bool = True, player: tuple[str, ...] | None | str = "auto", bell_stream=None):
        self.enabled = enabled
        self._player = find_player() if player == "auto" else player
        self._winsound = None
        if enabled and sys.platform == "win32" and player == "auto":
            try:
                import winsound

                self._winsound = winsound
            except ImportError:
                pass
        self._bell_stream = bell_stream if bell_stream is not None else sys.stderr
        self._folder: str | None = None
        self._files: dict[str, str] = {}
        self._running: list[subprocess.Popen] = []
        self.played: list[str] = []  # what was asked for, for tests

    @property
    def method(self) -> str:
        """How cues sound now: 'winsound', the player's name, 'bell' or 'none'."""
        if not self.enabled:
            return "none"
        if self._winsound is not None:
            return "winsound"
        if self._player:
            return os.path.basename(self._player[0])
        return "bell" if self._bell_ok() else "none"

    def play(self, name: str) -> None:
        if not self.enabled or name not in SOUNDS:
            return
        self.played.append(name)
        try:
            self._play(name)
        except Exception:  # sound is a nicety: never let it stop the session
            self._player = None

    def _play(self, name: str) -> None:
        self._reap()
        if self._winsound is not None:
            try:
                self._winsound.PlaySound(self._file(name), self._winsound.SND_FILENAME | self._winsound.SND_ASYNC | self._winsound.SND_NODEFAULT)
                return
            except RuntimeError:
                self._winsound = None
        if self._player:
            if len(self._running) >= MAX_RUNNING:
                return
            try:
                self._running.append(
                    subprocess.Popen(
                        [*self._player, self._file(name)],
                        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                        close_fds=True,
                    )
                )
                return
            except OSError:
                self._player = None
        self._bell()

    def _reap(self) -> None:
        """Forget finished players; one that failed (no audio device) means: use the bell from now on."""
        still = []
        for process in self._running:
            code = process.poll()
            if code is None:
                still.append(process)
            elif code != 0:
                self._player = None
        self._running = still

    def _bell_ok(self) -> bool:
        try:
            return self._bell_stream.isatty()
        except (AttributeError, ValueError):
            return False

    def _bell(self) -> None:
        if self._bell_ok():
            try:
                self._bell_stream.write("\a")
                self._bell_stream.flush()
            except (OSError, ValueError):
                pass

    def _file(self, name: str) -> str:
        if name not in self._files:
            if self._folder is None:
                self._folder = tempfile.mkdtemp(prefix="posecheck-cues-")
            path = os.path.join(self._folder, f"{name}.wav")
            write_wav(path, tone(SOUNDS[name]))
            self._files[name] = path
        return self._files[name]

    def close(self, wait_s: float = 1.0) -> None:
        """Let the last cue finish (briefly), then remove the sound files."""
        for process in self._running:
            try:
                process.wait(timeout=wait_s)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            except OSError:
                pass
        self._running = []
        if self._folder:
            shutil.rmtree(self._folder, ignore_errors=True)
            self._folder = None
            self._files = {}

    def __enter__(self) -> "Cues":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
