-- One row per loaded export (raw.deliveries), renamed, and the current-delivery rule: the
-- current export of a survey version is its latest by exported_at, then loaded_at (a later
-- delivery of the same export time wins), then sha256 (only to make a full tie deterministic).
-- The rule is written here and nowhere else in the project: staging reads only the current
-- export's rows, marts.source_exports shows the flag, the checks read it from here.
with

deliveries as (
    select * from {{ source('raw', 'deliveries') }}
),

renamed_deliveries as (
    select
        sha256,
        survey_version as survey,
        file_name,
        file_format,
        exported_at,
        size_bytes,
        row_count,
        loaded_at
    from deliveries
),

flagged_deliveries as (
    select
        *,
        row_number() over (
            partition by survey
            order by exported_at desc, loaded_at desc, sha256 desc
        ) = 1 as is_current
    from renamed_deliveries
)

select * from flagged_deliveries
