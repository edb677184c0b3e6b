r"""Re-evaluates a saved point from its model.keras and prints recorded vs recomputed numbers.

    python experiments/evaluate.py \
        --point=runs/fashion_mnist_sweep/points/fashion_mnist-echo-mlp-beta1-seed0 [--seeds=1,2]

Uses the point's own data splits and recorded evaluation seed (echo_ib.training.evaluation).
"""

import _cli
from absl import flags

from echo_ib.training import evaluation

_POINT = flags.DEFINE_string("point", None, "A finished point's directory.")
_SEEDS = flags.DEFINE_list("seeds", [], "Extra evaluation seeds (Monte Carlo spread).")
flags.mark_flags_as_required(["point"])


def main():
    try:
        seeds = [int(s) for s in _SEEDS.value]
    except ValueError:
        _cli.fail(f"--seeds={','.join(_SEEDS.value)}: expected comma-separated integers.")
    out = evaluation.reevaluate(_POINT.value, seeds)
    for split, recorded in out["recorded"].items():
        again = out["reevaluated"][split]
        print(f"{split}: " + ", ".join(
            f"{k} recorded {recorded[k]:.4f} re-evaluated {again[k]:.4f}"
            for k in ("rate", "distortion", "neg_elbo")) + " (nats/image)")
    for seed, value in out["other_seeds"].items():
        print(f"test −ELBO with evaluation seed {seed}: {value:.4f}")


if __name__ == "__main__":
    _cli.run(main, on_interrupt="nothing was written.")
