"""The harness: training one point (`trainer`), sweeps over any grid (`grid`, `sweep`), the
config's fields (`config_schema`), bookkeeping, checkpoints, evaluation, results files,
learning-rate schedules and information-plane callbacks.

Import what you use (`from echo_ib.training import sweep`): `import echo_ib` is the
library alone and loads none of this (no matplotlib, multiprocessing or file locks),
except `schedules`, whose learning-rate schedules a saved model's optimizer names.
"""
