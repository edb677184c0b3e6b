"""Tests of derived seeds."""

import numpy as np
import pytest

from echo_ib import seeding


def test_streams_are_deterministic_valid_and_distinct():
    assert seeding.derive(3, "plug-in", 7) == seeding.derive(3, "plug-in", 7)
    seeds = {seeding.derive(s, label, k) for s in range(4) for label in ("a", "b")
             for k in range(50)}
    assert len(seeds) == 4 * 2 * 50  # 400 draws from 2^31 − 1: a collision has p ≈ 4e-5
    assert all(0 <= s < 2**31 - 1 for s in seeds)


def test_arithmetic_collisions_are_gone():
    # seed + epoch (epoch 1) was seed + layer (layer 1); seed * 1009 + epoch for (0, 1009)
    # was (1, 0).
    assert seeding.derive(0, "plug-in", 1) != seeding.derive(0, "compressor", 1)
    assert seeding.derive(0, "layer noise", 1009) != seeding.derive(1, "layer noise", 0)


def test_the_recorded_evaluation_seed_is_unchanged():
    """Points recorded before this module record evaluation_seed 1953806777 for seed 0
    (results/echo_gate/mnist.jsonl): the derivation they used is this one."""
    assert seeding.derive(0, 0xE7A1) == 1953806777
    assert seeding.derive(0, 0xE7A1) == int(
        np.random.SeedSequence([0, 0xE7A1]).generate_state(1)[0] % (2**31 - 1))


@pytest.mark.parametrize("seed,labels", [(-1, ()), (1.5, ()), (True, ()), (0, (-2,)),
                                         (0, (0.5,))])
def test_bad_seeds_and_labels_are_named(seed, labels):
    with pytest.raises((ValueError, TypeError), match="seed"):
        seeding.derive(seed, *labels)
