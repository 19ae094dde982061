{#- Themes of a multi-theme coded question: respondents per theme and their share of the
    respondents who answered the question (anything but white space), per wave, per survey and
    for 'all', with the answers of the scope awaiting coding (all of it or a part). -#}
{% macro theme_shares(question_key, codebook) %}
with

coded_answers as (
    select * from {{ ref('int_coded_answers') }}
    where question_key = '{{ question_key }}'
),

themes as (
    select distinct theme from {{ ref(codebook) }} where theme not like '[%'
    union
    select distinct category as theme from {{ ref('manual_codes') }} where question_key = '{{ question_key }}'
),

waves as (
    select distinct wave from {{ ref('int_wave_surveys') }}
),

surveys as (
    select * from (values ('police'), ('national'), ('all')) as surveys (survey)
),

answered_per_survey as (
    select
        wave,
        coalesce(survey, 'all') as survey,
        count(distinct (survey, response_id)) as answered
    from coded_answers
    group by grouping sets ((wave, survey), (wave))
),

respondents_per_theme as (
    select
        wave,
        coalesce(survey, 'all') as survey,
        category as theme,
        count(distinct (survey, response_id)) as respondents
    from coded_answers
    where category is not null
    group by grouping sets ((wave, survey, category), (wave, category))
),

awaiting_per_survey as (
    -- answers with a part (or all) waiting in marts.coding_queue
    select
        wave,
        coalesce(survey, 'all') as survey,
        count(distinct (survey, response_id)) as awaiting_coding
    from coded_answers
    where coding_method = 'queued'
    group by grouping sets ((wave, survey), (wave))
),

theme_shares as (
    select
        waves.wave,
        surveys.survey,
        themes.theme,
        coalesce(respondents_per_theme.respondents, 0) as respondents,
        round(coalesce(respondents_per_theme.respondents, 0) / nullif(answered_per_survey.answered, 0), 4) as share,
        coalesce(answered_per_survey.answered, 0) as answered,
        coalesce(awaiting_per_survey.awaiting_coding, 0) as awaiting_coding
    from waves
    cross join surveys
    cross join themes
    left join respondents_per_theme
        on waves.wave = respondents_per_theme.wave
        and surveys.survey = respondents_per_theme.survey
        and themes.theme = respondents_per_theme.theme
    left join answered_per_survey
        on waves.wave = answered_per_survey.wave
        and surveys.survey = answered_per_survey.survey
    left join awaiting_per_survey
        on waves.wave = awaiting_per_survey.wave
        and surveys.survey = awaiting_per_survey.survey
)

select * from theme_shares
{% endmacro %}
