"""What every entry point shares: the repository on sys.path, a quiet TensorFlow, and errors
a user can act on printed as one paragraph (no traceback).

Exit status: 0 on success and for `--help`; 2 for a user's mistake (an unknown flag or
config field, a config file that is not there, `--config.beta=abc`, bad settings); 3 for a
diverged run; 130 for Ctrl-C (SIGINT), with one line saying that re-running the same
command resumes. Any other exception is a bug and keeps its traceback.

TensorFlow's start-up lines (oneDNN notices, "failed call to cuInit" on a machine without
a GPU) are silenced unless the user set TF_CPP_MIN_LOG_LEVEL themselves.
"""

import os
import pathlib
import re
import sys


def _quiet_import_tensorflow():
    """Imports TensorFlow with file descriptor 2 pointed at /dev/null, unless the user asked
    for its logs: its C++ start-up lines are written before any log level applies."""
    if "TF_CPP_MIN_LOG_LEVEL" in os.environ:
        import tensorflow  # noqa: F401
        return
    os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
    sys.stderr.flush()
    saved = os.dup(2)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        import tensorflow  # noqa: F401
        tensorflow.config.list_physical_devices()  # "failed call to cuInit" comes here
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


_quiet_import_tensorflow()

ROOT = pathlib.Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from absl import app, flags, logging  # noqa: E402

from echo_ib import errors  # noqa: E402

INTERRUPTED = 130
_HELP_FLAGS = ("--help", "-h", "--helpshort", "--helpfull", "-?", "--helpxml")


def _config_message(error):
    """A config override or file error in the user's words."""
    text = str(error.args[0] if error.args else error).strip("'\"")
    text = text.replace("\\n", " ").replace("\n", " ").replace("\\'", "'")
    unknown = re.match(r"^'?([\w.]+)'?\s+Did you mean \"([\w.]+)\" instead of \"[\w.]+\"\?", text)
    if unknown:
        return (f"unknown config field {unknown.group(1)!r} (did you mean "
                f"{unknown.group(2)!r}?). configs/default.py lists every field.")
    if "Failed loading config file" in text:
        attempted = re.findall(r"\[Errno \d+\] ([^\n]+)", str(error))
        return ("could not load the --config file: " + ("; ".join(attempted) or text)
                + ". Pass a path such as --config=configs/fashion_mnist_sweep.py.")
    if isinstance(error, (KeyError, AttributeError)):
        return (f"unknown config field {text!r}. configs/default.py lists every field.")
    return text


def _parse_flags(argv):
    if any(arg.split("=")[0] in _HELP_FLAGS for arg in argv[1:]):
        helpfull = any(arg.startswith("--helpfull") for arg in argv[1:])
        print(flags.FLAGS.main_module_help() if not helpfull else flags.FLAGS.get_help())
        sys.exit(0)
    try:
        return flags.FLAGS(argv)
    except flags.Error as e:
        text = str(e)
        if "Traceback (most recent call last)" in text:
            # A config file's get_config raised: its own message, not the traceback that
            # ml_collections folds into the flag error.
            last = [line for line in text.splitlines() if line.strip()][-1].strip()
            text = "--config: " + re.sub(r"^\w+(Error|Exception): ", "", last)
        print(f"error: {text}\nRun with --helpfull for the flags.", file=sys.stderr)
        sys.exit(2)
    except (KeyError, AttributeError, OSError, ValueError, TypeError) as e:
        # ml_collections applies --config.* overrides and loads --config while parsing.
        print(f"error: {_config_message(e)}", file=sys.stderr)
        sys.exit(2)


def config_overrides(flag="config"):
    """The dotted fields set on the command line as --config.<field>=... (or as two args)."""
    prefix = f"--{flag}."
    return [arg[len(prefix):].split("=", 1)[0] for arg in sys.argv[1:]
            if arg.startswith(prefix)]


def fail(message, exit_code=2):
    """Prints `message` as the one error paragraph and exits."""
    print(f"error: {message}", file=sys.stderr)
    sys.exit(exit_code)


def interrupted(resumes=True):
    """The one line for Ctrl-C, then exit status 130."""
    print("\ninterrupted" + (": finished points and epochs are kept; re-run the same "
                             "command to resume." if resumes else "."), file=sys.stderr)
    sys.stderr.flush()
    os._exit(INTERRUPTED)  # no interpreter teardown: TF's threads can print on the way out


def run(main, resumes=True):
    """`app.run(main)` with user errors reported plainly (see the module docstring)."""
    def guarded(argv):
        logging.set_verbosity(logging.ERROR)
        if len(argv) > 1:
            fail(f"unexpected arguments {argv[1:]}; every setting is a --flag.")
        try:
            main()
        except errors.UserError as e:
            fail(str(e), e.exit_code)
        except OSError as e:  # ml_collections reports a missing --config file lazily
            if "Failed loading config file" not in str(e):
                raise
            fail(_config_message(e))
        except KeyboardInterrupt:
            interrupted(resumes)

    try:
        app.run(guarded, flags_parser=_parse_flags)
    except KeyboardInterrupt:  # during start-up, before main
        interrupted(resumes)
