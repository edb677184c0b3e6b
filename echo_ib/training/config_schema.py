"""Every field of a training config, declared once: its default, what it may hold, and what
it means.

`configs/default.py` builds its config from `FIELDS` (`default_config`), and
`validate_config` checks a config against them, so a new field is one `Field` here plus
its use. Checks that relate two fields (`_RULES`) follow the per-field ones.
"""

import dataclasses
import json
import math
import pathlib
from typing import Any, Callable

import ml_collections
import numpy as np
from ml_collections import config_dict

from echo_ib import channels
from echo_ib import data as data_lib
from echo_ib import errors
from echo_ib.models import methods as methods_lib
from echo_ib.models import vae as vae_lib
from echo_ib.training import schedules

__all__ = ["ECHO_GATES", "FIELDS", "PRECISIONS", "STRATEGIES", "Field", "check_fields_apply",
           "default_config", "describe_fields",
           "omit_legacy_fields", "validate_config"]

STRATEGIES = ("default", "mirrored", "multi_worker")
PRECISIONS = ("float32", "mixed_float16", "mixed_bfloat16")
ECHO_GATES = ("none", "hard_concrete", "prune")
MONITORS = ("objective", "neg_elbo")
METHODS, ARCHITECTURES, SCHEDULES = vae_lib.METHODS, vae_lib.ARCHITECTURES, schedules.SCHEDULES
SPLITS = {"mnist": ("train", "test"), "fashion_mnist": ("train", "test"),
          "binary_mnist": ("train", "valid", "test"),
          "omniglot": ("train", "test", "background_small1", "background_small2"),
          "omniglot_chardata": ("train", "test")}


def _is_int(value):
    return isinstance(value, (int, np.integer)) and not isinstance(value, bool)


def _is_real(value):
    return (isinstance(value, (int, float, np.integer, np.floating))
            and not isinstance(value, bool) and math.isfinite(value))


is_int, is_real = _is_int, _is_real


def integer(low):
    return lambda v: _is_int(v) and v >= low


def real(low=-math.inf, high=math.inf, open_low=False, open_high=False):
    def check(v):
        if not _is_real(v):
            return False
        return ((v > low if open_low else v >= low) and (v < high if open_high else v <= high))
    return check


def one_of(*choices):
    return lambda v: v in choices


def boolean(v):
    return isinstance(v, bool)


NO_LEGACY = object()


@dataclasses.dataclass(frozen=True)
class Field:
    """One config field: dotted `path`, `default`, `check(value) -> bool`, the `expected`
    values in words (the error message), and its `meaning` (the documentation)."""
    path: str
    default: Any
    check: Callable[[Any], bool]
    expected: str
    meaning: str
    placeholder: type = None  # a None default that the command line may set to this type
    # For a field added after workdirs were recorded: the value that reproduces the
    # behaviour from before it existed (`legacy`), and when it cannot change a run
    # (`irrelevant(settings)`). Holding its legacy value, or irrelevant, the field is left
    # out of the fingerprint and of the sweep's settings check, so those points stay valid;
    # any other value is a new experiment. `NO_LEGACY`: an original field.
    legacy: Any = NO_LEGACY
    irrelevant: Callable[[dict], bool] = None

    @property
    def added_later(self):
        return self.legacy is not NO_LEGACY


FIELDS = (
    # Data: echo_ib.data.load(dataset, split, data_dir).
    Field("dataset", "fashion_mnist",
          lambda v: isinstance(v, str) and v in data_lib.LOADERS, f"a data set of echo_ib.data.LOADERS "
          f"({', '.join(data_lib.LOADERS)})", "the data set"),
    Field("data_dir", "", lambda v: isinstance(v, str) and (
        not v or pathlib.Path(v).expanduser().is_dir()),
          "an existing directory ('' searches the standard places)",
          "where the data files are; '' searches the standard places"),
    Field("download", True, boolean, "True or False",
          "fetch a standard data file that is in none of the searched places from its "
          "public URL, checksum-verified (echo_ib.data.sources)", legacy=True),
    Field("binarize", "dynamic", one_of(*data_lib.BINARIZATIONS),
          f"one of {data_lib.BINARIZATIONS}",
          "dynamic: fresh Bernoulli bits per batch (held-out images: one fixed draw)"),
    Field("train_split", "train", lambda v: isinstance(v, str), "a split name",
          "the split trained on (omniglot also: background_small1 / background_small2)"),
    Field("test_split", "test", lambda v: isinstance(v, str), "a split name",
          "the split tested on; the same as train_split: its last test_size examples"),
    Field("train_size", 0, integer(0), "an integer >= 0 (0: all that is available)",
          "training examples; 0: all left after validation"),
    Field("test_size", 0, integer(0), "an integer >= 0 (0: all that is available)",
          "test examples; 0: the whole test split"),
    Field("validation_size", 10000, integer(0), "an integer >= 0 (0: no validation split)",
          "held out from the end of the training split (FashionMNIST: train on the first "
          "50,000 as the echo paper did, validate on the last 10,000); 0: none"),
    # Model.
    Field("method", "echo", lambda v: isinstance(v, str) and v in methods_lib.METHODS,
          "a method of echo_ib.models.methods.METHODS", " | ".join(METHODS)),
    Field("architecture", "mlp", one_of(*ARCHITECTURES), f"one of {ARCHITECTURES}",
          "mlp | conv | paper_conv"),
    Field("latent_dim", 32, integer(1), "an integer >= 1", "latent dimensions D"),
    Field("beta", 1.0, real(0.0), "a finite number >= 0 (β weighs the rate; a negative β "
          "rewards information)", "β of the loss D + βR"),
    Field("echo.max_terms", 100, integer(1), "an integer >= 1", "K, echo's series terms"),
    Field("echo.clip", None, lambda v: v is None or real(0.0, 1.0, True, True)(v),
          "None (solved for float32 precision) or a number in (0, 1)",
          "the bound on S(x); None: solved so the truncated tail is below float32 precision",
          placeholder=float),
    Field("echo.f_scale", 1.0, real(0.0, open_low=True), "a finite number > 0",
          "f = f_bound tanh(a / f_scale); the paper's 16 is worse (BENCHMARKS.md)"),
    Field("echo.f_bound", 1.0, real(0.0, open_low=True), "a finite number > 0",
          "M, the bound on |f|; the default clip is solved from it (the authors' linear f: "
          "f_bound = f_scale = 10, clip 0.8175 at K = 99)", legacy=1.0),
    Field("echo.gate", "none", one_of(*ECHO_GATES), f"one of {ECHO_GATES}",
          "switching echo dimensions off (docs/design.md): none | hard_concrete (a learned "
          "gate per dimension, trained on D + βR) | prune (switch a dimension off for good "
          "when the validation D + βR is no worse without it, every prune_every epochs)"),
    Field("echo.gate_init", 0.0, real(), "a finite number (the gate's initial log α)",
          "initial log α of the hard-concrete gate"),
    Field("echo.prune_every", 10, integer(1), "an integer >= 1", "epochs between pruning passes"),
    Field("scale_bias_init", 0.0, real(), "a finite number",
          "initial bias of the encoder's scale outputs (echo: S's logits; Gaussian: log σ)"),
    Field("mmd_weight", 100.0, real(0.0), "a finite number >= 0", "InfoVAE's λ"),
    Field("flow.num_layers", 2, integer(1), "an integer >= 1", "MAF prior: flow layers"),
    Field("flow.hidden_units", 64, integer(1), "an integer >= 1", "MAF prior: MADE width"),
    Field("vamp.num_components", 750, integer(1), "an integer >= 1",
          "VampPrior: K pseudo-inputs (vamp, iaf_vamp)", legacy=750),
    Field("iaf.num_steps", 4, integer(1), "an integer >= 1",
          "posterior IAF: mean-only steps (iaf*)", legacy=4),
    Field("iaf.hidden_units", 640, integer(1), "an integer >= 1",
          "posterior IAF: width of each MADE hidden layer", legacy=640),
    Field("iaf.hidden_layers", 3, integer(1), "an integer >= 1",
          "posterior IAF: hidden layers per MADE", legacy=3),
    Field("iwae_samples", 100, integer(0), "an integer >= 0 (0: skip the IWAE bound)",
          "IWAE bound on −log p(x) for the Gaussian-channel methods; 0: skip"),
    # Optimisation (the echo paper: Adam, batch 100, remainder dropped).
    Field("batch_size", 100, integer(1), "an integer >= 1", "examples per step"),
    Field("epochs", 20, integer(1), "an integer >= 1", "the most epochs trained"),
    Field("learning_rate", 1e-3, real(0.0, open_low=True), "a finite number > 0", "Adam's lr₀"),
    Field("lr_schedule", "constant", one_of(*SCHEDULES), f"one of {SCHEDULES}",
          "constant | paper (constant for lr_decay_start epochs, then linear to 0) | cosine"),
    Field("lr_decay_start", 100, integer(0), "an integer >= 0", "the paper schedule's hold"),
    Field("rate_warmup_epochs", 0, integer(0), "an integer >= 0",
          "β_t rises linearly from 0 to β over this many epochs (every method); 0: β from "
          "the start"),
    Field("early_stopping.patience", 0, integer(0), "an integer >= 0 (0: train all epochs)",
          "stop when the monitored validation loss has not improved by min_delta nats for "
          "this many epochs (never before min_epochs), then restore the best epoch; 0: off"),
    Field("early_stopping.monitor", "objective", one_of(*MONITORS), f"one of {MONITORS}",
          "the validation loss that picks the best epoch and stops early: objective = D + βR "
          "(what the point minimises), neg_elbo = D + R (the rule before 2026-12-01; the "
          "same at β = 1, but at β < 1 it stops as the rate grows: BENCHMARKS.md)",
          legacy="neg_elbo", irrelevant=lambda s: s.get("beta") == 1.0),
    Field("early_stopping.min_epochs", 0, integer(0), "an integer >= 0", "see patience"),
    Field("early_stopping.min_delta", 0.0, real(0.0), "a finite number >= 0 (nats)",
          "see patience"),
    Field("seed", 0, integer(0), "an integer >= 0", "initial weights, data order and noise"),
    Field("strategy", "default", one_of(*STRATEGIES), f"one of {STRATEGIES}",
          "tf.distribute strategy"),
    Field("jit_compile", None, lambda v: v is None or isinstance(v, bool),
          "None (by architecture), True or False",
          "XLA for the whole train step; None: on for mlp, off for conv (faster on CPU each "
          "way)", placeholder=bool),
    Field("run_eagerly", False, boolean, "True or False",
          "run the train and test steps eagerly (Keras's run_eagerly), untraced: for "
          "debugging, and for tiny runs, where tracing the step costs more than training",
          legacy=False),
    Field("precision", "float32", one_of(*PRECISIONS), f"one of {PRECISIONS}",
          "float32 | mixed_float16 | mixed_bfloat16"),
    Field("save_model", True, boolean, "True or False", "<point>/model.keras"),
    Field("tensorboard", True, boolean, "True or False", "<point>/tensorboard"),
)


def _get(config, path):
    value = config
    for part in path.split("."):
        value = value[part]
    return value


def default_config(fields=FIELDS):
    """A ConfigDict holding every field's default (placeholders typed for the flags)."""
    config = ml_collections.ConfigDict()
    for field in fields:
        *parents, leaf = field.path.split(".")
        node = config
        for part in parents:
            if part not in node:
                node[part] = ml_collections.ConfigDict()
            node = node[part]
        node[leaf] = (config_dict.placeholder(field.placeholder) if field.placeholder
                      else field.default)
    return config


def _fail(config, path, expected):
    try:
        value = _get(config, path)
    except (KeyError, AttributeError):
        value = "<missing>"
    raise errors.ConfigError(f"config.{path} = {value!r}: expected {expected}.")


def _min_batch_size(method):
    return channels.CHANNELS[methods_lib.METHODS[method].channel].min_batch_size


# Checks across fields: (field named in the error, failing condition, expected).
_RULES = (
    ("train_split", lambda c: c.train_split not in SPLITS[c.dataset],
     lambda c: f"a split of {c.dataset}: one of {SPLITS[c.dataset]}"),
    ("test_split", lambda c: c.test_split not in SPLITS[c.dataset],
     lambda c: f"a split of {c.dataset}: one of {SPLITS[c.dataset]}"),
    ("test_size", lambda c: c.train_split == c.test_split and c.test_size < 1,
     lambda c: "an integer >= 1 when train_split and test_split name the same split (the "
               "test part is then its last test_size examples)"),
    ("batch_size", lambda c: c.batch_size < _min_batch_size(c.method),
     lambda c: f"at least {_min_batch_size(c.method)} for {c.method} (echo noise builds each "
               "example's noise from the other members of its batch); the paper used 100"),
    ("rate_warmup_epochs", lambda c: c.rate_warmup_epochs > c.epochs,
     lambda c: f"at most config.epochs = {c.epochs} (β rises over rate_warmup_epochs, so with "
               "fewer epochs it would never reach its target)"),
    ("jit_compile", lambda c: c.run_eagerly and c.jit_compile,
     lambda c: "None or False when run_eagerly is True (an eager step is not compiled)"),
    ("validation_size", lambda c: c.early_stopping.patience and not c.validation_size,
     lambda c: "an integer >= 1 when early_stopping.patience > 0 (early stopping watches the "
               "validation −ELBO)"),
    ("validation_size",
     lambda c: c.method in methods_lib.reads("echo.") and c.echo.gate == "prune"
     and not c.validation_size,
     lambda c: "an integer >= 1 when echo.gate = 'prune' (pruning measures the validation "
               "objective)"),
)


# Fields that only some methods read: a value other than the default, in a run that trains
# none of those methods, is a setting that would be silently ignored.
METHOD_FIELDS = tuple((prefix, methods_lib.reads(prefix))
                      for prefix in ("echo.", "flow.", "vamp.", "iaf.", "mmd_weight"))


def check_fields_apply(config, methods, paths=None):
    """Raises `ConfigError` when config sets a method's field (e.g. echo.gate) away from its
    default while none of `methods` reads it; `paths`: check only these dotted fields (a
    sweep checks those set on its command line, since its config file may hold the settings
    of methods that `--methods` leaves out)."""
    for field in FIELDS:
        if paths is not None and field.path not in paths:
            continue
        for prefix, readers in METHOD_FIELDS:
            if not field.path.startswith(prefix) or set(readers) & set(methods):
                continue
            try:
                value = _get(config, field.path)
            except (KeyError, AttributeError):
                continue
            if value != field.default:
                raise errors.ConfigError(
                    f"config.{field.path} = {value!r} applies to {', '.join(readers)} only, "
                    f"and this run trains {', '.join(methods)}: it would be ignored. Leave it "
                    f"at its default ({field.default!r}) or train {readers[0]}.")


def validate_config(config, fields=FIELDS, rules=None):
    """Checks every field of a config; raises `ConfigError` naming the first bad one.

    fields, rules: the schema (default: a training config's `FIELDS` and its rules; the
    information plane's is `echo_ib.info_plane.schema`)."""
    rules = _RULES if rules is None and fields is FIELDS else (rules or ())
    for field in fields:
        try:
            value = _get(config, field.path)
        except (KeyError, AttributeError):
            _fail(config, field.path, f"{field.expected} (the field is missing)")
        if not field.check(value):
            _fail(config, field.path, field.expected)
    for path, broken, expected in rules:
        if broken(config):
            _fail(config, path, expected(config))


def describe_fields(fields=FIELDS):
    """Every field with its default and meaning, one per line, for `--help`."""
    width = max(len(f.path) for f in fields)
    return "\n".join(f"  config.{f.path:<{width}}  {f.default!r:>10}  {f.meaning}"
                     for f in fields)


def omit_legacy_fields(settings, point=True):
    """A copy of a nested settings dict without the fields added later (`Field.legacy`)
    that hold their legacy value, are absent, or (for one point's settings, `point`)
    cannot change the run (`irrelevant`)."""
    settings = json.loads(json.dumps(settings))
    for field in FIELDS:
        if not field.added_later:
            continue
        *parents, leaf = field.path.split(".")
        node = settings
        for key in parents:
            node = node.get(key) if isinstance(node, dict) else None
        if not isinstance(node, dict) or leaf not in node:
            continue
        if node[leaf] == field.legacy or (point and field.irrelevant
                                          and field.irrelevant(settings)):
            del node[leaf]
    return settings
