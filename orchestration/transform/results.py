"""What a `dbt build` did, read from its run_results.json: one summary line, or a failure
message that names each failed node and says where to look."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from orchestration.runtime.alerts import Alert

FAILED = {"error", "fail", "runtime error"}
SHOWN_FAILURES = 10


@dataclass(frozen=True)
class NodeFailure:
    unique_id: str
    status: str
    message: str
    failures: int | None  # failing rows of a test

    @property
    def kind(self) -> str:
        return self.unique_id.split(".", 1)[0].replace("_", " ")

    @property
    def name(self) -> str:
        return self.unique_id.split(".")[2] if self.unique_id.count(".") >= 2 else self.unique_id


@dataclass(frozen=True)
class BuildOutcome:
    found: bool  # run_results.json existed
    counts: dict[str, Counter]  # resource type -> status -> nodes
    failures: tuple[NodeFailure, ...]
    elapsed_seconds: float | None

    def summary(self) -> str:
        if not self.found:
            return "dbt wrote no run_results.json"
        parts = [
            f"{sum(statuses.values())} {kind}s ("
            + ", ".join(f"{n} {status}" for status, n in sorted(statuses.items()))
            + ")"
            for kind, statuses in sorted(self.counts.items())
        ]
        elapsed = f" in {self.elapsed_seconds:.1f} s" if self.elapsed_seconds is not None else ""
        return f"dbt build{elapsed}: " + "; ".join(parts)

    def failure_message(self, target: Path) -> str:
        if not self.found:
            return (
                "dbt build failed before it wrote run_results.json (e.g. a project that does "
                "not parse, or the warehouse file is locked): its output is in this step's "
                "logs. The published warehouse was NOT replaced. Fix the cause and refresh "
                "again."
            )
        lines = [f"dbt build failed: {len(self.failures)} node(s) did not pass."]
        for failure in self.failures[:SHOWN_FAILURES]:
            rows = f", {failure.failures} failing row(s)" if failure.failures else ""
            lines.append(
                f"- {failure.kind} {failure.name} ({failure.status}{rows}): "
                f"{failure.message.strip()[:300]}"
            )
        if len(self.failures) > SHOWN_FAILURES:
            lines.append(f"- ... and {len(self.failures) - SHOWN_FAILURES} more")
        lines.append(
            "The published warehouse was NOT replaced: analysts still see the last good "
            f"refresh. Every node's result is in {target / 'run_results.json'}; a failed "
            f"test's SQL is under {target / 'compiled'} and returns the failing rows when run "
            "with `make sql`. Fix the export or the model, then refresh again."
        )
        return "\n".join(lines)

    def alert(self, target: Path, run_id: str) -> Alert:
        """`check_failed` when only tests failed (the data broke one), else `run_failed`."""
        only_tests = bool(self.failures) and all(f.kind == "test" for f in self.failures)
        message = self.failure_message(target)
        return Alert(
            kind="check_failed" if only_tests else "run_failed",
            title=f"dbt build failed: {len(self.failures) or 'no'} node(s) did not pass",
            what_broke=message.split("\n")[0],
            where=f"dbt build ({target / 'run_results.json'})",
            failing_values=[
                {
                    "node": failure.name,
                    "kind": failure.kind,
                    "status": failure.status,
                    "failing_rows": failure.failures,
                    "message": failure.message.strip()[:300],
                }
                for failure in self.failures[:SHOWN_FAILURES]
            ],
            what_to_do=message.rsplit("\n", 1)[-1],
            run_id=run_id,
            incident_key="dbt_failed",
        )

    def metadata(self) -> dict[str, Any]:
        return {
            "nodes": {kind: dict(statuses) for kind, statuses in self.counts.items()},
            "failed": [f.unique_id for f in self.failures],
        }


def summarize_run_results(path: Path) -> BuildOutcome:
    try:
        results = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return BuildOutcome(False, {}, (), None)
    counts: dict[str, Counter] = {}
    failures = []
    for result in results.get("results", []):
        kind = result["unique_id"].split(".", 1)[0]
        counts.setdefault(kind, Counter())[result["status"]] += 1
        if result["status"] in FAILED:
            failures.append(
                NodeFailure(
                    unique_id=result["unique_id"],
                    status=result["status"],
                    message=result.get("message") or "",
                    failures=result.get("failures"),
                )
            )
    return BuildOutcome(True, counts, tuple(failures), results.get("elapsed_time"))
