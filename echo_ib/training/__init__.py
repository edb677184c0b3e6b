"""Training one point: `trainer.train_and_evaluate(config, workdir)` and what it stands on —
the config's fields (`config_schema`), the grid's point identity (`grid`), per-epoch
bookkeeping, checkpoints, evaluation, the result record and its files (`results`),
learning-rate schedules, where a point runs (`runtime`), and the supervised bottleneck
classifier's point (`classifier`). Sweeps of points are `echo_ib.sweeps`; information
planes, `echo_ib.info_plane`.

Import what you use (`from echo_ib.training import trainer`): `import echo_ib` is the
library alone and loads none of this (no matplotlib, multiprocessing or file locks),
except `schedules`, whose learning-rate schedules a saved model's optimizer names.
"""
