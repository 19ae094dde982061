-- The survey waves in the warehouse: one row per wave and survey version (the survey_waves seed
-- for every wave with a loaded export, and the report's wave), its questionnaire and window, and
-- how many responses it has. Every mart's `wave` column takes these values.
with

wave_surveys as (
    select * from {{ ref('int_wave_surveys') }}
),

responses as (
    select * from {{ ref('responses') }}
),

waves as (
    select
        wave_surveys.wave,
        wave_surveys.survey,
        wave_surveys.questionnaire,
        wave_surveys.opens_on,
        wave_surveys.closes_on,
        wave_surveys.is_report_wave,
        wave_surveys.wave_order,
        responses.exported,
        responses.included
    from wave_surveys
    left join responses
        on wave_surveys.wave = responses.wave
        and wave_surveys.survey = responses.survey
)

select * from waves
