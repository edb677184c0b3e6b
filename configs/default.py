"""Default VAE training config; the other configs import it and override a few fields.

Every training field, its default, the values it may hold and what it means are declared
once in `echo_ib.training.config_schema.FIELDS`; this file adds the sweep grid. Any field
can be overridden on the command line, e.g. `--config.beta=0.5`.
"""

import ml_collections

from echo_ib.training import config_schema


def get_config():
    config = config_schema.default_config()
    # Sweep grid (experiments/sweep.py; echo_ib.training.grid).
    config.sweep = ml_collections.ConfigDict()
    config.sweep.methods = ["echo", "vae"]
    config.sweep.betas = [0.25, 0.5, 1.0, 2.0, 4.0]
    config.sweep.seeds = [0]
    # Any other fields: [(dotted field, [values])] multiplied, and [((fields), [value
    # tuples])] that move together; configs/studies/ has examples.
    config.sweep.grid = []
    config.sweep.zipped = []
    # What one point asks of a cluster node (the Ray executor; a Slurm array task's
    # request is in its sbatch file).
    config.sweep.cpus_per_point = 1
    config.sweep.gpus_per_point = 0
    return config
