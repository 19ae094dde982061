"""The ingest stage in Dagster: every export in the landing folder into the `raw` schema."""

import dagster as dg
from pydantic import Field

from orchestration.domain.contract import VERSIONS
from orchestration.domain.waves import WavesError
from orchestration.ingest.from_archive import DamagedArchive
from orchestration.ingest.load import (
    LOADED,
    REJECTED,
    VANISHED,
    WAITING,
    FileOutcome,
    ingest_archive,
    ingest_landing,
)
from orchestration.ingest.problems import summarise
from orchestration.ingest.quarantine import WHAT_TO_DO
from orchestration.ingest.raw_tables import RawTableLayoutError
from orchestration.runtime.alerts import Alert, send_alert
from orchestration.runtime.freshness import record_candidate
from orchestration.runtime.permissions import lock_down
from orchestration.runtime.settings import ConfigError, Settings

RAW_GROUP = "ingest"


def raw_asset_key(table: str) -> dg.AssetKey:
    # The same key dagster-dbt gives the dbt source `raw.<table>`, so dbt models hang below it.
    return dg.AssetKey(["raw", table])


def _files_table(outcomes: list[FileOutcome]) -> str:
    lines = ["| file | status | rows | sha256 |", "| --- | --- | --- | --- |"]
    lines += [
        f"| {o.file} | {o.status} | {o.rows if o.status == LOADED else ''} | `{o.sha256[:16]}` |"
        for o in outcomes
    ]
    return "\n".join(lines)


def _version_metadata(version: str, outcomes: list[FileOutcome]) -> dict[str, dg.MetadataValue]:
    loaded = [o for o in outcomes if o.status == LOADED]
    latest = loaded[-1] if loaded else None
    problems = [p for o in outcomes if o.status == REJECTED for p in o.problems]
    metadata: dict[str, dg.MetadataValue] = {
        "version": dg.MetadataValue.text(version),
        "files": dg.MetadataValue.md(_files_table(outcomes) if outcomes else "no files"),
        "files_loaded": dg.MetadataValue.int(len(loaded)),
        "rows_loaded": dg.MetadataValue.int(sum(o.rows for o in loaded)),
        "problems": dg.MetadataValue.int(sum(o.problem_count for o in outcomes)),
    }
    if latest is not None:
        metadata["file"] = dg.MetadataValue.text(latest.file)
        metadata["sha256"] = dg.MetadataValue.text(latest.sha256)
        metadata["rows"] = dg.MetadataValue.int(latest.rows)
    if problems:
        metadata["problem_list"] = dg.MetadataValue.md(summarise(problems))
    return metadata


class IngestConfig(dg.Config):
    source: str = Field(
        default="landing",
        description="landing: the exports in PHC_LANDING_DIR; archive: every archived export "
        "again, verified against its hash (the rebuild job).",
        pattern="^(landing|archive)$",
    )


def _rejection_alert(outcome: FileOutcome, run_id: str) -> Alert:
    return Alert(
        kind="file_rejected",
        title=f"Export rejected: {outcome.file}",
        what_broke=f"{outcome.file} breaks the extract contract in {outcome.problem_count} "
        "place(s); it was quarantined and nothing already loaded changed.",
        where=f"{outcome.file} (quarantined in {outcome.quarantine_path})",
        failing_values=[
            {"column": p.column, "row": p.row, "value": p.value, "problem": p.expected}
            for p in outcome.problems[:20]
        ],
        what_to_do=WHAT_TO_DO,
        run_id=run_id,
        incident_key=f"file_rejected:{outcome.sha256}",
    )


@dg.multi_asset(
    name="ingest_survey_extracts",
    specs=[
        *(
            dg.AssetSpec(
                raw_asset_key(f"{version}_responses"),
                group_name=RAW_GROUP,
                kinds={"duckdb"},
                description=f"Every loaded {version} export, row for row as delivered, with "
                "delivery metadata (file, sha256, export timestamp, row number). Holds "
                "personal data: never read by analysts.",
            )
            for version in VERSIONS
        ),
        dg.AssetSpec(
            raw_asset_key("deliveries"),
            group_name=RAW_GROUP,
            kinds={"duckdb"},
            description="One row per loaded export: file, version, export timestamp, sha256, "
            "rows, archive path, loaded at.",
        ),
    ],
)
def ingest_survey_extracts(context: dg.AssetExecutionContext, config: IngestConfig):
    """Archive, validate and load the landing folder; quarantine and fail on a bad file."""
    try:
        settings = Settings.from_env()
        settings.check_ready()
    except ConfigError as error:
        raise dg.Failure(description=f"Configuration error: {error}", allow_retries=False) from None
    # Owner-only from here on; a data folder written before (or with a looser umask) too.
    lock_down(settings)
    try:
        if config.source == "archive":
            report = ingest_archive(settings, context.log.info)
        else:
            report = ingest_landing(settings, context.log.info)
    except DamagedArchive as error:
        raise dg.Failure(description=str(error), allow_retries=False) from None
    except WavesError as error:
        raise dg.Failure(
            description=f"Configuration error: the survey waves seed: {error}; nothing was loaded",
            allow_retries=False,
        ) from None
    except RawTableLayoutError as error:
        raise dg.Failure(description=str(error), allow_retries=False) from None
    if config.source != "archive":
        read = [o.sha256 for o in report.outcomes if o.status not in (WAITING, VANISHED)]
        record_candidate(settings, context.run.run_id, read)
    for version in VERSIONS:
        yield dg.MaterializeResult(
            asset_key=raw_asset_key(f"{version}_responses"),
            metadata=_version_metadata(version, report.for_version(version)),
        )
    yield dg.MaterializeResult(
        asset_key=raw_asset_key("deliveries"),
        metadata={
            "files": dg.MetadataValue.md(_files_table(report.outcomes) or "no files"),
            # The same, for programs (`make run`'s summary): file, status, rows.
            "file_outcomes": dg.MetadataValue.json(
                [{"file": o.file, "status": o.status, "rows": o.rows} for o in report.outcomes]
            ),
            "landing_dir": dg.MetadataValue.path(str(settings.landing_dir)),
            "warehouse": dg.MetadataValue.path(str(settings.warehouse_path)),
        },
    )
    for outcome in report.rejected:
        send_alert(_rejection_alert(outcome, context.run.run_id), settings)
    if report.rejected:
        messages = "\n\n".join(outcome.error_message() for outcome in report.rejected)
        raise dg.Failure(
            description=(
                f"{len(report.rejected)} export(s) rejected; everything already loaded is "
                f"unchanged and the other files were loaded.\n\n{messages}"
            ),
            metadata={
                "rejected_files": dg.MetadataValue.json(
                    [
                        {
                            "file": o.file,
                            "sha256": o.sha256,
                            "quarantine": o.quarantine_path,
                            "problem_count": o.problem_count,
                            "problems": [p.as_dict() for p in o.problems[:50]],
                        }
                        for o in report.rejected
                    ]
                )
            },
            allow_retries=False,
        )


defs = dg.Definitions(assets=[ingest_survey_extracts])
