"""The ingest stage in Dagster: every export in the landing folder into the `raw` schema."""

import dagster as dg
from pydantic import Field

from orchestration.domain.contract import VERSIONS
from orchestration.domain.waves import WavesError
from orchestration.ingest.coding_folder import ingest_coding_folder, replay_coding_archive
from orchestration.ingest.coding_workbooks import WHAT_TO_DO as WORKBOOK_WHAT_TO_DO
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


def _rejection_alert(outcome: FileOutcome, run_id: str, *, workbook: bool = False) -> Alert:
    """One `file_rejected` alert for a quarantined export or coding workbook."""
    if workbook:
        title = f"Coding workbook rejected: {outcome.file}"
        what_broke = (
            f"The coding workbook {outcome.file} has {outcome.problem_count} problem(s); "
            "it was quarantined and none of its codes was applied."
        )
    else:
        title = f"Export rejected: {outcome.file}"
        what_broke = (
            f"{outcome.file} breaks the extract contract in {outcome.problem_count} "
            "place(s); it was quarantined and nothing already loaded changed."
        )
    return Alert(
        kind="file_rejected",
        title=title,
        what_broke=what_broke,
        where=f"{outcome.file} (quarantined in {outcome.quarantine_path})",
        failing_values=[
            {"column": p.column, "row": p.row, "value": p.value, "problem": p.expected}
            for p in outcome.problems[:20]
        ],
        what_to_do=WORKBOOK_WHAT_TO_DO if workbook else WHAT_TO_DO,
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
            raw_asset_key("analyst_codes"),
            group_name=RAW_GROUP,
            kinds={"duckdb"},
            description="Analysts' codes from every coding workbook returned to the coding "
            "folder (PHC_CODING_DIR) that passed its checks, with the answer text each was "
            "given for; a rejected workbook adds nothing.",
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
            workbooks = replay_coding_archive(settings, context.log.info)
        else:
            report = ingest_landing(settings, context.log.info)
            workbooks = ingest_coding_folder(settings, context.log.info)
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
        read = [
            o.sha256 for o in [*report.outcomes, *workbooks] if o.status not in (WAITING, VANISHED)
        ]
        record_candidate(settings, context.run.run_id, read)
    for version in VERSIONS:
        yield dg.MaterializeResult(
            asset_key=raw_asset_key(f"{version}_responses"),
            metadata=_version_metadata(version, report.for_version(version)),
        )
    yield dg.MaterializeResult(
        asset_key=raw_asset_key("analyst_codes"),
        metadata={
            "workbooks": dg.MetadataValue.md(_files_table(workbooks) or "no workbooks"),
            "workbook_outcomes": dg.MetadataValue.json(
                [{"file": o.file, "status": o.status, "codes": o.rows} for o in workbooks]
            ),
            "codes_loaded": dg.MetadataValue.int(
                sum(o.rows for o in workbooks if o.status == LOADED)
            ),
            "coding_dir": dg.MetadataValue.path(str(settings.coding_dir)),
        },
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
    rejected_workbooks = [o for o in workbooks if o.status == REJECTED]
    for outcome in rejected_workbooks:
        send_alert(_rejection_alert(outcome, context.run.run_id, workbook=True), settings)
    rejected = [*report.rejected, *rejected_workbooks]
    if rejected:
        messages = "\n\n".join(outcome.error_message() for outcome in rejected)
        what = ", ".join(
            part
            for part in (
                f"{len(report.rejected)} export(s)" if report.rejected else "",
                f"{len(rejected_workbooks)} coding workbook(s)" if rejected_workbooks else "",
            )
            if part
        )
        raise dg.Failure(
            description=(
                f"{what} rejected; everything already loaded is unchanged and the other files "
                f"were loaded.\n\n{messages}"
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
                        for o in rejected
                    ]
                )
            },
            allow_retries=False,
        )


defs = dg.Definitions(assets=[ingest_survey_extracts])
