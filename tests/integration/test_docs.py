"""`make docs`: dbt docs with lineage, generated from a copy of a refreshed warehouse."""

from __future__ import annotations

from pathlib import Path

import pytest

from orchestration.runtime.settings import Settings
from orchestration.transform.docs import generate_docs
from tests.support.warehouse import copy_warehouse

pytestmark = pytest.mark.slow


def test_docs_hold_every_mart_its_columns_and_the_lineage(
    reference_refresh: Settings, tmp_path: Path
):
    data = copy_warehouse(reference_refresh, tmp_path / "data")
    settings = Settings.from_env({"PHC_DATA_DIR": str(data)})
    before = settings.warehouse_path.read_bytes()
    index = generate_docs(settings)
    page = index.read_text()
    assert index == data / "dbt_docs" / "static_index.html"
    for node in (
        "model.phc_warehouse.area_of_work",
        "model.phc_warehouse.int_respondents",
        "source.phc_warehouse.raw.police_responses",
        "seed.phc_warehouse.codebook_funding",
    ):
        assert node in page
    assert '"parent_map"' in page  # lineage
    assert "Rank by total, highest first" in page  # column descriptions
    # The docs read a copy: the working warehouse is untouched.
    assert settings.warehouse_path.read_bytes() == before
