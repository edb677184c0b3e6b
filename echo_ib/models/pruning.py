"""Pruning echo's latent dimensions by the measured objective D + βR.

Every active echo dimension pays at least −log(clip) nats of rate whether the decoder uses
it or not (BENCHMARKS.md, "Echo against the β-VAE"). `prune_dimensions` switches a
dimension off for good (`EchoNoise.set_mask`, exact: an off dimension's z_j is 0 and pays
0 nats) when the model's objective on held-out images is no worse without it:

```none
switch j off  ⇔  J(A \\ {j}) ≤ J(A) + tolerance,     J(A) = mean over images of D + β R
```

where A is the active set. Every evaluation of J draws the echo noise with the same seeds
(common random numbers): coordinate j of the echo series depends only on coordinate j of
f and S, so the active coordinates' noise is the same under every mask and the difference
J(A \\ {j}) − J(A) is free of noise-draw variance in them.

The greedy pass first scores every active dimension alone (J with it off minus J), then
tries them in increasing score order against the current active set, so each accepted
switch-off is measured against the dimensions already off.
"""

import keras
import numpy as np

from echo_ib import seeding
from echo_ib.channels import echo as echo_lib

__all__ = ["PruneDimensions", "objective", "prune_dimensions"]


def _check(model):
    if not isinstance(getattr(model, "channel", None), echo_lib.EchoNoise):
        raise ValueError("prune_dimensions needs a VAE with an EchoNoise channel; got "
                         f"{type(getattr(model, 'channel', model)).__name__}.")


def objective(model, images, beta=None, batch_size=100, seed=0):
    """(D, R, D + βR) on `images` at evaluation (deterministic gate), nats per image.

    The noise of batch k is drawn with the stateless seed [seed, k]
    (`VAE.evaluate_seeded`), so two calls with the same seed and images use the same noise
    wherever the active sets agree.

    Args:
      model: a `VAE` with an `EchoNoise` channel.
      images: array [N, ...], N ≥ batch_size; the remainder after the last full batch is
        dropped (echo needs a batch).
      beta: β of the objective. Default value: the model's.
      batch_size: B ≥ 2. Default value: 100.
      seed: int seed of the noise draws.
    """
    _check(model)
    beta = model.beta if beta is None else float(beta)
    if batch_size < 2:
        raise ValueError(f"objective needs batch_size >= 2 for echo, got {batch_size}.")
    terms = model.evaluate_seeded(images, batch_size, seed)
    return terms["distortion"], terms["rate"], terms["distortion"] + beta * terms["rate"]


def prune_dimensions(model, images, beta=None, batch_size=100, seed=0, tolerance=0.0,
                     log=None):
    """Switches off, for good, every echo dimension the objective does not pay for.

    Args:
      model: a `VAE` with an `EchoNoise` channel (its mask is changed in place).
      images: held-out images [N, ...] (the validation split).
      beta: β of the objective D + βR. Default value: the model's.
      batch_size: evaluation batch (the echo series draws from it). Default value: 100.
      seed: seed of the common noise draws.
      tolerance: nats per image a switch-off may cost and still be accepted. Default: 0.
      log: optional print-like function for one summary line.

    Returns:
      A dict: `switched_off` (the dimensions switched off by this call), `active` (the
      number left on), `objective_before` and `objective_after` (D + βR, nats/image).
    """
    _check(model)
    channel = model.channel
    mask = channel.mask.numpy().copy()
    before = objective(model, images, beta, batch_size, seed)[2]
    current = before
    scores = {}
    try:
        for j in np.flatnonzero(mask):
            trial = mask.copy()
            trial[j] = 0.0
            channel.set_mask(trial)
            scores[int(j)] = objective(model, images, beta, batch_size, seed)[2] - current
        switched = []
        for j in sorted(scores, key=scores.get):
            if scores[j] > tolerance:
                break
            trial = mask.copy()
            trial[j] = 0.0
            channel.set_mask(trial)
            value = objective(model, images, beta, batch_size, seed)[2]
            if value <= current + tolerance:
                mask, current = trial, value
                switched.append(j)
    finally:
        channel.set_mask(mask)
    if log is not None:
        log(f"  pruning: switched off {len(switched)} dimension(s) {switched}, "
            f"{int(mask.sum())} active; D + βR on the held-out images under one common noise "
            f"draw {before:.3f} -> {current:.3f} (an epoch's validation line is measured "
            "before its pruning pass, with its own noise)")
    return {"switched_off": switched, "active": int(mask.sum()),
            "objective_before": before, "objective_after": current}


class PruneDimensions(keras.callbacks.Callback):
    """Runs `prune_dimensions` on held-out images at the end of every `every`-th epoch.

    Args:
      images: held-out images (the validation split).
      every: epochs between pruning passes (after epochs every, 2·every, …).
      batch_size, seed, tolerance: as for `prune_dimensions`; the pass at epoch e draws
        its common noise with seed `seeding.derive(seed, e)`.
      log: optional print-like function.
    """

    def __init__(self, images, every, batch_size=100, seed=0, tolerance=0.0, log=None):
        super().__init__()
        if int(every) < 1:
            raise ValueError(f"every must be an integer >= 1, got {every!r}.")
        self.images, self.every = images, int(every)
        self.batch_size, self.seed, self.tolerance, self.log = batch_size, seed, tolerance, log
        self.passes = []

    def on_epoch_end(self, epoch, logs=None):
        if (epoch + 1) % self.every:
            return
        seed = seeding.derive(int(self.seed), epoch + 1)
        report = prune_dimensions(self.model, self.images, batch_size=self.batch_size,
                                  seed=seed, tolerance=self.tolerance, log=self.log)
        self.passes.append({"epoch": epoch + 1, **report})
