"""Stage 2, transform: the dbt project as Dagster assets (dbt build: seeds, models, tests)."""
