r"""Records a finished (or partly finished) sweep as data: copies its results and settings
into results/ and draws its rate–distortion figure from the copied file.

    python benchmarks/record_study.py --workdir=runs/gate/fmnist_l32_hc0 \
        --output=results/echo_gate/fashion_mnist_latent32

writes <output>.jsonl (the sweep's results.jsonl: one record per finished point, with its
settings, gate, active dimensions and swept fields), <output>.config.json (the sweep's
config.json) and <output>.png. One workdir a file: sweeps of other settings (a gate, a
warm-up set by a flag rather than the grid) would share results keys.

With --merge the records <output>.jsonl already holds are kept and the workdir's are
added (a study recorded from several workdirs: a second seed, a model run in a later
session). The two configs must agree on every setting both name, the sweep's axes aside, and
a field added since the output was recorded may hold only its legacy value (the one that
reproduces the earlier behaviour).

The recorded config's axes (methods, β, seeds) name what the recorded file holds: a
workdir's config.json names the grid of the last sweep run in it, which may be another
set of points still training, or a larger grid than has finished.
"""

import json
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "experiments"))
import _cli  # noqa: E402
from absl import flags  # noqa: E402

from echo_ib import errors, plotting  # noqa: E402
from echo_ib.training import config_schema, results  # noqa: E402

_WORKDIR = flags.DEFINE_string("workdir", None, "The sweep workdir to record.")
_OUTPUT = flags.DEFINE_string("output", None, "Output stem under results/.")
_TITLE = flags.DEFINE_string("title", "", "Figure title ('' for the default).")
_MERGE = flags.DEFINE_bool("merge", False, "Keep the records <output>.jsonl already holds "
                           "and add the workdir's (the configs must agree but for the "
                           "sweep's axes).")
flags.mark_flags_as_required(["workdir", "output"])

# The sweep's axes: what may differ between two workdirs recorded into one file, and the
# record field of each.
_AXES = {"methods": "method", "betas": "beta", "seeds": "seed"}


def merged_config(recorded, new):
    """`new` with each sweep axis the union of `recorded`'s and `new`'s (recorded order
    first); `ConfigError` naming the settings that differ between the two. A field added
    after `recorded` was written, holding the value that reproduces the behaviour from
    before it (`config_schema.Field.legacy`), is no difference; the result keeps every
    field of `new`."""
    lean_recorded = config_schema.omit_legacy_fields(recorded, point=False)
    lean_new = config_schema.omit_legacy_fields(new, point=False)
    differ = sorted(key for key in lean_recorded.keys() & lean_new.keys()
                    if key != "sweep" and lean_recorded[key] != lean_new[key])
    old_sweep, lean_sweep = lean_recorded.get("sweep", {}), lean_new.get("sweep", {})
    differ += [f"sweep.{key}" for key in old_sweep.keys() & lean_sweep.keys()
               if key not in _AXES and old_sweep[key] != lean_sweep[key]]
    if differ:
        raise errors.ConfigError(
            f"--merge: the workdir's config differs from the recorded one in {differ}; "
            "record it under another --output.")
    new_sweep = dict(new.get("sweep", {}))
    for axis in _AXES:
        values = list(old_sweep.get(axis, []))
        values += [v for v in new_sweep.get(axis, []) if v not in values]
        new_sweep[axis] = values
    return {**new, "sweep": new_sweep}


def axes_of_records(config, records):
    """`config` with each sweep axis the values `records` hold, in the config's order
    first, then in the records' order."""
    sweep = dict(config.get("sweep", {}))
    for axis, field in _AXES.items():
        held = []
        for record in records:
            if record[field] not in held:
                held.append(record[field])
        sweep[axis] = ([v for v in sweep.get(axis, []) if v in held]
                       + [v for v in held if v not in sweep.get(axis, [])])
    return {**config, "sweep": sweep}


def main():
    stem = pathlib.Path(_OUTPUT.value)
    stem.parent.mkdir(parents=True, exist_ok=True)
    workdir = pathlib.Path(_WORKDIR.value)
    if not (workdir / "results.jsonl").exists():
        raise errors.WorkdirError(f"{workdir} has no results.jsonl yet.")
    records = results.read_results(workdir / "results.jsonl")
    jsonl, config_json = stem.with_suffix(".jsonl"), stem.with_suffix(".config.json")
    config = json.loads((workdir / "config.json").read_text())
    if _MERGE.value and config_json.exists():
        config = merged_config(json.loads(config_json.read_text()), config)
    else:
        jsonl.unlink(missing_ok=True)
    added = sum(results.append_once(jsonl, record) for record in records)
    recorded = results.read_results(jsonl)
    config_json.write_text(json.dumps(axes_of_records(config, recorded), indent=2,
                                      sort_keys=True))
    png = plotting.plot_rate_distortion(recorded, stem.with_suffix(".png"),
                                        title=_TITLE.value or None)
    print(f"{added} of the workdir's {len(records)} records added: {jsonl} holds "
          f"{len(recorded)}\nplot: {png}")


if __name__ == "__main__":
    _cli.run(main, on_interrupt="nothing was written.")
