-- Free-text answers (and the police Q9 choice) of included respondents, long form: one row per
-- answered cell (anything but white space), with whether it only says NA / N/A / None / -.
with

survey_answers as (
    select * from {{ ref('int_survey_answers') }}
),

respondents as (
    select * from {{ ref('int_respondents') }}
),

free_text_answers as (
    select
        survey_answers.wave,
        survey_answers.survey,
        survey_answers.response_id,
        survey_answers.question_key,
        survey_answers.question_number,
        survey_answers.item,
        survey_answers.answer_kind,
        survey_answers.answer,
        survey_answers.answer_trimmed,
        {{ is_not_stated('survey_answers.answer_trimmed') }} as is_not_stated
    from survey_answers
    inner join respondents
        on survey_answers.wave = respondents.wave
        and survey_answers.survey = respondents.survey
        and survey_answers.response_id = respondents.response_id
    where survey_answers.answer_kind in ('free_text', 'choice')
        and survey_answers.is_answered
        and respondents.is_included
)

select * from free_text_answers
