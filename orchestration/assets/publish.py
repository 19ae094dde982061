"""Publish: the checked marts become what analysts read, in one atomic file swap."""

import dagster as dg

from orchestration.alerts import Alert, send_alert
from orchestration.assets.dbt import warehouse_dbt_assets
from orchestration.config import Settings
from orchestration.publish import PublishError, publish

MART_KEYS = sorted(
    (key for key in warehouse_dbt_assets.keys if key.path[0] == "marts"),
    key=lambda key: key.to_user_string(),
)
PUBLISHED_KEY = dg.AssetKey(["published", "warehouse"])


@dg.asset(
    key=PUBLISHED_KEY,
    deps=MART_KEYS,
    group_name="publish",
    kinds={"duckdb"},
    description="PHC_DATA_DIR/published/warehouse.duckdb: the marts only, with their column "
    "descriptions, replaced atomically after every blocking check of the run passed.",
)
def published_warehouse(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    settings = Settings.from_env()
    try:
        result = publish(settings.warehouse_path, settings.published_path)
    except PublishError as error:
        send_alert(
            Alert(
                kind="run_failed",
                title="Publishing the warehouse failed",
                what_broke=str(error),
                where=str(settings.published_path),
                what_to_do="The published file was left exactly as it was. Fix the cause "
                "named above (a mart must never carry personal data) and refresh again.",
                run_id=context.run_id,
                incident_key="publish_failed",
            ),
            settings,
        )
        raise
    return dg.MaterializeResult(
        metadata={
            "path": dg.MetadataValue.path(str(result.published_path)),
            "sha256": dg.MetadataValue.text(result.sha256),
            "tables": dg.MetadataValue.int(len(result.row_counts)),
            "row_counts": dg.MetadataValue.json(result.row_counts),
        }
    )
