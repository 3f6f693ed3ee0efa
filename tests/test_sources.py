"""Frame sources: the process-wide stderr silencer that native libraries need."""

from __future__ import annotations

import os
import threading
import time

from posecheck.media.quiet import quiet_native_stderr


def test_quiet_stderr_from_several_threads_gives_the_terminal_back(capfd):
    """Threads quietening fd 2 in overlapping spans (two landmarkers starting together) must not leave it pointed at /dev/null."""

    def chatter(pause_s: float) -> None:
        for _ in range(300):
            with quiet_native_stderr():
                os.write(2, b"native chatter\n")
                time.sleep(pause_s)

    threads = [threading.Thread(target=chatter, args=(k * 0.0003,)) for k in (1, 2, 3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    os.write(2, b"a message for the user\n")
    err = capfd.readouterr().err
    assert "native chatter" not in err
    assert "a message for the user" in err


def test_quiet_stderr_nests():
    with quiet_native_stderr():
        with quiet_native_stderr():
            pass
        os.write(2, b"")  # still quiet, and fd 2 is still open
    assert os.fstat(2)
