"""One model on one data set, every other field at its default (configs/default.py):

    python experiments/train.py --config=configs/model.py:fashion_mnist,echo --workdir=...
    python experiments/sweep.py --config=configs/model.py:mnist,infovae --workdir=...

The argument after the colon is `<dataset>,<method>`: a data set of `echo_ib.data.LOADERS`
(mnist, binary_mnist, fashion_mnist, omniglot, omniglot_chardata) and a method of
`echo_ib.models.methods.METHODS` (echo, vae, infovae, flow, vamp, iaf, iaf_maf, iaf_vamp,
iaf_mmd). Without one: fashion_mnist,echo.
"""

from configs import default


def get_config(dataset_and_method="fashion_mnist,echo"):
    from echo_ib import data, errors
    from echo_ib.models import methods

    parts = [p.strip() for p in (dataset_and_method or "").split(",")]
    if len(parts) != 2:
        raise errors.ConfigError(
            f"configs/model.py:{dataset_and_method}: expected configs/model.py:<dataset>,"
            "<method>, e.g. configs/model.py:fashion_mnist,echo.")
    dataset, method = parts
    if dataset not in data.LOADERS:
        raise errors.ConfigError(f"configs/model.py: data set {dataset!r}: expected one of "
                                 f"{sorted(data.LOADERS)}.")
    if method not in methods.METHODS:
        raise errors.ConfigError(f"configs/model.py: method {method!r}: expected one of "
                                 f"{sorted(methods.METHODS)}.")
    config = default.get_config()
    config.dataset = dataset
    config.method = method
    config.sweep.methods = [method]
    return config
