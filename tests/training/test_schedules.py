"""Tests of the learning-rate schedules against their closed forms."""

import math

import ml_collections
import numpy as np
import pytest

from echo_ib.training import schedules


def _config(schedule, epochs=200, decay_start=100, lr=3e-4):
    return ml_collections.ConfigDict({"lr_schedule": schedule, "epochs": epochs,
                                      "lr_decay_start": decay_start, "learning_rate": lr})


def test_paper_schedule_holds_then_decays_linearly_to_zero():
    steps = 500  # per epoch
    schedule = schedules.learning_rate(_config("paper"), steps)
    for epoch in (0, 50, 100):
        assert schedules.value_at(schedule, epoch * steps) == pytest.approx(3e-4)
    # Intended decay: lr₀ (200 − epoch) / 100 after epoch 100 (the public code's formula
    # would give lr₀ (1 − (200 − 101)/100) = 3e-6 at epoch 101 and climb back).
    for epoch in (101, 150, 199):
        expected = 3e-4 * (200 - epoch) / 100
        assert schedules.value_at(schedule, epoch * steps) == pytest.approx(expected, rel=1e-5)
    assert schedules.value_at(schedule, 200 * steps) == 0.0
    values = [schedules.value_at(schedule, s) for s in range(100 * steps, 200 * steps, 997)]
    assert np.all(np.diff(values) < 0)  # strictly decreasing: never climbs back


def test_cosine_and_constant():
    steps, epochs = 10, 20
    cosine = schedules.learning_rate(_config("cosine", epochs=epochs, lr=1e-3), steps)
    for t in (0, 37, 100, 199):
        expected = 1e-3 * 0.5 * (1 + math.cos(math.pi * t / (epochs * steps)))
        assert schedules.value_at(cosine, t) == pytest.approx(expected, rel=1e-5, abs=1e-9)
    assert schedules.learning_rate(_config("constant", lr=2e-3), steps) == 2e-3


def test_decay_start_beyond_the_budget_is_constant():
    assert schedules.learning_rate(_config("paper", epochs=50, decay_start=100), 7) == 3e-4


def test_schedule_serializes():
    schedule = schedules.HoldThenLinearDecay(1e-3, 10, 30)
    clone = schedules.HoldThenLinearDecay.from_config(schedule.get_config())
    assert [float(clone(s)) for s in (0, 20, 30)] == [float(schedule(s)) for s in (0, 20, 30)]
    with pytest.raises(ValueError, match="hold_steps"):
        schedules.HoldThenLinearDecay(1e-3, 30, 30)
