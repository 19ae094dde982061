-- Which exports the marts were computed from (provenance for analysts and report exports).
-- Every loaded delivery is listed with its survey wave; is_current (from stg_raw__deliveries,
-- where the current-delivery rule lives) marks the one per survey and wave that staging reads.
with

deliveries as (
    select * from {{ ref('stg_raw__deliveries') }}
),

source_exports as (
    select
        wave,
        survey,
        questionnaire,
        file_name,
        file_format,
        exported_at,
        sha256,
        row_count,
        loaded_at,
        is_current
    from deliveries
)

select * from source_exports
order by wave, survey, exported_at
