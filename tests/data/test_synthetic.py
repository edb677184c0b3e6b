"""Tests of the regenerated 12-bit task."""

import numpy as np
import pytest

from echo_ib import data
from echo_ib.data import synthetic


def test_all_inputs_once_and_balanced_labels():
    x, y = data.load("twelve_bit", "all")
    assert x.shape == (4096, 12)
    codes = (x.astype(int) * (1 << np.arange(12))).sum(1)
    np.testing.assert_array_equal(np.sort(codes), np.arange(4096))
    assert y.sum() == 2048


def test_labels_are_invariant_under_icosahedral_rotations():
    # A 72° rotation about a vertex maps vertices to vertices; relabelling the bits by that
    # vertex permutation must leave g(x), hence the label ordering, unchanged.
    v = synthetic.icosahedron_vertices()
    axis = v[0]
    angle = 2 * np.pi / 5
    k = np.array([[0, -axis[2], axis[1]], [axis[2], 0, -axis[0]], [-axis[1], axis[0], 0]])
    rotation = np.eye(3) + np.sin(angle) * k + (1 - np.cos(angle)) * k @ k
    rotated = v @ rotation.T
    perm = np.argmin(np.linalg.norm(rotated[:, None] - v[None], axis=-1), axis=1)
    np.testing.assert_allclose(rotated, v[perm], atol=1e-12)
    x, y = data.load("twelve_bit", "all")
    gram = np.triu(v @ v.T, 1)
    g = np.einsum("nk,kl,nl->n", x, gram, x) - 0.5 * x.sum(1)
    x_rot = np.empty_like(x)
    x_rot[:, perm] = x
    g_rot = np.einsum("nk,kl,nl->n", x_rot, gram, x_rot) - 0.5 * x_rot.sum(1)
    np.testing.assert_allclose(g_rot, g, atol=1e-9)
    # Labels threshold g at its median: where g differs from the threshold, labels agree.
    assert np.all(y[g > np.median(g) + 1e-9] == 1) and np.all(y[g < np.median(g) - 1e-9] == 0)


def test_fixed_train_test_split():
    x_train, y_train = data.load("twelve_bit", "train")
    x_test, y_test = data.load("twelve_bit", "test")
    assert (len(x_train), len(x_test)) == (3277, 819)
    everything = {tuple(row) for row in data.load("twelve_bit", "all")[0]}
    seen = {tuple(row) for row in x_train} | {tuple(row) for row in x_test}
    assert seen == everything and len(seen) == 4096  # disjoint, covering
    np.testing.assert_array_equal(x_train, data.load("twelve_bit", "train")[0])  # fixed


def test_npz_and_mat_layouts_are_read(tmp_path):
    import scipy.io

    rng = np.random.default_rng(0)
    x = rng.integers(0, 2, size=(10, 12)).astype(np.float64)
    y = rng.integers(0, 2, size=10)
    np.savez(tmp_path / "twelve_bit.npz", X_train=x[:7], y_train=y[:7], X_test=x[7:],
             y_test=y[7:])
    x_test, y_test = data.load("twelve_bit", "test", data_dir=tmp_path)
    np.testing.assert_array_equal(x_test, x[7:])
    np.testing.assert_array_equal(y_test, y[7:])
    assert len(data.load("twelve_bit", "all", data_dir=tmp_path)[0]) == 10
    mat_dir = tmp_path / "mat"
    mat_dir.mkdir()
    scipy.io.savemat(mat_dir / "var_u.mat", {"F": x, "y": y[None, :]})
    x_all, y_all = data.load("twelve_bit", "all", data_dir=mat_dir)
    np.testing.assert_array_equal(x_all, x)
    np.testing.assert_array_equal(y_all, y)
    np.savez(mat_dir / "var_u.npz", X_train=x[:, :5], y_train=y, X_test=x, y_test=y)
    with pytest.raises(data.CorruptDataError, match=r"\[n, 12\]"):
        data.load("twelve_bit", "train", data_dir=mat_dir)
