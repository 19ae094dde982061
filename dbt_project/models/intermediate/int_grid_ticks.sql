-- The Q4 grid in long form: one row per included respondent x area x status ticked, in the
-- area's questionnaire spelling and the report's (the name a renamed area keeps across waves).
with

survey_answers as (
    select * from {{ ref('int_survey_answers') }}
),

respondents as (
    select * from {{ ref('int_respondents') }}
),

question_map as (
    select * from {{ ref('question_map') }}
),

areas as (
    select * from {{ ref('areas') }}
),

grid_ticks as (
    select
        survey_answers.wave,
        survey_answers.survey,
        survey_answers.response_id,
        areas.area_order,
        areas.questionnaire_area,
        areas.report_area,
        question_map.grid_status
    from survey_answers
    inner join respondents
        on survey_answers.wave = respondents.wave
        and survey_answers.survey = respondents.survey
        and survey_answers.response_id = respondents.response_id
    inner join question_map
        on survey_answers.questionnaire = question_map.questionnaire
        and survey_answers.column_name = question_map.column_name
    inner join areas
        on question_map.area = areas.questionnaire_area
    where survey_answers.answer_kind = 'grid'
        and survey_answers.is_answered
        and respondents.is_included
)

select * from grid_ticks
