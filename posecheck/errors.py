"""What can go wrong, as exceptions that carry their exit status and a one-line fix."""

import enum


class ExitStatus(enum.IntEnum):
    OK = 0
    ERROR = 1
    USAGE = 2
    INPUT_NOT_FOUND = 3
    INPUT_UNREADABLE = 4
    NO_CAMERA = 5
    NO_PERSON = 6
    OUTPUT_UNWRITABLE = 7
    BAD_MODEL = 8
    DATABASE = 9
    INTERRUPTED = 130


def unexpected(error: BaseException) -> str:
    """A bug in one line, for the user: what it was, and how to see where."""
    first_line = (str(error).strip().splitlines() or [""])[0]
    return f"unexpected {type(error).__name__} ({first_line}); please report it (POSECHECK_DEBUG=1 shows where)"


class PosecheckError(Exception):
    """An error the user can fix; its message is one line that says how."""

    status = ExitStatus.ERROR
    reported = False  # already printed (an output that failed after the summary): main() only returns its status


# One class per exit status, so `main()` can turn each into its code.
class UsageError(PosecheckError): status = ExitStatus.USAGE  # options that do not go together, a value out of range  # noqa: E701
class InputNotFound(PosecheckError): status = ExitStatus.INPUT_NOT_FOUND  # noqa: E701
class InputUnreadable(PosecheckError): status = ExitStatus.INPUT_UNREADABLE  # noqa: E701
class CameraUnavailable(PosecheckError): status = ExitStatus.NO_CAMERA  # noqa: E701
class NoPerson(PosecheckError): status = ExitStatus.NO_PERSON  # noqa: E701
class OutputUnwritable(PosecheckError): status = ExitStatus.OUTPUT_UNWRITABLE  # noqa: E701
class BadModel(PosecheckError): status = ExitStatus.BAD_MODEL  # noqa: E701
class DatabaseError(PosecheckError): status = ExitStatus.DATABASE  # noqa: E701
