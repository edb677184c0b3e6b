"""The hard-concrete gate (Louizos, Welling and Kingma, "Learning Sparse Neural Networks
through L0 Regularization", ICLR 2018): a stretched, clipped binary-concrete variable
g ∈ [0, 1] that is exactly 0 or exactly 1 with positive probability, with a closed-form
P(g ≠ 0) to weigh a cost by. Echo noise uses one per latent dimension to switch it off
(`echo_ib.channels.echo`); nothing here is specific to echo.
"""

import math

import tensorflow as tf

__all__ = [
    "GATES",
    "HARD_CONCRETE_STRETCH",
    "HARD_CONCRETE_TEMPERATURE",
    "hard_concrete_deterministic",
    "hard_concrete_open_probability",
    "hard_concrete_sample",
]

# The gates a channel may carry: none, or a learned hard-concrete gate per dimension.
GATES = ("none", "hard_concrete")

# The hard concrete's stretch interval (γ, ζ) = (−0.1, 1.1) and temperature 2/3 (Louizos,
# Welling and Kingma 2018, §4 and their experiments).
HARD_CONCRETE_STRETCH = (-0.1, 1.1)
HARD_CONCRETE_TEMPERATURE = 2.0 / 3.0


def hard_concrete_sample(log_alpha, uniform, temperature=HARD_CONCRETE_TEMPERATURE):
    """A hard-concrete gate g ∈ [0, 1] from uniform noise u (Louizos et al. 2018, eq. 10).

    ```none
    s = sigmoid((log u − log(1 − u) + log α) / τ),   g = min(1, max(0, s (ζ − γ) + γ))
    ```

    Args:
      log_alpha: float tensor, the gate's location log α (broadcasts against `uniform`).
      uniform: float tensor of U(0, 1) draws, strictly inside (0, 1).
      temperature: τ > 0. Default value: 2/3.

    Returns:
      g, the broadcast shape of the inputs; exactly 0 with probability
      1 − `hard_concrete_open_probability(log_alpha)` and exactly 1 with positive probability.
    """
    low, high = HARD_CONCRETE_STRETCH
    logistic = tf.math.log(uniform) - tf.math.log1p(-uniform)
    stretched = tf.sigmoid((logistic + log_alpha) / temperature) * (high - low) + low
    return tf.clip_by_value(stretched, 0.0, 1.0)


def hard_concrete_open_probability(log_alpha, temperature=HARD_CONCRETE_TEMPERATURE):
    """P(g ≠ 0) = sigmoid(log α − τ log(−γ/ζ)) in closed form (Louizos et al. 2018, eq. 12)."""
    low, high = HARD_CONCRETE_STRETCH
    return tf.sigmoid(log_alpha - temperature * math.log(-low / high))


def hard_concrete_deterministic(log_alpha):
    """The gate at evaluation, ĝ = min(1, max(0, sigmoid(log α)(ζ − γ) + γ)) (their §4)."""
    low, high = HARD_CONCRETE_STRETCH
    return tf.clip_by_value(tf.sigmoid(log_alpha) * (high - low) + low, 0.0, 1.0)
