"""What every entry point shares: the repository on sys.path, a quiet TensorFlow, and errors
a user can act on printed as one paragraph (no traceback).

Exit status: 0 on success and for `--help`; 2 for a user's mistake (an unknown flag or
config field, a config file that is not there, `--config.beta=abc`, bad settings); 3 for a
diverged run; 130 for Ctrl-C (SIGINT), with one line saying that re-running the same
command resumes. Any other exception is a bug and keeps its traceback.

TensorFlow's start-up lines (oneDNN notices, "failed call to cuInit" on a machine without
a GPU, absl's pre-initialisation warnings) are silenced unless the user set
TF_CPP_MIN_LOG_LEVEL to a level below 3 (`echo_ib._quiet_tensorflow`). SIGTERM (a cluster
pre-empting the job) is reported as Ctrl-C is, with exit status 143. A file-system error
(a workdir that is a file, read-only or cannot be created) is one paragraph, status 2.
"""

import os
import pathlib
import re
import signal
import sys


ROOT = pathlib.Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# TensorFlow's later C++ logs too (XLA's "Compiled cluster" lines), unless the user chose a
# level; `import echo_ib` imports TensorFlow itself with its start-up lines silenced.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import echo_ib  # noqa: E402,F401

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
                f"{unknown.group(2)!r}?). --help lists every field.")
    if "Failed loading config file" in text:
        attempted = re.findall(r"\[Errno \d+\] ([^\n]+)", str(error))
        return ("could not load the --config file: " + ("; ".join(attempted) or text)
                + ". Pass a path such as --config=configs/fashion_mnist_sweep.py.")
    if isinstance(error, (KeyError, AttributeError)):
        return (f"unknown config field {text!r}. --help lists every field.")
    return text


_CONFIG_HELP = []  # (title, text) of the config fields, printed by --help


def _parse_flags(argv):
    if any(arg.split("=")[0] in _HELP_FLAGS for arg in argv[1:]):
        helpfull = any(arg.startswith("--helpfull") for arg in argv[1:])
        print(flags.FLAGS.main_module_help() if not helpfull else flags.FLAGS.get_help())
        for title, text in _CONFIG_HELP:
            print(f"\n{title} (set any as --config.<field>=<value>, after --config=<file>; "
                  f"default, meaning):\n{text}")
        sys.exit(0)
    # ml_collections defines the --config.<field> flags when it reads --config, so a field
    # given before the file would be an unknown flag: read the file first.
    is_file = [arg.startswith("--config=") for arg in argv[1:]]
    argv = argv[:1] + [a for a, f in zip(argv[1:], is_file) if f] + [
        a for a, f in zip(argv[1:], is_file) if not f]
    sys.argv[:] = argv  # ml_collections reads sys.argv itself
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


TERMINATED = 143  # 128 + SIGTERM, what a shell reports for a job ended by SIGTERM
RESUMES = "finished points and epochs are kept; re-run the same command to resume."


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised where Ctrl-C would be, so that both stop the same way."""


def _raise_terminated(signum, frame):
    raise Terminated()


def interrupted(on_interrupt=RESUMES, terminated=False):
    """The one line for Ctrl-C or SIGTERM, then exit status 130 or 143."""
    what = "terminated (SIGTERM)" if terminated else "interrupted"
    print(f"\n{what}: {on_interrupt}", file=sys.stderr)
    sys.stderr.flush()
    # No interpreter teardown: TF's threads can print on the way out.
    os._exit(TERMINATED if terminated else INTERRUPTED)


def _file_system_message(error):
    """An OSError about a path, in the user's words."""
    path = error.filename
    reason = error.strerror or type(error).__name__
    if isinstance(error, FileExistsError) or isinstance(error, NotADirectoryError):
        hint = "a file stands where a directory is needed; choose another --workdir"
    elif isinstance(error, PermissionError):
        hint = "choose a --workdir you can write to"
    else:
        hint = "check the path"
    return f"cannot use {path}: {reason} ({hint})."


def run(main, on_interrupt=RESUMES, config_help=None):
    """`app.run(main)` with user errors reported plainly (see the module docstring).

    on_interrupt: what the Ctrl-C / SIGTERM line says happens to the work so far.
    config_help: (title, text) listing the config fields, printed by --help."""
    signal.signal(signal.SIGTERM, _raise_terminated)
    if config_help:
        _CONFIG_HELP.append(config_help)

    def guarded(argv):
        logging.set_verbosity(logging.ERROR)
        if len(argv) > 1:
            fail(f"unexpected arguments {argv[1:]}; every setting is a --flag.")
        try:
            main()
        except errors.UserError as e:
            fail(str(e), e.exit_code)
        except OSError as e:
            if "Failed loading config file" in str(e):  # ml_collections, lazily
                fail(_config_message(e))
            if e.filename is None:
                raise
            fail(_file_system_message(e))
        except KeyboardInterrupt as e:
            interrupted(on_interrupt, isinstance(e, Terminated))

    try:
        app.run(guarded, flags_parser=_parse_flags)
    except KeyboardInterrupt as e:  # during start-up, before main
        interrupted(on_interrupt, isinstance(e, Terminated))
