"""Report-ready exports: CSV, Parquet, a workbook, charts and a page, from the published file."""

import subprocess

import dagster as dg

from orchestration.alerts import Alert, send_alert
from orchestration.assets.publish import PUBLISHED_KEY
from orchestration.config import REPO_ROOT, Settings
from orchestration.exports.build import write_exports
from orchestration.exports.errors import ExportError


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


@dg.asset(
    key=dg.AssetKey(["exports", "report"]),
    deps=[PUBLISHED_KEY],
    group_name="publish",
    description="PHC_DATA_DIR/exports/latest: each mart as CSV and Parquet, report_tables.xlsx, "
    "charts (PNG, SVG) and report.html, written to a new folder and switched in at the end.",
)
def report_exports(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    settings = Settings.from_env()
    try:
        result = write_exports(
            settings.published_path,
            settings.exports_dir,
            context.run.run_id,
            code_version=code_version(),
            require_provenance=True,
        )
    except ExportError as error:
        send_alert(
            Alert(
                kind="run_failed",
                title="Writing the report exports failed",
                what_broke=str(error),
                where=str(settings.exports_dir),
                what_to_do="exports/latest still points at the last complete exports. Fix the "
                "cause named above and refresh again.",
                run_id=context.run.run_id,
                incident_key="exports_failed",
            ),
            settings,
        )
        raise
    return dg.MaterializeResult(
        metadata={
            "folder": dg.MetadataValue.path(str(result.run_dir)),
            "latest": dg.MetadataValue.path(str(result.latest)),
            "files": dg.MetadataValue.int(len(result.files)),
            "report": dg.MetadataValue.path(str(result.latest / "report.html")),
            "pruned_runs": dg.MetadataValue.int(len(result.pruned)),
        }
    )
