"""The 12-bit task of Shwartz-Ziv & Tishby, "Opening the Black Box of Deep Neural Networks
via Information" (2017), §3: all 2^12 = 4,096 binary inputs with a binary label.

Their inputs are 12 binary values on 12 points of the 2-sphere and the label is a
rotation-invariant function of the input thresholded so that p(y = 1) ≈ ½. Their data
file (`var_u.mat`) cannot be fetched, so by default the toolkit builds a task *of the same
kind* (`regenerated_task`), not their labels: the 12 points are the vertices of a regular
icosahedron, the invariant is the quadratic form

```none
g(x) = Σ_{k<l} x_k x_l ⟨v_k, v_l⟩ − ½ Σ_k x_k,     x ∈ {0, 1}^12,
```

(a function of the pairwise angles only, so invariant under the icosahedron's rotations),
and y = 1 where g(x) exceeds the median over the 4,096 inputs, ties broken by the
input's integer code. Exactly half of the inputs are labelled 1. Measured against their
`var_u.mat` (`benchmarks/twelve_bit_agreement.py`, BENCHMARKS.md): the two label 21.5 %
of the inputs alike, 78.5 % with one labelling flipped, so the regenerated labels are
close to the complement of theirs, not to theirs; results on the two tasks are not
interchangeable.

The authors' data, when a user has it in the data search path, is used instead, in
either of the layouts researchers pass around: `var_u.mat` (their MATLAB file: `F` the
inputs, `y` the labels) or an `.npz` (`twelve_bit.npz` or `var_u.npz`) holding
`X_train`, `y_train`, `X_test`, `y_test`. Splits: 'all' (the 4,096 inputs), 'train' and
'test'; the npz's own split is kept, otherwise a fixed one: a seeded permutation, the
first 80 % (3,277 inputs) for training and the rest (819) for test.
"""

import numpy as np

from echo_ib.data import io

__all__ = ["SPLITS", "icosahedron_vertices", "regenerated_task", "twelve_bit_task"]

SPLITS = ("all", "train", "test")
_TRAIN_FRACTION = 0.8


def icosahedron_vertices():
    """The 12 unit vertices of a regular icosahedron, [12, 3]."""
    phi = (1 + 5**0.5) / 2
    v = []
    for a in (-1, 1):
        for b in (-phi, phi):
            v += [(0, a, b), (a, b, 0), (b, 0, a)]
    v = np.asarray(v, np.float64)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def regenerated_task():
    """The regenerated task (module docstring): inputs [4096, 12] float32 in {0, 1}, row i
    the bits of the integer i (least significant first), and labels [4096] int64."""
    codes = np.arange(2**12)
    x = ((codes[:, None] >> np.arange(12)[None, :]) & 1).astype(np.float64)
    v = icosahedron_vertices()
    gram = np.triu(v @ v.T, k=1)
    g = np.einsum("nk,kl,nl->n", x, gram, x) - 0.5 * x.sum(1)
    order = np.lexsort((codes, g))  # sort by g, then by code
    y = np.zeros(len(codes), np.int64)
    y[order[len(codes) // 2:]] = 1
    return x.astype(np.float32), y


def _checked(x, y, path):
    x, y = np.asarray(x, np.float32), np.asarray(y).reshape(-1).astype(np.int64)
    if x.ndim != 2 or x.shape[1] != 12 or len(x) != len(y):
        raise io.CorruptDataError(f"{path}: expected inputs [n, 12] and n labels, got "
                                  f"{x.shape} and {y.shape}.")
    return x, y


def _find(data_dir, names):
    try:
        return io.find_file(names, ["information_bottleneck", "ib", "twelve_bit"], data_dir)
    except io.DataNotFoundError:
        return None


def twelve_bit_task(data_dir=None, split="all"):
    """Inputs [n, 12] float32 in {0, 1} and labels [n] int64 in {0, 1} of a split."""
    if split not in SPLITS:
        raise ValueError(f"the 12-bit task has splits {SPLITS}, got {split!r}.")
    npz = _find(data_dir, ["twelve_bit.npz", "var_u.npz"])
    if npz is not None:
        with np.load(npz) as arrays:
            missing = {"X_train", "y_train", "X_test", "y_test"} - set(arrays.files)
            if missing:
                raise io.CorruptDataError(f"{npz}: missing arrays {sorted(missing)}.")
            parts = {name: _checked(arrays[f"X_{name}"], arrays[f"y_{name}"], npz)
                     for name in ("train", "test")}
        if split == "all":
            return tuple(np.concatenate(a) for a in zip(parts["train"], parts["test"]))
        return parts[split]
    mat = _find(data_dir, "var_u.mat")
    if mat is not None:
        import scipy.io

        contents = scipy.io.loadmat(mat)
        x, y = _checked(contents["F"], contents["y"], mat)
    else:
        x, y = regenerated_task()
    if split == "all":
        return x, y
    order = np.random.default_rng(0).permutation(len(x))
    cut = int(round(_TRAIN_FRACTION * len(x)))
    index = np.sort(order[:cut] if split == "train" else order[cut:])
    return x[index], y[index]
