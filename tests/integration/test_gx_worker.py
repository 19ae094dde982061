"""The GX worker process: answers checks, reports GX's errors and its own death clearly, and
is replaced when it ends between checks. (That it dies with a killed refresh is tested in
test_faults: the whole process group must end.)"""

from __future__ import annotations

import os
import signal

import pandas as pd
import pytest

from orchestration.quality import gx_worker
from orchestration.quality.gx_worker import GxWorker, GxWorkerError

SUITE = {
    "name": "tiny",
    "expectations": [
        {"type": "expect_column_values_to_be_in_set", "kwargs": {"column": "x", "value_set": [1]}}
    ],
    "meta": {"sample_columns": []},
}


def test_a_suite_is_validated_in_the_worker_with_its_failing_values() -> None:
    result = gx_worker.call("validate", pd.DataFrame({"x": [1, 1]}), SUITE)
    assert result["success"] is True
    failed = gx_worker.call("validate", pd.DataFrame({"x": [1, 2]}), SUITE)
    assert failed["success"] is False
    assert failed["results"][0]["result"]["partial_unexpected_list"] == [2]


def test_an_error_inside_gx_names_the_operation_and_carries_the_worker_traceback() -> None:
    misspelt = {"type": "expect_no_such_thing", "kwargs": {}}
    broken = {**SUITE, "expectations": [*SUITE["expectations"], misspelt]}
    with pytest.raises(GxWorkerError) as raised:
        gx_worker.call("validate", pd.DataFrame({"x": [1]}), broken)
    message = str(raised.value)
    assert "Great Expectations failed in 'validate'" in message
    # GX itself would drop the expectation it cannot build and pass the suite without it.
    assert "suite tiny: GX could not build expect_no_such_thing" in message
    assert "Traceback" in message
    # The worker survived its error and answers the next request.
    assert gx_worker.call("validate", pd.DataFrame({"x": [1]}), SUITE)["success"] is True


def test_only_the_gx_operations_can_be_asked_for() -> None:
    with pytest.raises(ValueError, match="unknown GX operation 'remove'"):
        gx_worker.call("remove", "/")


def test_a_worker_that_dies_during_a_request_is_reported_with_what_to_do() -> None:
    worker = GxWorker()
    try:
        os.kill(worker._process.pid, signal.SIGKILL)
        with pytest.raises(GxWorkerError) as raised:
            worker.call("validate", pd.DataFrame({"x": [1]}), SUITE)
        message = str(raised.value)
        assert f"(pid {worker._process.pid}) ended with exit code -9 during 'validate'" in message
        assert "Nothing was published: run the refresh again" in message
    finally:
        worker.close()


def test_a_worker_that_ended_between_checks_is_replaced() -> None:
    gx_worker.start()
    first = gx_worker._worker
    assert first is not None and first.alive
    os.kill(first._process.pid, signal.SIGKILL)
    first._process.wait(timeout=30)
    assert gx_worker.call("validate", pd.DataFrame({"x": [1]}), SUITE)["success"] is True
    assert gx_worker._worker is not first and gx_worker._worker.alive


def test_the_worker_exits_at_the_end_of_its_input() -> None:
    worker = GxWorker()
    worker.close()
    assert worker._process.returncode == 0
