"""What every entry point shares: the repository on sys.path, and errors a user can act on
printed as one paragraph (no traceback) with exit status 2 (3 for a diverged run).

Flag errors (an unknown flag, `--config.beta=abc`) also exit with status 2. Any other
exception is a bug and keeps its traceback.
"""

import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from absl import app, flags  # noqa: E402

from echo_ib import errors  # noqa: E402


def _parse_flags(argv):
    try:
        return flags.FLAGS(argv)
    except flags.Error as e:
        print(f"error: {e}\nRun with --helpfull for the flags.", file=sys.stderr)
        sys.exit(2)


def fail(message, exit_code=2):
    """Prints `message` as the one error paragraph and exits."""
    print(f"error: {message}", file=sys.stderr)
    sys.exit(exit_code)


def run(main):
    """`app.run(main)` with user errors reported plainly (see the module docstring)."""
    def guarded(argv):
        if len(argv) > 1:
            fail(f"unexpected arguments {argv[1:]}; every setting is a --flag.")
        try:
            main()
        except errors.UserError as e:
            fail(str(e), e.exit_code)

    app.run(guarded, flags_parser=_parse_flags)
