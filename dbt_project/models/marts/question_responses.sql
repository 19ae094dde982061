-- Annex 2 reproduced: per wave, survey, question and item (the items of the wave's
-- questionnaire), the included respondents answering the item
-- (response_total), answering the question (answered: any of its items) and the percentage.
-- Q4 items are the areas: response_total is the number of ticks (completed + active + future),
-- answered the respondents who ticked anything, and there is no percentage (as in Annex 2).
-- Police Q9 items are its three options. Q3 items count contact details given, never their values.
with

respondents as (
    select * from {{ ref('int_respondents') }}
    where is_included
),

survey_answers as (
    select * from {{ ref('int_survey_answers') }}
    where is_answered
),

question_map as (
    select * from {{ ref('question_map') }}
),

wave_surveys as (
    select * from {{ ref('int_wave_surveys') }}
),

wave_questions as (
    -- the question map of each wave's questionnaire
    select wave_surveys.wave, question_map.*
    from wave_surveys
    inner join question_map
        on wave_surveys.questionnaire = question_map.questionnaire
),

hwb_options as (
    select * from (values ('Yes', 1), ('No', 2), ('Not known', 3)) as hwb_options (item, item_order)
),

question_items as (
    select distinct wave, questionnaire, survey, question_number, item, item_order
    from wave_questions
    where answer_kind <> 'choice'
    union all
    select distinct
        wave_questions.wave,
        wave_questions.questionnaire,
        wave_questions.survey,
        wave_questions.question_number,
        hwb_options.item,
        hwb_options.item_order
    from wave_questions
    cross join hwb_options
    where wave_questions.answer_kind = 'choice'
),

contact_answers as (
    select wave, survey, response_id, 3 as question_number, 'Name' as item, 1 as ticks
    from respondents where has_contact_name
    union all
    select wave, survey, response_id, 3 as question_number, 'Phone number' as item, 1 as ticks
    from respondents where has_contact_phone
    union all
    select wave, survey, response_id, 3 as question_number, 'Email' as item, 1 as ticks
    from respondents where has_contact_email
),

question_answers as (
    select
        survey_answers.wave,
        survey_answers.survey,
        survey_answers.response_id,
        survey_answers.question_number,
        case when survey_answers.answer_kind = 'choice' then survey_answers.answer_trimmed else survey_answers.item end as item,
        1 as ticks
    from survey_answers
    inner join respondents
        on survey_answers.wave = respondents.wave
        and survey_answers.survey = respondents.survey
        and survey_answers.response_id = respondents.response_id
),

item_answers as (
    select * from question_answers
    union all
    select * from contact_answers
),

item_totals as (
    select
        wave,
        survey,
        question_number,
        item,
        case
            when question_number = 4 then sum(ticks)
            else count(distinct response_id)
        end as response_total
    from item_answers
    group by wave, survey, question_number, item
),

question_totals as (
    select wave, survey, question_number, count(distinct response_id) as answered
    from item_answers
    group by wave, survey, question_number
),

question_responses as (
    select
        question_items.wave,
        question_items.questionnaire,
        question_items.survey,
        question_items.question_number as question,
        question_items.item,
        question_items.item_order,
        cast(coalesce(item_totals.response_total, 0) as bigint) as response_total,
        coalesce(question_totals.answered, 0) as answered,
        case
            when question_items.question_number <> 4 and question_totals.answered > 0
                then round(100.0 * coalesce(item_totals.response_total, 0) / question_totals.answered, 2)
        end as response_percent
    from question_items
    left join item_totals
        on question_items.wave = item_totals.wave
        and question_items.survey = item_totals.survey
        and question_items.question_number = item_totals.question_number
        and question_items.item = item_totals.item
    left join question_totals
        on question_items.wave = question_totals.wave
        and question_items.survey = question_totals.survey
        and question_items.question_number = question_totals.question_number
)

select * from question_responses
