"""`grade batch --cluster`: the same work on a Dask distributed scheduler (a LocalCluster of two worker processes)."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from grader.front import batch
from grader.front.results import read_results

distributed = pytest.importorskip("distributed")
ROOT = Path(__file__).resolve().parent.parent


def test_batch_on_a_local_dask_cluster(tmp_path):
    import dask
    subs = tmp_path / "subs"
    subs.mkdir()
    shutil.copy(ROOT / "solutions" / "ex01_conv_arithmetic.py", subs / "alice.py")
    shutil.copy(ROOT / "tests" / "submissions" / "ex01" / "mutant_floor_same.py", subs / "bob.py")
    shutil.copy(ROOT / "tests" / "hostile" / "os_exit_in_function.py", subs / "carl.py")
    # worker processes must be allowed children of their own (the sandboxed child processes)
    with dask.config.set({"distributed.worker.daemon": False}):
        with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                      dashboard_address=None) as cluster:
            assert batch.run_batch(["ex01"], subs, tmp_path / "out", seed=3, timeout=30,
                                   cluster=cluster.scheduler_address) == 0
            workers = list(cluster.workers)
    results = read_results(tmp_path / "out" / "results.jsonl")
    assert results[("alice", "ex01")]["score"] == results[("alice", "ex01")]["max_score"]
    bob = {c["name"]: c for c in results[("bob", "ex01")]["checks"]}
    assert bob["length_same"]["status"] == "FAIL" and "rounds down" in bob["length_same"]["message"]
    carl = {c["name"]: c for c in results[("carl", "ex01")]["checks"]}
    assert carl["length_valid"]["status"] == "ERROR"
    assert len(workers) == 2
    # the same verdicts as a local run
    local = tmp_path / "local"
    assert batch.run_batch(["ex01"], subs, local, jobs=1, seed=3, timeout=30) == 0
    again = read_results(local / "results.jsonl")
    for key, r in results.items():
        assert [(c["name"], c["status"]) for c in r["checks"]] == \
            [(c["name"], c["status"]) for c in again[key]["checks"]], key
    assert json.loads((tmp_path / "out" / "batch.json").read_text())["seed_fingerprint"]
