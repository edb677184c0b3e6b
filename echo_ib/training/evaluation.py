"""Re-evaluating a saved point: its recorded test (and validation) numbers from model.keras.

A finished point's workdir holds `model.keras`, `fingerprint.json` (its settings) and
`result.json` (its record, with `evaluation_seed`). `reevaluate(point_dir)` rebuilds the
point's data splits from its settings (the held-out images are binarized with fixed seeds,
`trainer.data_splits`), reloads the model and evaluates it with `VAE.evaluate_seeded` under
the recorded seed: on the machine that trained it the numbers are the recorded ones to
float32 rounding; on another CPU they agree to its rounding. Another seed gives another
Monte Carlo draw of the channel noise (its spread is what `seeds` shows).

    python experiments/evaluate.py --point=runs/sweep/points/fashion_mnist-echo-mlp-beta1-seed0
"""

import json
import pathlib

import keras
import ml_collections

import echo_ib  # noqa: F401  (registers the serializable classes model.keras names)
from echo_ib import errors
from echo_ib.training import trainer

__all__ = ["reevaluate"]


def reevaluate(point_dir, seeds=()):
    """Recomputes a saved point's test and validation rate, distortion and −ELBO.

    Args:
      point_dir: a finished point's directory (model.keras, fingerprint.json, result.json).
      seeds: extra evaluation seeds; their test −ELBOs show the Monte Carlo spread.

    Returns:
      A dict: `recorded` and `reevaluated` (each {split: {rate, distortion, neg_elbo}}),
      and `other_seeds` ({seed: test −ELBO}).
    """
    point_dir = pathlib.Path(point_dir)
    needed = [point_dir / name for name in ("model.keras", "fingerprint.json", "result.json")]
    missing = [str(p) for p in needed if not p.exists()]
    if missing:
        raise errors.WorkdirError(
            f"{point_dir} is not a finished point with a saved model: missing "
            + ", ".join(missing) + " (points save model.keras unless config.save_model=False).")
    settings = json.loads((point_dir / "fingerprint.json").read_text())["settings"]
    record = json.loads((point_dir / "result.json").read_text())
    if "evaluation_seed" not in record:
        raise errors.WorkdirError(
            f"{point_dir}/result.json has no evaluation_seed: it was recorded before seeded "
            "evaluation (its test numbers came from one unseeded noise draw); re-evaluate "
            "with seeds=... for fresh Monte Carlo draws instead.")
    config = ml_collections.ConfigDict(settings)
    splits = trainer.data_splits(config)
    model = keras.saving.load_model(point_dir / "model.keras")
    seed = int(record["evaluation_seed"])
    out = {"recorded": {}, "reevaluated": {}, "other_seeds": {}}
    for split, images in (("test", splits.test), ("val", splits.validation)):
        if not len(images) or record.get(f"{split}_rate") is None:
            continue
        terms = model.evaluate_seeded(images, config.batch_size, seed)
        out["reevaluated"][split] = {k: terms[k] for k in ("rate", "distortion", "neg_elbo")}
        out["recorded"][split] = {k: record[f"{split}_{k}"]
                                  for k in ("rate", "distortion", "neg_elbo")}
    for other in seeds:
        out["other_seeds"][int(other)] = model.evaluate_seeded(
            splits.test, config.batch_size, int(other))["neg_elbo"]
    return out
