"""The high-rate end: does the bound on f limit gated echo at β = 0.25?

Hypothesis: with f = tanh(a) bounded by 1 the encoder cannot spread its codes far enough
apart at high rate, so distortion flattens. The ablation is the echo authors' other
setting, a (nearly) linear f with |f| ≤ 10: f = 10 tanh(a / 10), whose default clip solved
for K = 99 is 0.8175 (the authors' value). Everything else is `echo_gate_fashion_mnist.py`
at β = 0.25; its f = tanh(a) point (results/echo_gate/fashion_mnist_latent32.jsonl) is the
control.

    python experiments/sweep.py --config=configs/studies/echo_high_rate.py \\
        --workdir=runs/gate/fmnist_high_rate
"""

from configs.studies import echo_gate_fashion_mnist


def get_config():
    config = echo_gate_fashion_mnist.get_config()
    config.sweep.methods = ["echo"]
    config.sweep.betas = [0.25]
    config.sweep.zipped = [(("echo.f_bound", "echo.f_scale"), [(10.0, 10.0)])]
    return config
