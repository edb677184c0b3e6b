"""Training: one point (`trainer`), β-sweeps (`sweep`), results files, checkpoints,
learning-rate schedules and information-plane callbacks."""

from echo_ib.training import checkpoint, results, schedules, sweep, trainer

__all__ = ["checkpoint", "results", "schedules", "sweep", "trainer"]
