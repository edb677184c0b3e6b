"""Training: one point (`trainer`), sweeps over any grid (`grid`, `sweep`), the config's
fields (`config_schema`), bookkeeping, checkpoints, evaluation, results files,
learning-rate schedules and information-plane callbacks."""

from echo_ib.training import (bookkeeping, checkpoint, config_schema, evaluation, grid, results,
                              runtime, schedules, sweep,
                              trainer)

__all__ = ["bookkeeping", "checkpoint", "config_schema", "evaluation", "grid", "results",
           "runtime", "schedules", "sweep", "trainer"]
