"""Which epoch a rate–distortion point keeps: validation D + βR against the −ELBO.

The gated-echo study (`echo_gate_{mnist,omniglot,fashion_mnist}.py`) picks each point's best
epoch, and stops early, by the validation −ELBO = D + R, the rule it was specified with. A
point trained on D + βR with β ≠ 1 is then judged by another loss: at β < 1 the −ELBO rises
as the rate grows, and the Omniglot echo point at β = 0.1 stopped at epoch 30 keeping epoch
7. This study re-runs the β ≠ 1 points of a data set's study with the selection by the
training objective (`early_stopping.monitor = 'objective'`, now the library's default);
at β = 1 the two rules are the same loss, and those points are the recorded ones.

    python experiments/sweep.py --config=configs/studies/echo_gate_selection.py:mnist \\
        --workdir=runs/gate/mnist_objective          # :omniglot, :fashion_mnist likewise
"""

from configs.studies import echo_gate_fashion_mnist, echo_gate_mnist, echo_gate_omniglot

_STUDIES = {"mnist": echo_gate_mnist, "omniglot": echo_gate_omniglot,
            "fashion_mnist": echo_gate_fashion_mnist}


def get_config(dataset="mnist"):
    if dataset not in _STUDIES:
        raise ValueError(f"echo_gate_selection takes one of {sorted(_STUDIES)} after the "
                         f"colon, got {dataset!r}.")
    config = _STUDIES[dataset].get_config()
    config.early_stopping.monitor = "objective"
    config.sweep.betas = [b for b in config.sweep.betas if b != 1.0]
    return config
