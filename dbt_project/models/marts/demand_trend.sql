-- Greatest demand themes (Q8) across waves: for each pair of consecutive waves, survey (police,
-- national, all) and theme, both waves' respondents naming the theme side by side with the
-- change, and as a share of the wave's included respondents of that survey (not of those who
-- answered the question, as marts.demand.share is: answered_from/_to give that base).
with

demand as (
    select * from {{ ref('demand') }}
),

responses as (
    select * from {{ ref('responses') }}
),

wave_respondents as (
    select wave, coalesce(survey, 'all') as survey, sum(included) as wave_respondents
    from responses
    group by grouping sets ((wave, survey), (wave))
),

demand_figures as (
    select
        demand.wave,
        demand.survey,
        demand.theme,
        demand.respondents as named_by,
        demand.answered,
        wave_respondents.wave_respondents
    from demand
    left join wave_respondents
        on demand.wave = wave_respondents.wave
        and demand.survey = wave_respondents.survey
),

{{ wave_trend('demand_figures', ['survey', 'theme'], ['named_by', 'answered'], 'named_by') }}

select * from trend
