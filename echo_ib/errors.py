"""Errors a user can act on, as opposed to bugs.

Entry points (`experiments/*.py`) print a `UserError` as one paragraph, without a
traceback, and exit with status 2 (`DivergenceError`: 3); every other exception keeps its
traceback. Each class also derives from the built-in type a caller would expect
(`ConfigError` is a `ValueError`, and so on), so `except ValueError` keeps working.
"""

__all__ = [
    "ConfigError",
    "install_excepthook",
    "CorruptDataError",
    "DataNotFoundError",
    "DivergenceError",
    "SweepError",
    "UserError",
    "WorkdirError",
]


class UserError(Exception):
    """Base of the errors caused by input the user can fix (settings, files, workdirs)."""

    exit_code = 2


class ConfigError(UserError, ValueError):
    """A config field holds a value outside what it accepts; the message names the field."""


class DataNotFoundError(UserError, FileNotFoundError):
    """A data file is in none of the places searched; the message lists every place."""


class CorruptDataError(UserError, ValueError):
    """A data file exists but does not hold what its format promises."""


class WorkdirError(UserError, RuntimeError):
    """A workdir holds work of other settings, or another process is using it."""


class DivergenceError(UserError, FloatingPointError):
    """Training produced a non-finite loss; the message names the point, epoch and settings."""

    exit_code = 3


class SweepError(UserError, RuntimeError):
    """Points of a sweep whose task failed (e.g. a node that cannot see the workdir); the
    message names each point and why. The other points are trained and recorded."""


def install_excepthook():
    """Prints an uncaught `UserError` as its one paragraph, without a traceback, and
    exits with its status (a script or `python -c` that loads data it cannot find gets
    the message that says where to put the file, not forty lines of stack). Any other
    exception goes to the hook that was installed before. `import echo_ib` calls this."""
    import sys

    previous = sys.excepthook
    if getattr(previous, "_echo_ib", False):
        return

    def hook(kind, value, traceback):
        if isinstance(value, UserError):
            sys.stdout.flush()
            print(f"echo_ib: {value}", file=sys.stderr)
            sys.stderr.flush()
            import os
            os._exit(value.exit_code)
        previous(kind, value, traceback)

    hook._echo_ib = True
    sys.excepthook = hook
