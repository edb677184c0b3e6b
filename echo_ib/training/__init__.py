"""Training: one point (`trainer`), β-sweeps (`sweep`), results files, checkpoints,
learning-rate schedules and information-plane callbacks."""

from echo_ib.training import (checkpoint, evaluation, grid, results, schedules, sweep,
                              trainer)

__all__ = ["checkpoint", "evaluation", "grid", "results", "schedules", "sweep", "trainer"]
