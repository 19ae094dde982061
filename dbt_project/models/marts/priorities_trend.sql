-- Priority themes (Q7) across waves: for each pair of consecutive waves, survey (police,
-- national, all) and theme, both waves' respondents naming the theme side by side with the
-- change, and as a share of the wave's included respondents of that survey (not of those who
-- answered the question, as marts.priorities.share is: answered_from/_to give that base).
with

priorities as (
    select * from {{ ref('priorities') }}
),

responses as (
    select * from {{ ref('responses') }}
),

wave_respondents as (
    select wave, coalesce(survey, 'all') as survey, sum(included) as wave_respondents
    from responses
    group by grouping sets ((wave, survey), (wave))
),

priorities_figures as (
    select
        priorities.wave,
        priorities.survey,
        priorities.theme,
        priorities.respondents as named_by,
        priorities.answered,
        wave_respondents.wave_respondents
    from priorities
    left join wave_respondents
        on priorities.wave = wave_respondents.wave
        and priorities.survey = wave_respondents.survey
),

{{ wave_trend('priorities_figures', ['survey', 'theme'], ['named_by', 'answered'], 'named_by') }}

select * from trend
