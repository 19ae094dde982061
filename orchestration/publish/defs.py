"""Publish: the checked marts and the report exports, switched in together.

One step builds a new published file from the working warehouse, writes the exports from that
new file into a new folder, and only then switches both in with atomic renames (the published
file, then `exports/latest`). A refresh stopped anywhere before that leaves analysts with the
last good published file and exports, never one without the other.
"""

import os
import subprocess
import time
from pathlib import Path

import dagster as dg

from orchestration.publish.changes import ChangeSummary, summarise_and_record
from orchestration.publish.coding_needed import alert_new_queued_answers
from orchestration.publish.exports.build import ExportResult, write_exports
from orchestration.publish.exports.errors import ExportError
from orchestration.publish.warehouse_copy import PublishError, publish
from orchestration.runtime.alerts import Alert, send_alert
from orchestration.runtime.freshness import promote_candidate
from orchestration.runtime.permissions import share_data_dir, share_file, share_tree
from orchestration.runtime.settings import REPO_ROOT, Settings

PUBLISHED_KEY = dg.AssetKey(["published", "warehouse"])
EXPORTS_KEY = dg.AssetKey(["exports", "report"])


def code_version() -> str:
    """The git commit the code runs from (marked -dirty when it has local changes)."""
    try:
        return subprocess.run(
            ["git", "describe", "--always", "--dirty", "--abbrev=12"],
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            check=True,
            timeout=10,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown (not a git checkout)"


def publish_for_analysts(context: dg.AssetExecutionContext):
    """Copy the checked marts into a new published file, export from it, switch both in."""
    settings = Settings.from_env()
    run_id = context.run.run_id
    exported: list[ExportResult] = []
    changes: list[ChangeSummary] = []
    export_seconds: list[float] = []

    def export_from(candidate: Path) -> None:
        # What changed since the last publish, compared while both files exist, recorded in the
        # candidate's marts.publish_history (so the exports below show it too).
        changes.append(summarise_and_record(candidate, settings.published_path, run_id))
        _fsync(candidate)
        # Readable by analysts before it is renamed into place, like every export file.
        share_file(candidate, settings)
        started = time.perf_counter()
        exported.append(
            write_exports(
                candidate,
                settings.exports_dir,
                run_id,
                code_version=code_version(),
                require_provenance=True,
                published_name=settings.published_path.name,
                contact=settings.release_contact,
                share=lambda folder: share_tree(folder, settings),
                coding_dir=str(settings.coding_dir),
            )
        )
        export_seconds.append(time.perf_counter() - started)

    share_data_dir(settings)  # analysts reach published/ and exports/, and no more
    started = time.perf_counter()
    try:
        result = publish(
            settings.warehouse_path, settings.published_path, before_replace=export_from
        )
    except (PublishError, ExportError) as error:
        send_alert(
            Alert(
                kind="run_failed",
                title=f"Publishing failed: {error.__class__.__name__}",
                what_broke=str(error),
                where=f"{settings.published_path} and {settings.exports_dir}",
                what_to_do="The published file and exports/latest were left exactly as they "
                "were. Fix the cause named above and refresh again.",
                run_id=run_id,
                incident_key="publish_failed",
            ),
            settings,
        )
        raise
    exports, summary = exported[0], changes[0]
    # How long the copy (with the change summary) and the exports took: `make bench` reads it.
    publish_seconds = time.perf_counter() - started - export_seconds[0]
    promote_candidate(settings, run_id)
    context.log.info(summary.headline())
    new_in_queue = alert_new_queued_answers(settings, result.published_path, run_id)
    if new_in_queue:
        context.log.info(f"{new_in_queue} new answer(s) await coding: coding_needed alert sent")
    if settings.notify_on_publish:
        send_alert(_published_notice(summary, settings, run_id), settings)
    yield dg.MaterializeResult(
        asset_key=PUBLISHED_KEY,
        metadata={
            "path": dg.MetadataValue.path(str(result.published_path)),
            "sha256": dg.MetadataValue.text(result.sha256),
            "tables": dg.MetadataValue.int(len(result.row_counts)),
            "row_counts": dg.MetadataValue.json(result.row_counts),
            "changes": dg.MetadataValue.md(summary.markdown()),
            "marts_changed": dg.MetadataValue.int(len(summary.changed_marts)),
            "moved_figures": dg.MetadataValue.json(list(summary.moved)),
            "seconds": dg.MetadataValue.float(round(publish_seconds, 3)),
        },
    )
    yield dg.MaterializeResult(
        asset_key=EXPORTS_KEY,
        metadata={
            "folder": dg.MetadataValue.path(str(exports.run_dir)),
            "latest": dg.MetadataValue.path(str(exports.latest)),
            "files": dg.MetadataValue.int(len(exports.files)),
            "report": dg.MetadataValue.path(str(exports.latest / "report.html")),
            "pruned_runs": dg.MetadataValue.int(len(exports.pruned)),
            "seconds": dg.MetadataValue.float(round(export_seconds[0], 3)),
        },
    )


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _published_notice(summary: ChangeSummary, settings: Settings, run_id: str) -> Alert:
    """The optional `published` notification (PHC_NOTIFY_ON_PUBLISH=1): what changed."""
    return Alert(
        kind="published",
        title=f"Published: {summary.headline()}",
        what_broke=summary.markdown(),
        where=str(settings.published_path),
        what_to_do="Nothing to do: analysts now read the new published file; report.html in "
        f"{settings.exports_latest} shows the same changes. Turn these notices off by unsetting "
        "PHC_NOTIFY_ON_PUBLISH.",
        failing_values=[{"figure": line} for line in summary.moved],
        run_id=run_id,
        incident_key=f"published:{run_id}",
    )


def build_defs(mart_keys: list[dg.AssetKey]) -> dg.Definitions:
    """The publish asset, downstream of `mart_keys` (the transform stage's marts)."""
    asset = dg.multi_asset(
        name="publish_for_analysts",
        group_name="publish",
        specs=[
            dg.AssetSpec(
                PUBLISHED_KEY,
                deps=mart_keys,
                kinds={"duckdb"},
                description="PHC_DATA_DIR/published/warehouse.duckdb: the marts only, with their "
                "column descriptions, replaced atomically after every blocking check passed.",
            ),
            dg.AssetSpec(
                EXPORTS_KEY,
                deps=[PUBLISHED_KEY],
                description="PHC_DATA_DIR/exports/latest: each mart as CSV and Parquet, "
                "report_tables.xlsx (cover, contents, notes, one table per sheet, provenance), "
                "charts (PNG, SVG) and report.html (key findings, tables, charts), written to a "
                "new folder and switched in with the published file.",
            ),
        ],
    )(publish_for_analysts)
    return dg.Definitions(assets=[asset])
