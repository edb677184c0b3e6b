"""Orchestrating sweeps: many points of a grid (`echo_ib.training.grid`) trained and recorded
exactly once, resumably, by one process, a pool of workers (`sweep`), shards of a job
array, or Ray tasks on a cluster (`ray_executor`). Training one point is
`echo_ib.training.trainer`.

Import what you use (`from echo_ib.sweeps import sweep`); `import echo_ib` loads none of it.
"""
