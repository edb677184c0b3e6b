"""Training one rate–distortion point: `train_and_evaluate(config, workdir)`.

It trains one VAE (echo noise or a baseline) with the settings of a training config
(`config_schema` declares every field; `configs/default.py` holds the defaults) and
writes, inside `workdir`:

* `fingerprint.json`: the settings and their SHA-256; a checkpoint or result in the
  workdir is reused only under the same fingerprint (else `WorkdirError`; `checkpoint`),
* `checkpoint.npz`: the state after the last finished epoch, variables keyed by their
  attribute paths (`checkpoint`), removed when the point finishes; a killed run resumes
  from it and ends exactly where an uninterrupted run would,
* `history.json`: per-epoch training and validation metrics and the learning rate,
* `model.keras` (reload with `keras.saving.load_model` after `import echo_ib`),
  `reconstructions.png` and `samples.png`,
* `result.json`: the result record (`results.build_record`, also returned).

Where the parts live: the config's fields and their checks in `config_schema`, the data
splits in `echo_ib.data.splits`, the strategy in `runtime`, per-epoch bookkeeping (early
stopping, divergence, history, checkpoints) in `bookkeeping`, test numbers and pictures in
`evaluation`. Objective and metrics are those of `echo_ib.models.VAE`: loss = D + β R in
nats per image, −ELBO = D + R.
"""

import json
import pathlib
import time

import keras

from echo_ib import data as data_lib
from echo_ib import precision as precision_lib
from echo_ib.data import splits as splits_lib
from echo_ib.models import methods, pruning
from echo_ib.models import vae as vae_lib
from echo_ib.training import bookkeeping as bookkeeping_lib
from echo_ib.training import checkpoint as checkpoint_lib
from echo_ib.training import config_schema, evaluation, grid, results, runtime, schedules

__all__ = ["train_and_evaluate"]


def _build_model(config, steps, input_shape=(28, 28, 1)):
    return vae_lib.build_vae(
        config.method, config.architecture, config.latent_dim, config.beta,
        input_shape=tuple(int(d) for d in input_shape), seed=config.seed,
        scale_bias_init=config.scale_bias_init,
        rate_warmup_steps=config.rate_warmup_epochs * steps,
        **methods.settings_from_config(config.method, config))


def train_and_evaluate(config, workdir, verbose=1, callbacks=(), log=print):
    """Trains one point to `config.epochs` (or early stopping), resuming, and evaluates it.

    Args:
      config: a training ConfigDict (see `configs/default.py`).
      workdir: the point's directory (see the module docstring for what goes there).
      verbose: 0 silent, 1 a progress line per epoch (through `log`).
      callbacks: extra Keras callbacks.
      log: a print-like function.

    Returns:
      The result record: the point's identity and settings, test and validation rate,
      distortion and −ELBO in nats/image (validation: None without a validation split),
      the final-epoch training values, the test IWAE bound on −log p(x) for the
      Gaussian-channel methods, epochs trained and the best validation epoch, wall time,
      data sizes and subset, and the settings' fingerprint. A point that already finished in
      `workdir` under the same settings is not retrained: its stored record is returned.

    Global state: none is changed. The initial weights are seeded and the precision policy
    set inside `runtime.global_state_scope`, which puts back what it found.

    Raises:
      ConfigError: a bad config field (named), or a precision this CPU cannot run.
      WorkdirError: `workdir` holds a checkpoint or result of other settings.
      DivergenceError: a non-finite loss or metric (the point, epoch and settings named).
    """
    config_schema.validate_config(config)
    precision_lib.check_precision(config.precision)
    workdir = pathlib.Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    done = checkpoint_lib.finished_record(config, workdir)
    if done is not None:
        return done
    fingerprint = checkpoint_lib.check_workdir(config, workdir)
    name = grid.point_name(config)
    with runtime.global_state_scope(config.seed, config.precision):
        splits = splits_lib.data_splits(config)
        steps = len(splits.train) // config.batch_size
        strategy = runtime.make_strategy(config.strategy)
        with strategy.scope():
            model = _build_model(config, steps, splits.train.shape[1:])
            model.compile(optimizer=keras.optimizers.Adam(schedules.learning_rate(config, steps)),
                          jit_compile=runtime.resolve_jit_compile(config),
                          run_eagerly=bool(config.get("run_eagerly")))
            path = workdir / "checkpoint.npz"
            state = bookkeeping_lib.initial_state(fingerprint)
            best_weights = None
            if path.exists():
                state, best_weights = checkpoint_lib.restore(path, model)
                if verbose:
                    log(f"  {name}: resuming after epoch {state['next_epoch']} from {path}")
        bookkeeping = bookkeeping_lib.Bookkeeping(config, path, state, best_weights, name,
                                                  log if verbose else None)
        if not state["stopped_early"] and state["next_epoch"] < config.epochs:
            train_ds = data_lib.make_dataset(
                splits.train, config.batch_size, shuffle=True,
                dynamic_binarization=config.binarize == "dynamic", seed=config.seed,
                epochs=None, initial_epoch=state["next_epoch"])  # fit takes `steps` a epoch
            val_ds = (data_lib.make_dataset(splits.validation, config.batch_size, shuffle=False)
                      if len(splits.validation) else None)
            extra = [keras.callbacks.TensorBoard(str(workdir / "tensorboard"), write_graph=False)
                     ] if config.tensorboard else []
            # Pruning runs before the bookkeeping so that the epoch's checkpoint holds the mask.
            prune = ([pruning.PruneDimensions(splits.validation, config.echo.prune_every,
                                              batch_size=config.batch_size, seed=config.seed,
                                              log=log if verbose else None)]
                     if config.method in methods.reads("echo.") and config.echo.gate == "prune"
                     else [])
            model.fit(train_ds, epochs=config.epochs, initial_epoch=state["next_epoch"],
                      steps_per_epoch=steps, validation_data=val_ds, verbose=0, shuffle=False,
                      callbacks=[*prune, bookkeeping, *extra, *callbacks])
        # Early stopping restores the best epoch's weights; without it the last epoch is
        # evaluated, whatever epoch had the lowest validation loss (the record says which).
        restored = bool(config.early_stopping.patience) and bookkeeping.best_weights is not None
        if restored:
            checkpoint_lib.assign(model, bookkeeping.best_weights)
        history = state["history"]
        evaluated_epoch = state["best_epoch"] if restored else len(history)
        eval_seed = evaluation.evaluation_seed(config)

        def evaluate(images):
            if not len(images):
                return None
            return model.evaluate_seeded(images, config.batch_size, eval_seed)

        test, val = evaluate(splits.test), evaluate(splits.validation)
        floor = evaluation.dimensions_at_the_floor(model, splits.test, config)
        if floor is not None and floor[0] == floor[1] and verbose:
            log(f"  {name}: note: all {floor[1]} active echo dimensions sit at the rate floor "
                f"−log(clip) = {model.channel.rate_floor:.3f} nats: the encoder does not "
                "use the channel yet, so reconstructions and samples are close to the mean "
                "image. Expected after a few epochs on little data; train longer (converged "
                "points improve for 50–150 epochs) or set rate_warmup_epochs.")
        collapsed = evaluation.collapse(test, floor)
        if collapsed == "rate" and verbose:
            log(f"  {name}: note: COLLAPSED: the test rate is {test['rate']:.3f} nats, so the "
                "decoder ignores z (every gate closed, or the posterior equals the prior); "
                "the record marks it (collapsed = 'rate').")
        started = time.time()

        def iwae_progress(done, total):
            log(f"  {name}: IWAE bound (k = {config.iwae_samples}): {done:,} of {total:,} "
                f"test images, {time.time() - started:.0f} s")

        extras = {"fingerprint": fingerprint, "evaluation_seed": eval_seed,
                  "collapsed": collapsed,
                  "floor_dimensions": None if floor is None else floor[0],
                  "test_iwae_nll": evaluation.iwae(model, splits.test, config,
                                                   iwae_progress if verbose else None)}
        record = results.build_record(config, model, splits, state, evaluated_epoch, test,
                                      val, extras)
        checkpoint_lib.write_atomic(workdir / "history.json", json.dumps(history, indent=1))
        if config.save_model:
            model.save(workdir / "model.keras")
        evaluation.draw_pictures(model, splits.test, workdir, config)
        checkpoint_lib.write_atomic(workdir / "result.json", json.dumps(record, indent=2,
                                                                        allow_nan=False))
        path.unlink(missing_ok=True)
        return record
