"""Learning-rate schedules selected by `config.lr_schedule`.

* `constant`: lr₀ throughout.
* `paper`: the echo paper's (Alemi et al. 2018's) schedule as its authors meant it: lr₀ for
  the first `decay_start` epochs, then a linear decay that reaches 0 at the end,

  ```none
  lr(t) = lr₀ · min(1, (T − t) / (T − T₀)),   t, T₀ = decay_start·steps, T = epochs·steps in steps
  ```

  (the public code's `alemi_lr_sched` computes `lr₀ (1 − (200 − epoch)/100)` instead, which
  drops to ≈ lr₀/100 at epoch 101 and climbs back to lr₀ by epoch 200; echo_ib implements
  the intended decay).
* `cosine`: lr₀ · ½(1 + cos(π t / T)) (Loshchilov & Hutter 2017, without restarts).
"""


import keras

__all__ = ["SCHEDULES", "HoldThenLinearDecay", "learning_rate", "value_at"]

SCHEDULES = ("constant", "paper", "cosine")


@keras.saving.register_keras_serializable(package="echo_ib")
class HoldThenLinearDecay(keras.optimizers.schedules.LearningRateSchedule):
    """lr₀ for `hold_steps` steps, then linear to 0 at `total_steps` (see the module doc)."""

    def __init__(self, initial_learning_rate, hold_steps, total_steps):
        if not 0 <= hold_steps < total_steps:
            raise ValueError(f"need 0 <= hold_steps < total_steps, got {hold_steps} and "
                             f"{total_steps}.")
        self.initial_learning_rate = float(initial_learning_rate)
        self.hold_steps = int(hold_steps)
        self.total_steps = int(total_steps)

    def __call__(self, step):
        step = keras.ops.cast(step, "float32")
        fraction = (self.total_steps - step) / (self.total_steps - self.hold_steps)
        return self.initial_learning_rate * keras.ops.clip(fraction, 0.0, 1.0)

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate,
                "hold_steps": self.hold_steps, "total_steps": self.total_steps}


def learning_rate(config, steps_per_epoch):
    """The optimizer's learning rate for a training config: a float or a schedule."""
    total = config.epochs * steps_per_epoch
    if config.lr_schedule == "constant":
        return config.learning_rate
    if config.lr_schedule == "paper":
        if config.lr_decay_start >= config.epochs:
            return config.learning_rate
        return HoldThenLinearDecay(config.learning_rate, config.lr_decay_start * steps_per_epoch,
                                   total)
    if config.lr_schedule == "cosine":
        return keras.optimizers.schedules.CosineDecay(config.learning_rate, max(total, 1))
    raise ValueError(f"lr_schedule must be one of {SCHEDULES}, got {config.lr_schedule!r}.")


def value_at(schedule, step):
    """The learning rate at `step` as a float (for logs)."""
    if callable(schedule):
        return float(schedule(step))
    return float(schedule)


