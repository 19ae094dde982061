-- Responses per wave and survey in the current delivery and how the contract's inclusion rule
-- treated them.
with

respondents as (
    select * from {{ ref('int_respondents') }}
),

wave_surveys as (
    select * from {{ ref('int_wave_surveys') }}
),

response_counts as (
    select
        wave,
        survey,
        count(*) as exported,
        count(*) filter (where status = 'Completed') as completed,
        count(*) filter (where status = 'Partial') as partial,
        count(*) filter (where inclusion_status = 'no data') as excluded_no_data,
        count(*) filter (where inclusion_status = 'identity only') as excluded_identity_only,
        count(*) filter (where is_included and status = 'Partial') as partial_included,
        count(*) filter (where is_included) as included
    from respondents
    group by wave, survey
),

responses as (
    select
        wave_surveys.wave,
        wave_surveys.survey,
        coalesce(response_counts.exported, 0) as exported,
        coalesce(response_counts.completed, 0) as completed,
        coalesce(response_counts.partial, 0) as partial,
        coalesce(response_counts.excluded_no_data, 0) as excluded_no_data,
        coalesce(response_counts.excluded_identity_only, 0) as excluded_identity_only,
        coalesce(response_counts.partial_included, 0) as partial_included,
        coalesce(response_counts.included, 0) as included
    from wave_surveys
    left join response_counts
        on wave_surveys.wave = response_counts.wave
        and wave_surveys.survey = response_counts.survey
)

select * from responses
