"""The 12-bit task of Shwartz-Ziv & Tishby, "Opening the Black Box of Deep Neural Networks
via Information" (2017), §3: all 2^12 = 4,096 binary inputs with a binary label.

Their inputs are 12 binary values on 12 points of the 2-sphere and the label is a
rotation-invariant function of the input thresholded so that p(y = 1) ≈ ½. Their data
file (`var_u.mat`) cannot be fetched here, so the task is regenerated deterministically
with the same construction: the 12 points are the vertices of a regular icosahedron, the
invariant is the quadratic form

```none
g(x) = Σ_{k<l} x_k x_l ⟨v_k, v_l⟩ − ½ Σ_k x_k,     x ∈ {0, 1}^12,
```

(a function of the pairwise angles only, so invariant under the icosahedron's rotations),
and y = 1 where g(x) exceeds the median over the 4,096 inputs, ties broken by the
input's integer code. Exactly half of the inputs are labelled 1. If a `var_u.mat` is
present in the data search path, its `F` (inputs) and `y` (labels) are used instead.
"""

import numpy as np

from echo_ib.data import io

__all__ = ["icosahedron_vertices", "twelve_bit_task"]


def icosahedron_vertices():
    """The 12 unit vertices of a regular icosahedron, [12, 3]."""
    phi = (1 + 5**0.5) / 2
    v = []
    for a in (-1, 1):
        for b in (-phi, phi):
            v += [(0, a, b), (a, b, 0), (b, 0, a)]
    v = np.asarray(v, np.float64)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def twelve_bit_task(data_dir=None):
    """Inputs [4096, 12] float32 in {0, 1} and labels [4096] int64 in {0, 1}."""
    try:
        path = io.find_file("var_u.mat", ["information_bottleneck", "ib"], data_dir)
    except io.DataNotFoundError:
        path = None
    if path is not None:
        import scipy.io

        mat = scipy.io.loadmat(path)
        return (np.asarray(mat["F"], np.float32),
                np.asarray(mat["y"], np.int64).reshape(-1))
    codes = np.arange(2**12)
    x = ((codes[:, None] >> np.arange(12)[None, :]) & 1).astype(np.float64)
    v = icosahedron_vertices()
    gram = np.triu(v @ v.T, k=1)
    g = np.einsum("nk,kl,nl->n", x, gram, x) - 0.5 * x.sum(1)
    order = np.lexsort((codes, g))  # sort by g, then by code
    y = np.zeros(len(codes), np.int64)
    y[order[len(codes) // 2:]] = 1
    return x.astype(np.float32), y
