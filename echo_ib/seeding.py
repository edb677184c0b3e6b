"""Seeds of independent random streams, derived from one seed and the stream's name.

`derive(seed, *labels)` hashes the seed and the labels with NumPy's `SeedSequence`, so
streams named differently are independent and never collide the way arithmetic can
(`seed + epoch` for epoch 1 is `seed + layer` for layer 1; `seed * 1009 + epoch` for seed 0,
epoch 1009 is seed 1, epoch 0). Inside TensorFlow graphs the stateless form is
`tf.random.experimental.stateless_fold_in(key, label)` (echo's gate, the data pipeline).
A stateless TensorFlow seed pair is `[derive(seed, 'stream'), index]`: the first entry a
stream's derived seed, the second an index within that stream (a batch, a block of
importance samples), so two streams never share a key.

```python
seeding.derive(config.seed, "noise draw", r)   # an int in [0, 2^31 − 1)
```
"""

import zlib

import numpy as np

__all__ = ["derive"]


def _label(value):
    if isinstance(value, str):
        return zlib.crc32(value.encode())
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"seed labels must be integers >= 0 or strings, got {value!r}.")
    if value < 0:
        raise ValueError(f"seed labels must be integers >= 0 or strings, got {value!r}.")
    return int(value)


def derive(seed, *labels):
    """The seed of stream `labels` under `seed`: an int in [0, 2^31 − 1), a valid seed for
    NumPy, TensorFlow and Keras.

    Args:
      seed: the integer seed (>= 0) of the run.
      *labels: integers >= 0 or strings naming the stream ('noise draw', 3).
    """
    if isinstance(seed, (bool, np.bool_)) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be an integer >= 0, got {seed!r}.")
    entropy = [int(seed), *(_label(v) for v in labels)]
    return int(np.random.SeedSequence(entropy).generate_state(1)[0] % (2**31 - 1))
