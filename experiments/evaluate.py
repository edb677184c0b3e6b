r"""Re-evaluates a saved point from its model.keras and prints recorded vs recomputed numbers.

    python experiments/evaluate.py \
        --point=runs/fashion_mnist_sweep/points/fashion_mnist-echo-mlp-beta1-seed0 [--seeds=1,2] \
        [--iwae_samples=1000]

Uses the point's own data splits and recorded evaluation seed (echo_ib.training.evaluation).
With --iwae_samples=k it also computes the test set's importance-weighted bound on −log p(x)
(k draws per image; minutes for k = 1,000 on 10,000 images), for a point trained without it.
"""

import _cli
from absl import flags

from echo_ib.training import evaluation

_POINT = flags.DEFINE_string("point", None, "A finished point's directory.")
_SEEDS = flags.DEFINE_list("seeds", [], "Extra evaluation seeds (Monte Carlo spread).")
_IWAE = flags.DEFINE_integer("iwae_samples", 0, "k > 0: also the test IWAE bound with k "
                             "importance samples per image.")
flags.mark_flags_as_required(["point"])


def main():
    try:
        seeds = [int(s) for s in _SEEDS.value]
    except ValueError:
        _cli.fail(f"--seeds={','.join(_SEEDS.value)}: expected comma-separated integers.")
    if _IWAE.value < 0:
        _cli.fail(f"--iwae_samples={_IWAE.value}: expected an integer >= 0.")
    out = evaluation.reevaluate(_POINT.value, seeds, _IWAE.value)
    for split, recorded in out["recorded"].items():
        again = out["reevaluated"][split]
        print(f"{split}: " + ", ".join(
            f"{k} recorded {recorded[k]:.4f} re-evaluated {again[k]:.4f}"
            for k in ("rate", "distortion", "neg_elbo")) + " (nats/image)")
    for seed, value in out["other_seeds"].items():
        print(f"test −ELBO with evaluation seed {seed}: {value:.4f}")
    if "iwae" in out:
        bound, k = out["iwae"], out["iwae"]["samples"]
        if bound["reevaluated"] is None:
            print(f"test IWAE (k = {k}): none, the channel has no density q(z|x); its "
                  "−ELBO is its bound on −log p(x).")
        else:
            recorded = ("not recorded" if bound["recorded"] is None
                        else f"recorded {bound['recorded']:.4f}")
            print(f"test IWAE (k = {k}): {recorded}, re-evaluated {bound['reevaluated']:.4f} "
                  "(nats/image)")


if __name__ == "__main__":
    _cli.run(main, on_interrupt="nothing was written.")
