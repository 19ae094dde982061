"""The part of the checks that is Great Expectations itself: validate a batch, render the site.

Only the GX worker process imports this module (see gx_worker.py): `import great_expectations`
costs ~4 s of CPU, which the worker pays on the second core while the refresh does other work.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd

os.environ["GX_ANALYTICS_ENABLED"] = "false"  # before the import: no usage analytics
import great_expectations as gx  # noqa: E402
from great_expectations.core.expectation_validation_result import (  # noqa: E402
    ExpectationSuiteValidationResultSchema,
)
from great_expectations.core.run_identifier import RunIdentifier  # noqa: E402
from great_expectations.data_context.types.base import ProgressBarsConfig  # noqa: E402
from great_expectations.data_context.types.resource_identifiers import (  # noqa: E402
    ExpectationSuiteIdentifier,
    ValidationResultIdentifier,
)

from orchestration.quality.outcomes import DOCS_SITE, RESULTS_DIRNAME, SAMPLE_LIMIT, plain  # noqa: E402


def validate(frame: pd.DataFrame, suite: Mapping[str, Any]) -> dict[str, Any]:
    """GX's validation result for `suite` on `frame`, as plain JSON-safe data."""
    batch = (
        _context()
        .data_sources.add_pandas(name="warehouse")
        .add_dataframe_asset(name=suite["name"])
        .add_batch_definition_whole_dataframe("all rows")
        .get_batch(batch_parameters={"dataframe": frame})
    )
    gx_suite = _gx_suite(suite)
    # Pass/fail first: half the time of a SUMMARY (0.4 s against 0.9 s for a raw suite's 78
    # expectations, measured). Only a failed suite is validated again for its sample.
    result = batch.validate(gx_suite, result_format={"result_format": "BOOLEAN_ONLY"})
    if not result.success:
        sample_columns = [c for c in suite["meta"].get("sample_columns", []) if c in frame.columns]
        result = batch.validate(
            gx_suite,
            result_format={
                "result_format": "SUMMARY",
                "partial_unexpected_count": SAMPLE_LIMIT,
                "unexpected_index_column_names": sample_columns,
            },
        )
    return plain(result.to_json_dict())


def render_data_docs(docs_dir: Path) -> None:
    """Rebuild GX's HTML site in `docs_dir` from the outcomes saved in its `_results/`."""
    for child in docs_dir.iterdir():  # the previous site; GX rewrites it whole
        if child.name != RESULTS_DIRNAME:
            shutil.rmtree(child) if child.is_dir() else child.unlink()
    context = _context()
    context.add_data_docs_site(
        site_name=DOCS_SITE,
        site_config={
            "class_name": "SiteBuilder",
            "show_how_to_buttons": False,
            "store_backend": {
                "class_name": "TupleFilesystemStoreBackend",
                "base_directory": str(docs_dir),
            },
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
        },
    )
    schema = ExpectationSuiteValidationResultSchema()
    for path in sorted((docs_dir / RESULTS_DIRNAME).glob("*.json")):
        record = json.loads(path.read_text(encoding="utf-8"))
        context.suites.add(_gx_suite(record["suite"]))
        if record["validation_result"] is None:
            continue  # the batch could not be read: the suite page still shows what it checks
        key = ValidationResultIdentifier(
            expectation_suite_identifier=ExpectationSuiteIdentifier(name=path.stem),
            run_id=RunIdentifier(
                run_name="refresh", run_time=datetime.fromisoformat(record["checked_at"])
            ),
            batch_identifier=path.stem,
        )
        context.validation_results_store.set(key, schema.load(record["validation_result"]))
    context.build_data_docs(site_names=[DOCS_SITE])


def _context() -> Any:
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    # Its default docs site points at a temporary folder: only render_data_docs adds a site.
    for site_name in list(context.variables.data_docs_sites or {}):
        context.delete_data_docs_site(site_name)
    return context


def _gx_suite(suite: Mapping[str, Any]) -> Any:
    gx_suite = gx.ExpectationSuite(
        name=suite["name"], expectations=list(suite["expectations"]), meta=dict(suite["meta"])
    )
    # GX logs an expectation it cannot build (a misspelt type, say) and leaves it out: the
    # suite would pass without checking it.
    if len(gx_suite.expectations) != len(suite["expectations"]):
        known = {e.expectation_type for e in gx_suite.expectations}
        dropped = sorted({e["type"] for e in suite["expectations"]} - known) or ["?"]
        raise ValueError(
            f"suite {suite['name']}: GX could not build {', '.join(dropped)} (see its message "
            "above); fix the expectation in expectations/"
        )
    return gx_suite
