-- The survey waves the marts report, one row per wave and survey version: every wave of the
-- survey_waves seed with at least one loaded export (of either version), and always the report's
-- wave (its marts show zeros until its exports arrive, as they always have). wave_order numbers
-- the waves by when they opened: the trend marts compare each wave with the one before it.
with

survey_waves as (
    select * from {{ ref('survey_waves') }}
),

deliveries as (
    select * from {{ ref('stg_raw__deliveries') }}
),

loaded_waves as (
    select distinct wave from deliveries
),

reported_waves as (
    select
        survey_waves.wave,
        survey_waves.survey_version as survey,
        survey_waves.questionnaire,
        survey_waves.opens_on,
        survey_waves.closes_on,
        survey_waves.is_report_wave,
        survey_waves.wave in (select wave from loaded_waves) as has_exports,
        min(survey_waves.opens_on) over (partition by survey_waves.wave) as wave_opens_on
    from survey_waves
    where survey_waves.is_report_wave
        or survey_waves.wave in (select wave from loaded_waves)
),

wave_surveys as (
    select
        wave,
        survey,
        questionnaire,
        opens_on,
        closes_on,
        is_report_wave,
        has_exports,
        dense_rank() over (order by wave_opens_on, wave) as wave_order
    from reported_waves
)

select * from wave_surveys
