-- Every loaded export lies in the window of the wave it was admitted into, as the survey_waves
-- seed says now: an edit of the seed that leaves a loaded export outside every window (or a
-- wave removed) fails the build here, naming the export, instead of moving it silently.
with

deliveries as (
    select * from {{ ref('stg_raw__deliveries') }}
),

survey_waves as (
    select * from {{ ref('survey_waves') }}
)

select
    deliveries.file_name,
    deliveries.survey,
    deliveries.wave,
    deliveries.first_started_at,
    deliveries.last_started_at,
    survey_waves.opens_on,
    survey_waves.closes_on
from deliveries
left join survey_waves
    on deliveries.survey = survey_waves.survey_version
    and deliveries.wave = survey_waves.wave
where survey_waves.wave is null
    or cast(deliveries.first_started_at as date) < survey_waves.opens_on
    or cast(deliveries.last_started_at as date) > survey_waves.closes_on
