"""Every config file loads and passes the checks of the code that reads it."""

import importlib
import pathlib
import re
import sys

import ml_collections
import pytest

from echo_ib import errors
from echo_ib.sweeps import sweep
from echo_ib.training import config_schema

REPO = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
CONFIGS = sorted(str(p.relative_to(REPO).with_suffix("")).replace("/", ".")
                 for p in (REPO / "configs").rglob("*.py") if p.name != "__init__.py")


@pytest.mark.parametrize("module", CONFIGS)
def test_config_loads_and_validates(module):
    config = importlib.import_module(module).get_config()
    if "method" in config:  # a training config (the sweep grid validates every point)
        config_schema.validate_config(config)
        sweep.validate_sweep_config(config)
    elif "num_classes" in config and "betas" in config:  # a bottleneck classifier's curve
        from echo_ib.training import classifier
        classifier.validate_config(config)
    else:  # information-plane and single-neuron configs
        assert "seed" in config


@pytest.mark.parametrize("dataset", ["mnist", "binary_mnist", "fashion_mnist", "omniglot",
                                     "omniglot_chardata"])
def test_the_one_model_config_builds_every_method_on_every_data_set(dataset):
    from configs import model
    from echo_ib.models import methods

    for method in methods.METHODS:
        config = model.get_config(f"{dataset},{method}")
        assert (config.dataset, config.method, list(config.sweep.methods)) == (
            dataset, method, [method])
        config_schema.validate_config(config)
        sweep.validate_sweep_config(config)


@pytest.mark.parametrize("argument, message", [
    ("fashion_mnist", "expected configs/model.py:<dataset>,<method>"),
    ("fashion_mnist,ech", "method 'ech': expected one of"),
    ("cifar,echo", "data set 'cifar': expected one of"),
])
def test_the_one_model_config_names_a_bad_argument(argument, message):
    from configs import model

    with pytest.raises(errors.ConfigError, match=re.escape(message)):
        model.get_config(argument)


def test_every_training_field_is_declared_once():
    paths = [field.path for field in config_schema.FIELDS]
    assert len(paths) == len(set(paths))
    config = config_schema.default_config()
    config_schema.validate_config(config)
    for field in config_schema.FIELDS:  # each field's own check names it
        bad = ml_collections.ConfigDict(config.to_dict(), type_safe=False)
        *parents, leaf = field.path.split(".")
        node = bad
        for part in parents:
            node = node[part]
        node[leaf] = ["not", "a", "setting"]  # fails every check
        with pytest.raises(errors.ConfigError, match=re.escape(f"config.{field.path} = ")):
            config_schema.validate_config(bad)


def test_settings_that_would_be_ignored_are_refused():
    """A warm-up longer than the run (β would never reach its target) and a method's field
    set for a run that trains no such method."""
    config = config_schema.default_config()
    config.epochs, config.rate_warmup_epochs = 2, 10
    with pytest.raises(errors.ConfigError, match="config.rate_warmup_epochs = 10: expected at "
                                                 "most config.epochs = 2"):
        config_schema.validate_config(config)
    config = config_schema.default_config()
    config.echo.gate = "hard_concrete"
    config_schema.check_fields_apply(config, ["echo", "vae"])
    with pytest.raises(errors.ConfigError, match="echo.gate = 'hard_concrete' applies to echo"):
        config_schema.check_fields_apply(config, ["vae"])
    config.echo.gate, config.vamp.num_components = "none", 10
    with pytest.raises(errors.ConfigError, match="applies to vamp, iaf_vamp only"):
        config_schema.check_fields_apply(config, ["vae", "iaf"])
