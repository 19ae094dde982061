"""What a check found: the outcome of one suite and of each of its expectations.

Shared by the refresh side (suites.py) and the GX worker side (gx_calls.py), which import
nothing of each other.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

SAMPLE_LIMIT = 20
DOCS_SITE = "phc_warehouse"
RESULTS_DIRNAME = "_results"  # under data_docs_dir: each suite's latest outcome, as JSON


@dataclass(frozen=True)
class ExpectationOutcome:
    expectation: str  # type and columns, e.g. "expect_column_values_to_be_in_set(Status)"
    success: bool
    unexpected_count: int | None
    observed: Any  # JSON-safe: observed value or mismatch details, for table-level checks
    error: str | None  # GX could not evaluate it (e.g. a column is missing): counts as failed


@dataclass(frozen=True)
class SuiteOutcome:
    suite_name: str
    success: bool
    blocking: bool  # a failure must stop the publish
    protects: str
    results: tuple[ExpectationOutcome, ...]
    failing_values: tuple[dict[str, Any], ...]  # <= SAMPLE_LIMIT, JSON-safe, no personal data
    error: str | None  # the batch itself could not be read (missing table, bad query)
    validation_result: dict[str, Any] | None  # GX's JSON, for data docs
    suite: dict[str, Any]  # the suite file as loaded, for data docs
    checked_at: str  # ISO 8601, UTC
    seconds: float

    @property
    def failed_expectations(self) -> tuple[str, ...]:
        return tuple(r.expectation for r in self.results if not r.success)

    def metadata(self) -> dict[str, Any]:
        """Plain values for `AssetCheckResult(metadata=...)` (lists and dicts become JSON)."""
        metadata: dict[str, Any] = {
            "suite": self.suite_name,
            "protects": self.protects,
            "blocking": self.blocking,
            "expectations_evaluated": len(self.results),
            "expectations_failed": list(self.failed_expectations),
            "failing_values": list(self.failing_values),
            "seconds": round(self.seconds, 2),
        }
        if self.error:
            metadata["error"] = self.error
        return metadata


def plain(value: Any) -> Any:
    """JSON-safe copy: NaN to None, numpy scalars and timestamps to Python values or text."""
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if hasattr(value, "item") and not isinstance(value, str | bytes):
        try:
            value = value.item()  # numpy scalar
        except (TypeError, ValueError):
            return str(value)
    if isinstance(value, float) and math.isnan(value):
        return None
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return None if value is pd.NA or value is pd.NaT else str(value)
