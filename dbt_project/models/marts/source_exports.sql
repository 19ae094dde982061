-- Which exports the marts were computed from (provenance for analysts and report exports).
-- Every loaded delivery is listed; is_current marks the one per survey that staging reads.
with

deliveries as (
    select * from {{ source('raw', 'deliveries') }}
),

ranked_deliveries as (
    select
        survey_version as survey,
        file_name,
        file_format,
        exported_at,
        sha256,
        row_count,
        loaded_at,
        row_number() over (
            partition by survey_version order by exported_at desc, loaded_at desc, sha256 desc
        ) = 1 as is_current
    from deliveries
)

select * from ranked_deliveries
order by survey, exported_at
