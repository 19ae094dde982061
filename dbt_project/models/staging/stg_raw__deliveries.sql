-- One row per loaded export (raw.deliveries), renamed, with its survey wave, and the
-- current-delivery rule: the current export of a survey version in a wave is its latest by
-- exported_at, then loaded_at (a later delivery of the same export time wins), then sha256
-- (only to make a full tie deterministic). A later export supersedes an earlier one within its
-- wave only: a new wave adds to the warehouse.
-- The wave is the one the ingest admitted the export into (every response's Started date in
-- that wave's window of the survey_waves seed); the seed gives its questionnaire and whether it
-- is the report's wave, and a data test re-checks the window on every build.
-- The rule is written here and nowhere else in the project: staging reads only the current
-- exports' rows, marts.source_exports shows the flag, the checks read it from here.
with

deliveries as (
    select * from {{ source('raw', 'deliveries') }}
),

survey_waves as (
    select * from {{ ref('survey_waves') }}
),

renamed_deliveries as (
    select
        deliveries.sha256,
        deliveries.survey_version as survey,
        deliveries.wave,
        survey_waves.questionnaire,
        coalesce(survey_waves.is_report_wave, false) as is_report_wave,
        deliveries.file_name,
        deliveries.file_format,
        deliveries.exported_at,
        deliveries.first_started_at,
        deliveries.last_started_at,
        deliveries.size_bytes,
        deliveries.row_count,
        deliveries.loaded_at
    from deliveries
    left join survey_waves
        on deliveries.survey_version = survey_waves.survey_version
        and deliveries.wave = survey_waves.wave
),

flagged_deliveries as (
    select
        *,
        row_number() over (
            partition by survey, wave
            order by exported_at desc, loaded_at desc, sha256 desc
        ) = 1 as is_current
    from renamed_deliveries
)

select * from flagged_deliveries
