"""A property of the command line (issue #17), with hypothesis: whatever the options, and however broken the
input file, posecheck ends with an exit code from the README's table and never a traceback, and the input is
never changed. The inputs are junk bytes under every suffix and landmark files with arrays of any shape and
value, so every example fails or finishes before the pose model would be loaded (the quick tier).
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import pathlib
import re
import tempfile

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from posecheck.cli import main

README = pathlib.Path(__file__).resolve().parents[1] / "README.md"
EXIT_CODES = {int(code) for code in re.findall(r"^\| (\d+) \|", README.read_text().split("### Exit codes")[1].split("\n#")[0], re.M)}

HEIGHT = st.floats(100, 230)
WORKERS = st.integers(1, 64)
# Each number option with the values it takes; the examples mix these with junk.
NUMBER_OPTIONS = {
    "rises": {"--hold": st.floats(0.5, 30), "--height-cm": HEIGHT, "--round-gap": st.floats(0.1, 3600), "--workers": WORKERS},
    "balance": {"--height-cm": HEIGHT, "--target": st.floats(1, 600), "--min-stand": st.floats(0.2, 60)},
    "check": {"--start": st.floats(0, 100), "--seconds": st.floats(0.1, 10), "--height-cm": HEIGHT, "--workers": WORKERS},
}
OUTPUT_OPTIONS = {
    "rises": ["--json", "--csv", "--annotated", "--save-landmarks"],
    "balance": ["--json", "--csv", "--save-landmarks"],
    "check": ["--json", "--image"],
}
junk_numbers = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(-10**6, 10**6).map(str),
    st.sampled_from(["nan", "-inf", "1e400", "", "abc", "0x10", "1_000", " 3 "]),
)
# An output may be the input itself, another output's name, a folder, a name its format does not allow...
output_names = st.sampled_from(["INPUT", "out.json", "out.csv", "out.mp4", "out.npz", "out.png", "out.jpg", "sub", "none/x.json", "."])


@st.composite
def landmark_files(draw) -> bytes:
    """A .npz that opens: half of them sound (any pose in the picture, or nobody), half with arrays that disagree
    in length, shape or kind, or hold NaN and inf, or lack one."""
    n = draw(st.integers(0, 60))
    sound = draw(st.booleans())
    anything = st.floats(allow_nan=True, allow_infinity=True, width=32)
    position = st.one_of(st.floats(0, 1, width=32), st.just(float("nan"))) if sound else anything

    def field(shape, elements=position, dtype=np.float32):
        if not sound and draw(st.booleans()):
            shape = tuple(draw(st.integers(0, 3)) if draw(st.booleans()) else size for size in shape)
        return draw(arrays(dtype, shape, elements=elements))

    parts = dict(t=np.arange(n) / 30.0 if sound or draw(st.booleans()) else field((n,)), image=field((n, 33, 3)),
                 visibility=field((n, 33), st.floats(0, 1, width=32)), world=field((n, 33, 3)),
                 people=field((n,), st.integers(0, 3), np.int16), source="junk",
                 fps=30.0 if sound else draw(anything), width=640 if sound else draw(st.integers(-5, 2000)),
                 height=480 if sound else draw(st.integers(-5, 2000)))
    for name in ([] if sound else draw(st.sets(st.sampled_from(sorted(parts)), max_size=2))):
        del parts[name]
    buffer = io.BytesIO()
    np.savez(buffer, **parts)
    return buffer.getvalue()


@st.composite
def command_lines(draw):
    command = draw(st.sampled_from(sorted(NUMBER_OPTIONS)))
    suffix = draw(st.one_of(st.just(".npz"), st.sampled_from([".npz", ".mp4", ".mkv", ".jpg", ".png", ".txt", ""])))
    landmarks = suffix == ".npz" and draw(st.integers(0, 4)) > 0
    content = draw(landmark_files()) if landmarks else draw(st.binary(max_size=3000))
    argv = [command, ("path", "INPUT"), "--no-progress"]
    for option in draw(st.lists(st.sampled_from(sorted(NUMBER_OPTIONS[command])), max_size=3, unique=True)):
        valid = NUMBER_OPTIONS[command][option].map(repr)
        argv += [option, draw(st.one_of(valid, valid, valid, valid, junk_numbers))]
    for option in draw(st.lists(st.sampled_from(OUTPUT_OPTIONS[command]), max_size=3, unique=True)):
        argv += [option, ("path", draw(output_names))]
    if draw(st.booleans()):
        argv += ["--lang", draw(st.sampled_from(["en", "de", "en", "de", "fr"]))]
    return argv, suffix, content


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("POSECHECK_HOME", str(tmp_path))


@settings(max_examples=200, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(command_lines())
def test_any_command_line_ends_cleanly_and_leaves_the_input(home, example):
    argv, suffix, content = example
    with tempfile.TemporaryDirectory() as folder:
        folder = pathlib.Path(folder)
        source = folder / f"input{suffix}"
        source.write_bytes(content)
        (folder / "sub").mkdir()
        # ("path", name): a file in the example's folder; INPUT is the input itself
        argv = [a if isinstance(a, str) else str(source) if a[1] == "INPUT" else str(folder / a[1]) for a in argv]
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            status = main(argv)
        err = err.getvalue()
        assert status in EXIT_CODES, (argv, err)
        assert "Traceback" not in err
        assert hashlib.sha256(source.read_bytes()).digest() == hashlib.sha256(content).digest()
        if status not in (0, 130):
            assert any(line.startswith("posecheck: error: ") for line in err.splitlines()), (argv, err)
        if status in (2, 3, 4):  # refused before any work: that one line only
            assert len(err.strip().splitlines()) == 1, err
