"""Tests of binned mutual information."""

import math

import numpy as np
import pytest

from echo_ib import estimators as est


def test_constant_activations_carry_nothing():
    result = est.binned_mutual_information(np.full((100, 4), 0.3), labels=np.arange(100) % 2)
    assert result["entropy"].value == 0.0
    assert result["mutual_information_label"].value == 0.0


def test_one_input_per_bin_gives_log_n():
    activations = np.linspace(-1, 1, 30)[:, None]
    result = est.binned_mutual_information(activations, num_bins=30, value_range=(-1, 1))
    assert result["entropy"].value == pytest.approx(math.log(30))


def test_label_information_is_bounded_by_the_label_entropy_and_reached():
    labels = np.repeat([0, 1], 50)
    activations = np.where(labels[:, None] == 0, -0.9, 0.9) + np.zeros((100, 3))
    result = est.binned_mutual_information(activations, labels, base=2)
    assert result["mutual_information_label"].value == pytest.approx(1.0)  # one bit: H(Y)
    assert result["entropy"].value == pytest.approx(1.0)


def test_order_invariance():
    rng = np.random.default_rng(0)
    activations, labels = np.tanh(rng.normal(size=(500, 3))), rng.integers(0, 2, 500)
    perm = rng.permutation(500)
    a = est.binned_mutual_information(activations, labels)
    b = est.binned_mutual_information(activations[perm], labels[perm])
    assert {k: v.value for k, v in a.items()} == pytest.approx({k: v.value for k, v in b.items()})
    assert a["entropy"].quantity == "H(Bin(T))" and a["entropy"].stderr is None


def test_bins_of_a_given_width():
    # Points 0.3 apart with bins of width 1 (anchored at 0): {0, 0.3, 0.6, 0.9} share a bin.
    activations = (np.arange(12) * 0.3)[:, None]
    codes = np.floor(activations[:, 0] / 1.0)
    expected = -sum(c / 12 * math.log(c / 12) for c in np.unique(codes, return_counts=True)[1])
    result = est.binned_mutual_information(activations, bin_width=1.0)
    assert result["entropy"].value == pytest.approx(expected)
    fine = est.binned_mutual_information(activations, bin_width=0.1)
    assert fine["entropy"].value == pytest.approx(math.log(12))  # one point per bin


def test_nan_labels_are_refused():
    labels = np.array([0.0, 1.0, np.nan, 1.0])
    with pytest.raises(ValueError, match="labels has NaN"):
        est.binned_mutual_information(np.zeros((4, 2)), labels=labels)


def test_bad_inputs():
    with pytest.raises(ValueError, match="labels"):
        est.binned_mutual_information(np.zeros((5, 2)), labels=[0, 1])
    with pytest.raises(ValueError, match="num_bins"):
        est.binned_mutual_information(np.zeros((5, 2)), num_bins=0)
    with pytest.raises(ValueError, match="NaN"):
        est.binned_mutual_information(np.array([[np.nan]]))
    with pytest.raises(ValueError, match="bin_width"):
        est.binned_mutual_information(np.zeros((5, 2)), bin_width=0.0)


def test_discrete_entropy_is_an_estimate_with_the_closed_form():
    codes = np.array([[0, 1], [1, 0], [1, 1], [0, 0]] * 5 + [[0, 0]] * 4)
    p = np.array([9, 5, 5, 5]) / 24  # the counts of the four rows
    h = est.discrete_entropy(codes)
    assert h.quantity == "H" and h.stderr is None
    assert h.value == pytest.approx(-np.sum(p * np.log(p)), rel=1e-12)
    assert est.discrete_entropy(codes, base=2).value == pytest.approx(
        -np.sum(p * np.log2(p)), rel=1e-12)
