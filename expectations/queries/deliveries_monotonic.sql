-- The newest export of each survey version in each wave beside the largest export of that
-- version and wave before it. Every export is a full snapshot of its wave, so a newer one with
-- fewer rows is a broken export (a new wave starts afresh). Comparing with the largest earlier
-- one (not only the previous) keeps a second short export failing too.
-- "Newest" is what staging reads: max exported_at, then loaded_at, then sha256, per wave (the
-- wave the ingest recorded in raw.deliveries).
with

ordered as (
    select
        survey_version,
        wave,
        file_name,
        exported_at,
        row_count,
        row_number() over (
            partition by survey_version, wave
            order by exported_at desc, loaded_at desc, sha256 desc
        ) as recency
    from raw.deliveries
),

earlier as (
    select
        survey_version,
        wave,
        arg_max(file_name, row_count) as largest_earlier_file,
        max(row_count) as largest_earlier_row_count
    from ordered
    where recency > 1
    group by survey_version, wave
)

select
    newest.survey_version,
    newest.wave,
    newest.file_name,
    newest.row_count,
    earlier.largest_earlier_file,
    coalesce(earlier.largest_earlier_row_count, 0) as largest_earlier_row_count
from ordered as newest
left join earlier
    on newest.survey_version = earlier.survey_version
    and newest.wave is not distinct from earlier.wave
where newest.recency = 1
order by newest.survey_version, newest.wave
