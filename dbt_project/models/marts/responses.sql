-- Responses per survey in the latest delivery and how the contract's inclusion rule treated them.
with

respondents as (
    select * from {{ ref('int_respondents') }}
),

surveys as (
    select * from (values ('police', 1), ('national', 2)) as surveys (survey, survey_order)
),

response_counts as (
    select
        survey,
        count(*) as exported,
        count(*) filter (where status = 'Completed') as completed,
        count(*) filter (where status = 'Partial') as partial,
        count(*) filter (where inclusion_status = 'no data') as excluded_no_data,
        count(*) filter (where inclusion_status = 'identity only') as excluded_identity_only,
        count(*) filter (where is_included and status = 'Partial') as partial_included,
        count(*) filter (where is_included) as included
    from respondents
    group by survey
),

responses as (
    select
        surveys.survey,
        coalesce(response_counts.exported, 0) as exported,
        coalesce(response_counts.completed, 0) as completed,
        coalesce(response_counts.partial, 0) as partial,
        coalesce(response_counts.excluded_no_data, 0) as excluded_no_data,
        coalesce(response_counts.excluded_identity_only, 0) as excluded_identity_only,
        coalesce(response_counts.partial_included, 0) as partial_included,
        coalesce(response_counts.included, 0) as included
    from surveys
    left join response_counts
        on surveys.survey = response_counts.survey
)

select * from responses
