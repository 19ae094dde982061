"""Shared fixtures, and the layer markers.

The tests live in three folders, each marked with its name (`pytest -m unit`, or
`pytest tests/unit`): unit/ (pure Python: no dbt, Dagster or refresh), integration/ (real
DuckDB files, dbt runs, GX suites and Dagster materializations on small fixtures), e2e/ (`phc`
commands as processes, the daemon, the service, a second OS account, PostgreSQL). Helpers
live in support/.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")

from orchestration.runtime.settings import Settings  # noqa: E402
from tests.support.shared import (  # noqa: E402
    BUILDS,
    session_root,
    shared_build,
    start_in_background,
)
from tests.support.warehouse import phc_env  # noqa: E402

TESTS_DIR = Path(__file__).resolve().parent
LAYERS = ("e2e", "integration", "unit")  # also the order they run in: longest first


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test with its folder's layer, and order them for two workers: the layers
    longest first (e2e, integration, unit) and in each, first the tests that need no shared
    build (they run while the builds run in the background), then those that need the
    template, then those that need the reference refresh."""
    layer = {}
    for item in items:
        parts = item.path.resolve().relative_to(TESTS_DIR).parts
        if parts[0] in LAYERS:
            item.add_marker(parts[0])
        layer[item.nodeid] = LAYERS.index(parts[0]) if parts[0] in LAYERS else len(LAYERS)
    rank = {"warehouse_template": 1, "reference_refresh": 2, "queued_refresh": 2}
    items.sort(
        key=lambda item: (
            layer[item.nodeid],
            max((rank.get(f, 0) for f in _fixtures(item)), default=0),
        )
    )


def _fixtures(item: pytest.Item) -> list[str]:
    return list(getattr(item, "fixturenames", ()))


_background: list = []


def pytest_collection_finish(session: pytest.Session) -> None:
    """Start the shared builds the collected tests need, in the background."""
    factory = getattr(session.config, "_tmp_path_factory", None)
    if factory is None or session.config.option.collectonly:
        return
    needed = {f for item in session.items for f in _fixtures(item) if f in BUILDS}
    for fixture in BUILDS:
        if fixture in needed:
            process = start_in_background(fixture, session_root(factory))
            if process is not None:
                _background.append(process)


def pytest_sessionfinish(session: pytest.Session) -> None:
    for process in _background:  # only when the session ended before it needed them
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=60)


@pytest.fixture
def warehouse_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """PHC_DATA_DIR and PHC_LANDING_DIR pointed at empty folders of this test's own."""
    data_dir = tmp_path / "data"
    landing = tmp_path / "landing"
    landing.mkdir()
    monkeypatch.setenv("PHC_DATA_DIR", str(data_dir))
    monkeypatch.setenv("PHC_LANDING_DIR", str(landing))
    monkeypatch.setenv("PHC_LANDING_SETTLE_SECONDS", "0")  # test files are written whole
    for name in ("PHC_ALERT_WEBHOOK_URL", "PHC_ALERT_SMTP_HOST", "DAGSTER_HOME"):
        monkeypatch.delenv(name, raising=False)
    return Settings.from_env()


@pytest.fixture(scope="session")
def reference_refresh(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """One real `make run` of the reference extracts per test session, shared by every xdist
    worker (read it, do not write: a test that changes a warehouse takes a copy with
    `copy_warehouse`). What it printed is in `reference_output(settings)`."""
    from orchestration.runtime.settings import REFERENCE_EXTRACTS_DIR

    folder = shared_build("reference_refresh", session_root(tmp_path_factory))
    return Settings.from_env(phc_env(folder / "data", REFERENCE_EXTRACTS_DIR))


@pytest.fixture(scope="session")
def warehouse_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding warehouse.duckdb (raw tables by the ingest's DDL, every dbt model by
    `dbt build --empty`) and published.duckdb (its marts, published): the project's own
    schemas, built once per session. Copy a file before writing to it."""
    return shared_build("warehouse_template", session_root(tmp_path_factory))


@pytest.fixture(scope="session")
def queued_refresh(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[int]]:
    """One refresh of the reference extracts plus an export whose answers wait in the coding
    queue (tests/support/coding_fixture.py), shared like the reference refresh: (its folder,
    holding data/, landing/ and coding/; the new response ids). Copy it to change it."""
    import json

    folder = shared_build("queued_refresh", session_root(tmp_path_factory))
    return folder, json.loads((folder / "ids.json").read_text())


@pytest.fixture(scope="session")
def accounts():
    """Two unprivileged OS accounts: an analyst (in a test analyst group) and an outsider."""
    if os.geteuid() != 0:
        pytest.skip("creating OS accounts needs root (CI and the dev machines run as root)")
    if not shutil.which("useradd"):
        pytest.skip("useradd is not installed")
    from tests.support.accounts import os_accounts

    with os_accounts() as made:
        yield made


@pytest.fixture(scope="session")
def postgres():
    """A throwaway PostgreSQL server (Debian's binaries), for the whole session."""
    from tests.support.postgres_cluster import postgres_bin, throwaway_cluster

    if postgres_bin() is None:
        pytest.skip(
            "PostgreSQL is not installed (Debian's postgresql package; .ci/run installs it)"
        )
    with throwaway_cluster() as cluster:
        yield cluster
