"""Evaluating a trained point: its recorded numbers, the IWAE bound, echo's floor
dimensions, its pictures, and re-evaluating a saved point from its model.keras.

A finished point's workdir holds `model.keras`, `fingerprint.json` (its settings) and
`result.json` (its record, with `evaluation_seed`). `reevaluate(point_dir)` rebuilds the
point's data splits from its settings (the held-out images are binarized with fixed seeds,
`echo_ib.data.splits`), reloads the model and evaluates it with `VAE.evaluate_seeded` under
the recorded seed: on the machine that trained it the numbers are the recorded ones to
float32 rounding; on another CPU they agree to its rounding. Another seed gives another
Monte Carlo draw of the channel noise (its spread is what `seeds` shows).

    python experiments/evaluate.py --point=runs/sweep/points/fashion_mnist-echo-mlp-beta1-seed0
"""

import json
import pathlib

import keras
import ml_collections
import numpy as np
import tensorflow as tf

from echo_ib import data as data_lib
from echo_ib import errors
from echo_ib import plotting, seeding
from echo_ib.data import splits as splits_lib
from echo_ib.models import vae as vae_lib
from echo_ib.training import config_schema

__all__ = ["COLLAPSED_RATE", "collapse", "dimensions_at_the_floor", "draw_pictures",
           "evaluation_seed", "iwae", "reevaluate"]


def evaluation_seed(config):
    """The seed of a point's recorded test and validation numbers (`VAE.evaluate_seeded`),
    derived from config.seed with `numpy.random.SeedSequence`."""
    return seeding.derive(int(config.seed), 0xE7A1)


def dimensions_at_the_floor(model, images, config):
    """(active echo dimensions whose mean test rate is within 1 % of −log(clip), active
    dimensions), or None for a Gaussian channel."""
    floor = model.channel.rate_floor
    if floor is None:
        return None
    images = images[:max(config.batch_size, 1000)]
    per_dim = np.mean(model.rate_per_dimension(images).numpy(), axis=0)
    active = model.channel.active_dimensions()
    return int(np.sum(active & (per_dim <= 1.01 * floor))), int(active.sum())


# Below this test rate (nats/image) the latent carries nothing the decoder can use.
COLLAPSED_RATE = 0.05


def collapse(test, floor):
    """How a point collapsed, or None: 'rate' when its test rate is below
    `COLLAPSED_RATE` (every echo gate closed, or a posterior equal to the prior); 'floor'
    when every active echo dimension sits at the rate floor −log(clip) (the encoder does
    not use the channel, yet pays for it). `floor`: `dimensions_at_the_floor`'s answer."""
    if test["rate"] < COLLAPSED_RATE:
        return "rate"
    if floor is not None and floor[1] > 0 and floor[0] == floor[1]:
        return "floor"
    return None


def iwae(model, images, config, progress=None):
    """The mean IWAE bound (k = config.iwae_samples) over the full batches of `images`
    (`make_dataset` drops the last partial one), or None where it is off or the channel has
    no density q(z|x). `progress(done, total)`, if given, is called after each tenth of the
    batches with the images bounded so far and in all (k = 1,000 on 10,000 images takes
    minutes)."""
    if not config.iwae_samples or not model.channel.has_posterior_density:
        return None
    ds = data_lib.make_dataset(images, config.batch_size, shuffle=False)
    batches = len(images) // config.batch_size
    bound = vae_lib.importance_weighted_nll_fn(model, config.iwae_samples, samples_per_pass=10)
    bounds = []
    for k, batch in enumerate(ds):
        bounds.append(bound(batch, seeding.derive(int(config.seed), "iwae", k)).numpy())
        if progress is not None and (10 * (k + 1)) // batches > (10 * k) // batches:
            progress((k + 1) * config.batch_size, batches * config.batch_size)
    return float(np.mean(np.concatenate(bounds)))


def draw_pictures(model, test, workdir, config):
    x = test[:16]
    logits = model(tf.constant(x), training=False)[0]
    plotting.plot_reconstructions(
        x, tf.sigmoid(tf.cast(logits, tf.float32)).numpy(), workdir / "reconstructions.png",
        title=f"{config.method}, β = {config.beta:g}: test images (odd rows), "
              "reconstructions (even rows)")
    pool = test[:max(config.batch_size, 65)]
    z = model.sample_latents(64, seed=config.seed, x=pool)
    means = tf.sigmoid(tf.cast(model.decoder(z), tf.float32)).numpy()
    source = model.channel.sample_description
    plotting.plot_image_grid(means, workdir / "samples.png",
                             title=f"{config.method}, β = {config.beta:g}: {source}")



def reevaluate(point_dir, seeds=(), iwae_samples=0):
    """Recomputes a saved point's test and validation rate, distortion and −ELBO.

    Args:
      point_dir: a finished point's directory (model.keras, fingerprint.json, result.json).
      seeds: extra evaluation seeds; their test −ELBOs show the Monte Carlo spread.
      iwae_samples: k > 0 also bounds −log p(x) on the test set with k importance samples
        per image (`iwae`, with the draws the trainer would have used), so a point trained
        without the bound, or with another k, can have it afterwards.

    Returns:
      A dict: `recorded` and `reevaluated` (each {split: {rate, distortion, neg_elbo}}),
      `other_seeds` ({seed: test −ELBO}) and, with iwae_samples, `iwae`: {samples,
      recorded (the record's bound at that k, else None), reevaluated (None where the
      channel has no density q(z|x))}.
    """
    if not config_schema.integer(0)(iwae_samples):  # the config field's own rule
        raise ValueError(f"iwae_samples must be an integer >= 0, got {iwae_samples!r}.")
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
    splits = splits_lib.data_splits(config)
    import echo_ib  # noqa: F401  (registers every serializable class model.keras names)

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
    if iwae_samples:
        config.iwae_samples = int(iwae_samples)
        same_k = record.get("iwae_samples") == int(iwae_samples)
        out["iwae"] = {"samples": int(iwae_samples),
                       "recorded": record.get("test_iwae_nll") if same_k else None,
                       "reevaluated": iwae(model, splits.test, config)}
    return out
