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


class PosecheckError(Exception):
    """An error the user can fix; its message is one line that says how."""

    status = ExitStatus.ERROR


class UsageError(PosecheckError):
    """Options that do not go together, or a value out of range."""

    status = ExitStatus.USAGE


class InputNotFound(PosecheckError):
    status = ExitStatus.INPUT_NOT_FOUND


class InputUnreadable(PosecheckError):
    status = ExitStatus.INPUT_UNREADABLE


class CameraUnavailable(PosecheckError):
    status = ExitStatus.NO_CAMERA


class NoPerson(PosecheckError):
    status = ExitStatus.NO_PERSON


class OutputUnwritable(PosecheckError):
    status = ExitStatus.OUTPUT_UNWRITABLE


class BadModel(PosecheckError):
    status = ExitStatus.BAD_MODEL


class DatabaseError(PosecheckError):
    status = ExitStatus.DATABASE
