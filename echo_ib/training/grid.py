"""The grid of a sweep: methods × β × seeds, times any other config fields.

A sweep config names its grid in `config.sweep`:

```python
config.sweep.methods = ["echo", "vae"]          # config.method
config.sweep.betas = [0.25, 0.5, 1.0, 2.0, 4.0]  # config.beta
config.sweep.seeds = [0, 1]                      # config.seed
# Any other fields, as (dotted field, values) pairs: their product.
config.sweep.grid = [("latent_dim", [16, 32, 64]), ("echo.gate", ["none", "prune"])]
# Fields that move together, as (fields, value tuples) pairs: zipped, then multiplied.
config.sweep.zipped = [(("batch_size", "echo.max_terms"), [(100, 99), (500, 499)])]
```

in the spirit of disentanglement_lib's `h.product` / `h.zipit`. The points are
methods × grid × zipped × betas × seeds, in that nesting order. The values of the grid's
own fields (`swept_values`) name each point and its workdir (`point_suffix`), are part of
its identity in the results file, and are written into its record under `swept`.
"""

import itertools
import json
import re

from echo_ib import errors

__all__ = ["axes", "get_field", "point_name", "point_suffix", "set_field", "swept_fields",
           "swept_values"]

# The fields the common axes set, and the axis that sets each.
BUILTIN_AXES = {"method": "sweep.methods", "beta": "sweep.betas", "seed": "sweep.seeds"}


def get_field(config, dotted):
    """config.a.b for 'a.b'; `ConfigError` naming the field when it does not exist."""
    value = config
    for part in dotted.split("."):
        if not hasattr(value, "keys") or part not in value.keys():
            raise errors.ConfigError(
                f"the sweep grid names config.{dotted}, which is not a config field "
                "(experiments/train.py --help lists every field).")
        value = value[part]
    return value


def set_field(config, dotted, value):
    """Sets config.a.b = value for 'a.b' (the config must be unlocked)."""
    *parents, leaf = dotted.split(".")
    node = config
    for part in parents:
        node = node[part]
    node[leaf] = value


def _extra_axes(config):
    """[(fields, value tuples)] of config.sweep.grid and config.sweep.zipped, checked."""
    sweep = config.get("sweep") or {}
    out = []
    for k, entry in enumerate(list(sweep.get("grid") or [])):
        if not (isinstance(entry, (list, tuple)) and len(entry) == 2
                and isinstance(entry[0], str) and isinstance(entry[1], (list, tuple))):
            raise errors.ConfigError(
                f"config.sweep.grid[{k}] = {entry!r}: expected a (dotted field, [values]) "
                "pair, e.g. ('latent_dim', [16, 32]).")
        out.append(((entry[0],), [(v,) for v in entry[1]]))
    for k, entry in enumerate(list(sweep.get("zipped") or [])):
        ok = (isinstance(entry, (list, tuple)) and len(entry) == 2
              and isinstance(entry[0], (list, tuple)) and all(isinstance(f, str) for f in entry[0])
              and isinstance(entry[1], (list, tuple))
              and all(isinstance(v, (list, tuple)) and len(v) == len(entry[0])
                      for v in entry[1]))
        if not ok:
            raise errors.ConfigError(
                f"config.sweep.zipped[{k}] = {entry!r}: expected a ((fields), [value tuples]) "
                "pair with one value per field, e.g. (('batch_size', 'echo.max_terms'), "
                "[(100, 99), (500, 499)]).")
        out.append((tuple(entry[0]), [tuple(v) for v in entry[1]]))
    seen = set()
    for fields, values in out:
        if not values:
            raise errors.ConfigError(f"the sweep grid gives {', '.join(fields)} no values: "
                                     "the grid has no points.")
        for field in fields:
            if field in BUILTIN_AXES:
                raise errors.ConfigError(
                    f"the sweep grid names config.{field}: set it with "
                    f"config.{BUILTIN_AXES[field]} (or --{BUILTIN_AXES[field][6:]}).")
            if field == "sweep" or field.startswith("sweep."):
                raise errors.ConfigError(f"the sweep grid cannot sweep config.{field}.")
            if field in seen:
                raise errors.ConfigError(f"the sweep grid sets config.{field} twice.")
            seen.add(field)
            get_field(config, field)
    return out


def swept_fields(config):
    """The dotted fields config.sweep.grid and config.sweep.zipped set, in grid order."""
    return [field for fields, _ in _extra_axes(config) for field in fields]


def axes(config):
    """Every axis of the grid as (fields, value tuples), outermost first."""
    sweep = config.sweep
    return ([(("method",), [(m,) for m in sweep.methods])] + _extra_axes(config)
            + [(("beta",), [(float(b),) for b in sweep.betas]),
               (("seed",), [(int(s),) for s in sweep.seeds])])


def points(config):
    """Yields dicts {dotted field: value}, one per point of the grid, in nesting order."""
    grid = axes(config)
    for combination in itertools.product(*(values for _, values in grid)):
        assignment = {}
        for (fields, _), values in zip(grid, combination):
            assignment.update(zip(fields, values))
        yield assignment


def _plain(value):
    return json.loads(json.dumps(value, default=str))


def swept_values(config):
    """{dotted field: value} of this point's grid fields (not method, β or seed)."""
    return {field: _plain(get_field(config, field)) for field in swept_fields(config)}


def point_suffix(swept):
    """'-latent_dim16-echo.gate_prune' for {'latent_dim': 16, 'echo.gate': 'prune'}: safe in
    a file name ('' for no grid fields)."""
    parts = []
    for field, value in swept.items():
        text = f"{value:g}" if isinstance(value, float) else str(value)
        sep = "_" if isinstance(value, str) else ""
        parts.append(re.sub(r"[^A-Za-z0-9_.+=-]", "_", f"{field}{sep}{text}"))
    return "".join(f"-{p}" for p in parts)


def point_name(config):
    """A readable, file-system-safe name for a point: dataset-method-arch-β-seed, then the
    values of the sweep grid's other fields (e.g. `-latent_dim16-echo.gate_prune`)."""
    return (f"{config.dataset}-{config.method}-{config.architecture}"
            f"-beta{config.beta:g}-seed{config.seed}"
            + point_suffix(swept_values(config)))
