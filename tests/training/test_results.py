"""Tests of the results file: locked appends, tolerant reads, point identity."""

import json
import multiprocessing

import pytest

from echo_ib.training import results


def _record(beta, seed=0, method="echo"):
    return {"dataset": "d", "method": method, "architecture": "mlp", "beta": beta,
            "seed": seed, "test_rate": 1.0}


def test_append_and_read_round_trip(tmp_path):
    path = tmp_path / "r.jsonl"
    for b in (0.5, 1, 2.0):
        results.append_result(path, _record(b))
    records = results.read_results(path)
    assert [r["beta"] for r in records] == [0.5, 1, 2.0]
    assert results.point_key(records[1]) == results.point_key(_record(1.0))


def test_partial_last_line_is_skipped_with_a_warning(tmp_path):
    path = tmp_path / "r.jsonl"
    results.append_result(path, _record(1.0))
    with open(path, "a") as f:
        f.write('{"dataset": "d", "meth')  # a write cut off by a kill
    with pytest.warns(UserWarning, match="malformed"):
        records = results.read_results(path)
    assert len(records) == 1


def _append_many(args):
    path, worker = args
    for k in range(50):
        results.append_result(path, {**_record(float(k), seed=worker), "pad": "x" * 5000})


def test_concurrent_appends_never_interleave(tmp_path):
    path = str(tmp_path / "r.jsonl")
    with multiprocessing.get_context("spawn").Pool(4) as pool:
        pool.map(_append_many, [(path, w) for w in range(4)])
    lines = open(path).read().splitlines()
    assert len(lines) == 200
    keys = {results.point_key(json.loads(line)) for line in lines}
    assert len(keys) == 200
