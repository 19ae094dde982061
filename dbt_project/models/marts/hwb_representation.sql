-- Police Q9 per wave: is the force represented on a health and wellbeing board (included
-- respondents).
with

question_responses as (
    select * from {{ ref('question_responses') }}
    where survey = 'police'
        and question = 9
),

hwb_representation as (
    select
        wave,
        survey,
        item as answer,
        item_order as answer_order,
        response_total as respondents,
        answered,
        response_percent
    from question_responses
)

select * from hwb_representation
